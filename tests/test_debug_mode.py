"""Production never runs in debug mode, however it is started (issue 15, item 9).

`FLASK_DEBUG` (in the environment, from `.flaskenv` or `flask run --debug`), `DEBUG=true` and
`flask run --debugger` would serve the Werkzeug debugger (`/console`: code execution). In
production each is refused at start with one line; development keeps its debugger.
"""

from __future__ import annotations

import secrets

import pytest
from dotenv import dotenv_values

from config import ConfigError, DevelopmentConfig, ProductionConfig
from spinta.app import create_app
from spinta.preflight import refuse_debugger_in_production
from tests.test_startup import BIN, ROOT, closed_port, run

KEY = secrets.token_urlsafe(48)


def production(**env: str) -> dict[str, str]:
    return {"DATABASE_URL": "sqlite://", "SECRET_KEY": KEY, **env}


def test_flaskenv_does_not_force_debug():
    values = dotenv_values(ROOT / ".flaskenv")
    assert "FLASK_DEBUG" not in values
    assert "DEBUG" not in values


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"FLASK_DEBUG": "1"}, "FLASK_DEBUG"),
        ({"FLASK_DEBUG": "true"}, "FLASK_DEBUG"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"DEBUG": "1", "FLASK_DEBUG": "yes"}, "FLASK_DEBUG"),
    ],
)
def test_production_config_refuses_debug(env, name):
    with pytest.raises(ConfigError, match=rf"\b{name} is on: debug mode would serve"):
        ProductionConfig(production(**env))


@pytest.mark.parametrize("value", ["0", "false", "no", ""])
def test_production_accepts_debug_switched_off(value):
    assert ProductionConfig(production(FLASK_DEBUG=value)).DEBUG is False


def test_create_app_refuses_production_with_flask_debug_in_the_environment(monkeypatch):
    for name, value in production(SPINTA_ENV="production", FLASK_DEBUG="1").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="FLASK_DEBUG is on"):
        create_app()


def test_production_app_is_not_in_debug_mode():
    app = create_app(ProductionConfig(production()))
    assert app.debug is False
    assert app.config["DEBUG"] is False


@pytest.mark.parametrize(
    ("config", "debugger", "refused"),
    [
        (ProductionConfig(production()), True, True),  # flask run --debugger
        (ProductionConfig(production()), None, False),
        (ProductionConfig(production()), False, False),
        (DevelopmentConfig({"FLASK_DEBUG": "1"}), True, False),  # make run: flask run --debug
        (DevelopmentConfig({"FLASK_DEBUG": "1"}), None, False),
    ],
)
def test_flask_run_debugger_resolution(config, debugger, refused, capsys):
    app = create_app(config)
    if refused:
        with pytest.raises(SystemExit) as exit_:
            refuse_debugger_in_production(app, debugger)
        assert exit_.value.code == 2
        assert "never runs the Werkzeug debugger" in capsys.readouterr().err
    else:
        refuse_debugger_in_production(app, debugger)


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["run"], {"FLASK_DEBUG": "1"}, "FLASK_DEBUG is on"),
        (["run", "--debug"], {}, "FLASK_DEBUG is on"),
        (["run"], {"DEBUG": "true"}, "DEBUG is on"),
        (["run", "--debugger"], {}, "never runs the Werkzeug debugger"),
    ],
)
def test_flask_run_in_production_refuses_debug_with_one_line(tmp_path, args, env, expected):
    """The real `flask run` exits 2 with one line before serving (a server would run into the
    timeout)."""
    result = run(
        [str(BIN / "flask"), *args, "--port", str(closed_port())],
        SPINTA_ENV="production",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
        SECRET_KEY=KEY,
        **env,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Error: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert "Running on" not in result.stderr + result.stdout


def test_gunicorn_in_production_refuses_flask_debug(tmp_path):
    result = run(
        [str(BIN / "gunicorn"), "wsgi:app", "--bind", f"127.0.0.1:{closed_port()}"],
        SPINTA_ENV="production",
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
        SECRET_KEY=KEY,
        FLASK_DEBUG="1",
    )
    assert result.returncode != 0
    assert "FLASK_DEBUG is on" in result.stderr + result.stdout
