"""The image installs what the installed-package test installs: its build stage, read from the Dockerfile.

No Docker engine runs here; the installed-package test rebuilds the build stage from these same readings
(its copied sources, its environment, its `pip install`), so these checks keep that rebuild faithful.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.support.dockerfile_build import (
    ROOT,
    build_context,
    context_copies,
    env,
    install_targets,
    pip_install,
    stage,
)


def test_the_build_stage_installs_the_copied_source_without_extras() -> None:
    words = pip_install(stage("build"))
    assert install_targets(words) == ["."], words
    assert not [w for w in words if "[" in w], f"the image must install no extras: {words}"
    assert not {"-e", "--editable", "-r", "--requirement", "-c", "--constraint"} & set(words), words


def test_the_image_ships_compiled_bytecode() -> None:
    """The runtime user cannot write /opt/venv: the bytecode must come with the install."""
    # Without it every `boardsheet` started in the image compiled its ~1,000 modules from source: 3.6
    # times a sync's CPU to its first request (docs/benchmarks.md, issue 13).
    words = pip_install(stage("build"))
    assert "--no-compile" not in words, words


def test_pip_is_the_venv_the_runtime_stage_copies() -> None:
    build, runtime = stage("build"), stage("runtime")
    assert "python -m venv /opt/venv" in build.args("RUN")
    assert env(build)["PATH"].startswith("/opt/venv/bin:")
    assert "--from=build /opt/venv /opt/venv" in runtime.args("COPY")
    assert not [r for r in runtime.args("RUN") if "pip" in r], "the runtime stage must install nothing more"


def test_the_rebuilt_context_holds_what_the_build_needs(tmp_path: Path) -> None:
    context = build_context(stage("build"), tmp_path)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert (context / "pyproject.toml").is_file()
    assert (context / project["project"]["readme"]).is_file()
    for include in project["tool"]["setuptools"]["packages"]["find"]["include"]:
        assert (context / include.rstrip("*") / "__init__.py").is_file(), include
    copied = {s for c in context_copies(stage("build")) for s in c.sources}
    assert not {"tests", "bench", ".venv", "."} & copied, f"copy only what the package is made of: {copied}"
