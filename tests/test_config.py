"""Config selection, parsing, URL normalisation and the production refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event

import config
from config import (
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    config_for,
    normalise_database_url,
)
from tests.conftest import requires_postgres

STRONG_KEY = "k" * 16 + "Q9x!r7Lm2pVz8wTb"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (None, DevelopmentConfig),
        ("development", DevelopmentConfig),
        ("testing", TestingConfig),
        ("production", ProductionConfig),
        (" Production ", ProductionConfig),
    ],
)
def test_config_for(monkeypatch, name, expected):
    monkeypatch.delenv("SPINTA_ENV", raising=False)
    assert config_for(name) is expected


def test_config_for_reads_spinta_env(monkeypatch):
    monkeypatch.setenv("SPINTA_ENV", "production")
    assert config_for() is ProductionConfig


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError, match="staging"):
        config_for("staging")


def test_a_typo_in_spinta_env_names_the_valid_values(monkeypatch):
    monkeypatch.setenv("SPINTA_ENV", "prod")
    with pytest.raises(ConfigError) as refused:
        config_for()
    assert str(refused.value) == (
        "SPINTA_ENV='prod' is not one of development, production, testing. Did you mean production?"
    )
    with pytest.raises(ConfigError, match=r"testing\.$"):
        config_for("xyz")  # nothing close: the valid values only


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg2://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_normalised(url, expected):
    assert normalise_database_url(url) == expected
    assert DevelopmentConfig({"DATABASE_URL": url}).SQLALCHEMY_DATABASE_URI == expected


def test_development_defaults_to_embedded_sqlite_in_instance():
    cfg = DevelopmentConfig({})
    assert cfg.SQLALCHEMY_DATABASE_URI == config.DEFAULT_SQLITE_URL
    assert cfg.SQLALCHEMY_DATABASE_URI.endswith("/instance/spinta.db")
    assert cfg.DEBUG is True
    assert "pool_size" not in cfg.SQLALCHEMY_ENGINE_OPTIONS


def test_defaults():
    cfg = DevelopmentConfig({})
    assert cfg.CORS_ORIGINS == ["http://localhost:3000", "http://localhost:8080"]
    assert cfg.MAX_UPLOAD_MB == 50
    assert cfg.MAX_CONTENT_LENGTH == 50 * 1024 * 1024
    assert cfg.APP_NAME == "Spinta"
    assert cfg.SQLALCHEMY_ECHO is False
    assert cfg.LOG_LEVEL == "DEBUG"
    assert cfg.JWT_EXPIRES_DAYS == 30


def test_values_from_environment():
    cfg = DevelopmentConfig(
        {
            "APP_NAME": "Club",
            "DEBUG": "false",
            "SQL_ECHO": "yes",
            "CORS_ORIGINS": "https://a.example, https://b.example,",
            "MAX_UPLOAD_MB": "5",
            "LOG_LEVEL": "warning",
            "SECRET_KEY": STRONG_KEY,
        }
    )
    assert cfg.APP_NAME == "Club"
    assert cfg.DEBUG is False
    assert cfg.SQLALCHEMY_ECHO is True
    assert cfg.CORS_ORIGINS == ["https://a.example", "https://b.example"]
    assert cfg.MAX_CONTENT_LENGTH == 5 * 1024 * 1024
    assert cfg.LOG_LEVEL == "WARNING"
    assert cfg.SECRET_KEY == STRONG_KEY


def test_bad_values_are_named():
    with pytest.raises(ConfigError, match="MAX_UPLOAD_MB"):
        DevelopmentConfig({"MAX_UPLOAD_MB": "lots"})
    with pytest.raises(ConfigError, match="boolean"):
        DevelopmentConfig({"DEBUG": "maybe"})


def test_postgres_engine_options():
    cfg = DevelopmentConfig({"DATABASE_URL": "postgres://u@h/db", "DB_POOL_SIZE": "7"})
    options = cfg.SQLALCHEMY_ENGINE_OPTIONS
    assert (options["pool_use_lifo"], options["pool_size"], options["max_overflow"]) == (
        True,
        7,
        5,
    )


def test_production_accepts_complete_settings():
    cfg = ProductionConfig({"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": STRONG_KEY})
    assert cfg.DEBUG is False
    assert cfg.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg2://u@h/db"


@pytest.mark.parametrize(
    ("environ", "problems"),
    [
        ({"SECRET_KEY": STRONG_KEY}, ["DATABASE_URL is not set"]),
        ({"DATABASE_URL": "postgres://h/db"}, ["SECRET_KEY is not set"]),
        ({"DATABASE_URL": "postgres://h/db", "SECRET_KEY": "short"}, ["shorter than 32"]),
        (
            {"DATABASE_URL": "postgres://h/db", "SECRET_KEY": "changeme"},
            ["known placeholder"],
        ),
        (
            {
                "DATABASE_URL": "postgres://h/db",
                "SECRET_KEY": "development-secret-key-not-for-production",
            },
            ["known placeholder"],
        ),
        ({}, ["DATABASE_URL is not set", "SECRET_KEY is not set"]),
        (
            {
                "DATABASE_URL": "postgres://h/db",
                "SECRET_KEY": STRONG_KEY,
                "RATELIMIT_STORAGE_URI": "memory://",
            },
            ["RATELIMIT_STORAGE_URI is memory://, so each worker would count on its own"],
        ),
    ],
)
def test_production_refuses_to_start(environ, problems):
    with pytest.raises(ConfigError) as excinfo:
        ProductionConfig(environ)
    lines = str(excinfo.value).splitlines()
    assert len(lines) == 1 + len(problems)
    for problem, line in zip(problems, lines[1:], strict=True):
        assert problem in line


def test_production_ignores_the_sqlite_default():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig({"SECRET_KEY": STRONG_KEY})


def test_max_events_default_and_setting():
    assert DevelopmentConfig({}).MAX_EVENTS == 50_000
    assert DevelopmentConfig({"MAX_EVENTS": "20000"}).MAX_EVENTS == 20_000
    with pytest.raises(ConfigError, match="MAX_EVENTS"):
        DevelopmentConfig({"MAX_EVENTS": "many"})


@pytest.mark.parametrize(
    "make",
    [
        lambda: DevelopmentConfig({}),
        lambda: DevelopmentConfig({"DATABASE_URL": "postgresql://u@localhost/db"}),
        lambda: config.TestingConfig({}),
        lambda: config.ProductionConfig(
            {"DATABASE_URL": "postgresql://u@localhost/db", "SECRET_KEY": STRONG_KEY}
        ),
    ],
    ids=["development-sqlite", "development-postgresql", "testing", "production"],
)
def test_sql_parameters_are_hidden_in_every_environment(make):
    """An error's text (and so the log of a 500) never carries the statement's parameters."""
    assert make().SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True


def test_production_shares_rate_limit_counters_in_redis_by_default():
    complete = {"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": STRONG_KEY}
    assert ProductionConfig(complete).RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    # An empty value (as in .env.example) means the default, too.
    blank = ProductionConfig({**complete, "RATELIMIT_STORAGE_URI": ""})
    assert blank.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"
    single = ProductionConfig(
        {**complete, "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_SINGLE_PROCESS": "true"}
    )
    assert single.RATELIMIT_STORAGE_URI == "memory://"
    assert DevelopmentConfig({}).RATELIMIT_STORAGE_URI == "memory://"


@requires_postgres
def test_a_worker_keeps_the_connections_its_concurrent_requests_opened(app):
    """A gevent worker under load: ten requests hold a connection at once, twice. The second
    time nothing is opened: the pool kept the ten (an overflow connection is closed on its
    return, and PostgreSQL forks a backend for each new one; bench/pool.py)."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], **options)
    opened = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    try:
        for _ in range(2):
            held = [engine.connect() for _ in range(10)]
            for connection in held:
                connection.close()
    finally:
        engine.dispose()
    assert len(opened) == 10
