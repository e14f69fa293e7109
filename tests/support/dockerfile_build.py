"""Read the Dockerfile's build stage: what it copies, its environment and its `pip install` command.

The installed-package test rebuilds that stage without Docker (a temp directory holding exactly the copied
sources, a fresh venv, the same install command), so the image cannot drift from what the test installs.
"""

from __future__ import annotations

import json
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


@dataclass
class Stage:
    """One `FROM` stage: its name and its instructions (keyword upper-cased, arguments as written)."""

    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def args(self, keyword: str) -> list[str]:
        """The arguments of every `keyword` instruction, in order."""
        return [args for kw, args in self.instructions if kw == keyword]


@dataclass
class Copy:
    """A `COPY` from the build context: sources (relative to the context) and destination."""

    sources: list[str]
    dest: str


def stages(text: str) -> list[Stage]:
    """The Dockerfile's stages; continuation lines joined, comments dropped."""
    found: list[Stage] = []
    logical = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not logical and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical += line
        keyword, _, args = logical.partition(" ")
        logical = ""
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(found))
            found.append(Stage(name))
        elif found:
            found[-1].instructions.append((keyword, args))
    return found


def stage(name: str, text: str | None = None) -> Stage:
    """The stage called `name`."""
    for candidate in stages(text if text is not None else DOCKERFILE.read_text()):
        if candidate.name == name:
            return candidate
    raise AssertionError(f"the Dockerfile has no stage named {name!r}")


def _words(args: str) -> list[str]:
    """Arguments in exec (JSON array) or shell form."""
    return [str(w) for w in json.loads(args)] if args.startswith("[") else shlex.split(args)


def context_copies(st: Stage) -> list[Copy]:
    """The stage's `COPY`s from the build context (not `--from` another stage or image)."""
    copies = []
    for args in st.args("COPY"):
        words = _words(args)
        flags = [w for w in words if w.startswith("--")]
        if any(f.startswith("--from") for f in flags):
            continue
        paths = [w for w in words if not w.startswith("--")]
        copies.append(Copy(sources=paths[:-1], dest=paths[-1]))
    return copies


def workdir(st: Stage) -> PurePosixPath:
    """The stage's last `WORKDIR` (the install runs there)."""
    dirs = st.args("WORKDIR")
    assert dirs, f"stage {st.name!r} sets no WORKDIR"
    return PurePosixPath(dirs[-1])


def env(st: Stage) -> dict[str, str]:
    """The stage's `ENV key=value` pairs."""
    found: dict[str, str] = {}
    for args in st.args("ENV"):
        for word in shlex.split(args):
            key, sep, value = word.partition("=")
            assert sep, f"ENV {args!r}: use the key=value form"
            found[key] = value
    return found


def pip_install(st: Stage) -> list[str]:
    """The words after `pip` of the stage's only `RUN pip install ...` (one plain command, no chain)."""
    runs = [args for args in st.args("RUN") if "pip install" in args]
    assert len(runs) == 1, f"expected one RUN pip install in stage {st.name!r}, found {runs}"
    words = _words(runs[0])
    assert not {"&&", "||", ";", "|"} & set(words), f"keep the install one plain command: {runs[0]!r}"
    start = 2 if words[:2] == ["python", "-m"] else 0
    assert words[start] == "pip" and words[start + 1] == "install", runs[0]
    return words[start + 1 :]


def install_targets(words: list[str]) -> list[str]:
    """What `pip install` installs: the words that are not options."""
    return [w for w in words[1:] if not w.startswith("-")]


def build_context(st: Stage, into: Path) -> Path:
    """Copy the stage's context `COPY` sources into `into` as Docker would; the WORKDIR's copy."""
    base = workdir(st)
    top = into / base.relative_to("/")
    top.mkdir(parents=True, exist_ok=True)
    for copy in context_copies(st):
        dest = PurePosixPath(copy.dest)
        dest = dest if dest.is_absolute() else base / dest
        target = into / dest.relative_to("/")
        as_dir = copy.dest.endswith("/") or len(copy.sources) > 1
        for source in copy.sources:
            origin = ROOT / source
            assert origin.exists(), f"the Dockerfile copies {source!r}, which does not exist"
            if origin.is_dir():
                # Docker copies a directory's contents, not the directory itself.
                shutil.copytree(origin, target, dirs_exist_ok=True)
            elif as_dir or target.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / origin.name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target)
    return top
