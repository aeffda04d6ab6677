"""compose.yaml and the Dockerfile say what the README's "Scaling" section says, and run
commands that exist (a renamed CLI command or settings variable fails here, not at deploy).

Docker itself is not needed: the file is read as YAML (``docker compose config`` checks the
rest where Docker is installed).
"""

from __future__ import annotations

import re

import pytest
import yaml

from config import ProductionConfig
from spinta.cli import spinta_cli
from tests.conftest import ROOT

APP_SERVICES = ("migrate", "api", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_production_layout(compose):
    services = compose["services"]
    assert set(APP_SERVICES) | {"postgres", "redis"} <= set(services)
    assert services["api"]["command"] == ["gunicorn", "wsgi:app"]
    for name in APP_SERVICES:
        assert services[name]["build"] == "."
        assert services[name]["environment"]["SPINTA_ENV"] == "production"
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://redis:")
    for name in ("api", "worker", "beat"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
    # Beat is never replicated; the replica is opt-in.
    assert "deploy" not in services["beat"] and "scale" not in services["beat"]
    assert services["postgres-replica"]["profiles"] == ["replica"]


def test_the_commands_exist(compose):
    services = compose["services"]
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:2] == ["flask", "spinta"] and command[2] in spinta_cli.commands
    migrate = services["migrate"]["command"][-1]
    for used in re.findall(r"flask spinta ([a-z-]+)", migrate):
        assert used in spinta_cli.commands


def test_the_environment_is_a_valid_production_config(compose):
    environ = {
        key: re.sub(r"\$\{([A-Z_]+)(?::[-?][^}]*)?\}", "", str(value))
        for key, value in compose["services"]["api"]["environment"].items()
    }
    environ["SECRET_KEY"] = "s" * 48
    config = ProductionConfig(environ)  # raises on a setting production refuses
    assert config.RATELIMIT_STORAGE_URI == "redis://redis:6379/0"
    assert config.SQLALCHEMY_BINDS == {}  # DATABASE_REPLICA_URL empty: the primary only


def test_the_dockerfile_installs_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "pip install -r requirements.txt" in dockerfile
    assert re.search(r'^CMD \["gunicorn", "wsgi:app"\]', dockerfile, re.M)
    assert re.search(r"^USER (?!root)", dockerfile, re.M)
