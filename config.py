"""Spinta configuration: one class per environment, every value read once from the environment.

`.env` (python-dotenv) is loaded here, so `flask`, gunicorn and tests all see the same settings.
Select the class with ``SPINTA_ENV`` (development, testing, production); development is the default.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path

import orjson
from dotenv import load_dotenv

from spinta import __version__

BASE_DIR = Path(__file__).resolve().parent
load_dotenv(BASE_DIR / ".env", override=False)

DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'instance' / 'spinta.db'}"
DEFAULT_CORS_ORIGINS = "http://localhost:3000,http://localhost:8080"
# Keys that appear in examples and tutorials; production must never run with one of them.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "secret",
        "secret-key",
        "your-secret-key",
        "dev",
        "dev-secret-key",
        "development-secret-key-not-for-production",
        "replace-me-with-a-long-random-string-of-at-least-32-characters",
    }
)
MIN_SECRET_LENGTH = 32
# PostgreSQL connections a process keeps, and how many more it may open for a burst: at most
# POOL_SIZE + POOL_OVERFLOW requests of a worker hold one at once (README "Configuration").
POOL_SIZE, POOL_OVERFLOW = 10, 5


def _orjson_text(value: object) -> str:
    return orjson.dumps(value).decode()


def flask_debug(env: Mapping[str, str]) -> bool:
    """Whether ``FLASK_DEBUG`` asks for debug mode (read as Flask's own CLI reads it)."""
    return env.get("FLASK_DEBUG", "").strip().lower() not in {"", "0", "false", "no"}


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service; the message names every problem."""


def as_bool(value: str | None, default: bool = False) -> bool:
    """Parse a boolean setting: 1/true/yes/on are true, 0/false/no/off/"" are false."""
    if value is None:
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"Cannot read {value!r} as a boolean (use true or false).")


def as_int(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}.") from None


def as_list(value: str | None, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    raw = default if value is None else value
    return [item.strip() for item in raw.split(",") if item.strip()]


def normalise_database_url(url: str) -> str:
    """Pin PostgreSQL URLs to psycopg2 (SQLAlchemy 2.1 would otherwise pick psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def celery_settings(env: Mapping[str, str], redis_url: str) -> dict:
    """Celery's settings (spinta.tasks): the broker is ``CELERY_BROKER_URL`` (Redis or RabbitMQ,
    ``amqp://user:pass@host:5672//``), else ``REDIS_URL``; with neither, tasks run in-process
    when they are queued (``task_always_eager``), so ``make run`` and ``make test`` need nothing.
    Job status and results live in the ``jobs`` table; Celery's own result store is optional
    (``CELERY_RESULT_BACKEND``, default: the broker when it is Redis)."""
    broker = (env.get("CELERY_BROKER_URL") or redis_url).strip()
    backend = env.get("CELERY_RESULT_BACKEND", "").strip()
    if not backend and broker.startswith(("redis://", "rediss://")):
        backend = broker
    return {
        "broker_url": broker or "memory://localhost/",
        "result_backend": backend or None,
        "task_always_eager": not broker,
        # In-process, a task's unexpected error marks its job failed, as a worker would.
        "task_eager_propagates": False,
        "task_ignore_result": True,
        # A message is acknowledged only when its task has finished: a worker that dies
        # mid-job (SIGKILL, lost host) leaves it to be redelivered to another worker.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_default_queue": env.get("CELERY_QUEUE", "spinta").strip() or "spinta",
        "broker_connection_retry_on_startup": True,
        # Redis: a message not acknowledged within this many seconds goes to another worker
        # (a worker machine lost as a whole; a killed pool process's job is requeued at once).
        "broker_transport_options": {
            "visibility_timeout": as_int(
                "CELERY_VISIBILITY_TIMEOUT", env.get("CELERY_VISIBILITY_TIMEOUT"), 3600
            )
        },
        "timezone": "UTC",
        "worker_hijack_root_logger": False,
    }


class Config:
    """Settings shared by every environment. Instantiate to read the environment."""

    ENV_NAME = "base"
    DEBUG_DEFAULT = False
    default_ratelimit_storage = "memory://"
    LOG_FORMAT_DEFAULT = "json"
    TESTING = False

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.APP_NAME = env.get("APP_NAME", "Spinta")
        self.DEBUG = as_bool(env.get("DEBUG"), self.DEBUG_DEFAULT)
        self.LOG_LEVEL = env.get("LOG_LEVEL", "DEBUG" if self.DEBUG else "INFO").upper()
        self.LOG_FORMAT = (env.get("LOG_FORMAT") or self.LOG_FORMAT_DEFAULT).strip().lower()
        if self.LOG_FORMAT not in {"json", "console"}:
            raise ConfigError(f"LOG_FORMAT must be json or console, got {self.LOG_FORMAT!r}.")
        self.FLASK_DEBUG = flask_debug(env)
        self.SECRET_KEY = env.get("SECRET_KEY", "")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(self.database_url(env))
        self.SQLALCHEMY_ECHO = as_bool(env.get("SQL_ECHO"))
        # The screen cache's login read as a server-side prepared statement on PostgreSQL
        # (spinta.security): off behind a pooler in transaction mode (PgBouncer), whose server
        # connections do not keep a client's prepared statements.
        self.DB_PREPARED_STATEMENTS = as_bool(env.get("DB_PREPARED_STATEMENTS"), True)
        self.SQLALCHEMY_ENGINE_OPTIONS = self.engine_options(env)
        # An optional read replica (spinta.replica): the read screens read from it.
        self.DATABASE_REPLICA_URL = normalise_database_url(self.replica_url(env).strip())
        self.SQLALCHEMY_BINDS = (
            {"replica": {"url": self.DATABASE_REPLICA_URL}} if self.DATABASE_REPLICA_URL else {}
        )
        self.SQLALCHEMY_TRACK_MODIFICATIONS = False
        self.CORS_ORIGINS = as_list(env.get("CORS_ORIGINS"), DEFAULT_CORS_ORIGINS)
        self.MAX_UPLOAD_MB = as_int("MAX_UPLOAD_MB", env.get("MAX_UPLOAD_MB"), 50)
        self.MAX_CONTENT_LENGTH = self.MAX_UPLOAD_MB * 1024 * 1024
        # A multipart form's text fields (the events travel as a file part) and its parts;
        # over either -> 413 naming it (spinta.bodies).
        self.MAX_FORM_MEMORY_SIZE = min(1024 * 1024, self.MAX_CONTENT_LENGTH)
        self.MAX_FORM_PARTS = 1000
        # Events in one uploaded file: a match has 3,000-5,000; more -> 422 before analysis.
        self.MAX_EVENTS = as_int("MAX_EVENTS", env.get("MAX_EVENTS"), 50_000)
        # Rendered read screens kept per process (spinta.screen_cache); 0 turns the cache off.
        self.SCREEN_CACHE_ENTRIES = as_int(
            "SCREEN_CACHE_ENTRIES", env.get("SCREEN_CACHE_ENTRIES"), 2048
        )
        # Seconds a screen stays in the Redis screen cache (REDIS_URL set); never stale anyway.
        self.SCREEN_CACHE_TTL = as_int("SCREEN_CACHE_TTL", env.get("SCREEN_CACHE_TTL"), 86400)
        # Drawn charts and reports kept per process (spinta.services.charts); 0 turns it off.
        self.CHART_CACHE_ENTRIES = as_int(
            "CHART_CACHE_ENTRIES", env.get("CHART_CACHE_ENTRIES"), 512
        )
        # A Redis shared by the workers and the job worker for drawn charts and reports
        # (e.g. redis://127.0.0.1:6379/1); empty: each process keeps its own only.
        self.CHART_CACHE_URL = env.get("CHART_CACHE_URL", "")
        self.CHART_CACHE_TTL_SECONDS = as_int(
            "CHART_CACHE_TTL_SECONDS", env.get("CHART_CACHE_TTL_SECONDS"), 7 * 86400
        )

        # Tokens (Flask-JWT-Extended)
        self.JWT_SECRET_KEY = env.get("JWT_SECRET_KEY") or self.SECRET_KEY
        self.JWT_ALGORITHM = "HS256"
        self.JWT_DECODE_ALGORITHMS = ["HS256"]
        self.JWT_EXPIRES_DAYS = as_int("JWT_EXPIRES_DAYS", env.get("JWT_EXPIRES_DAYS"), 30)
        self.JWT_TOKEN_LOCATION = ["headers"]
        # Days an invite code can be used; a coach can issue a new one (api.md).
        self.INVITE_CODE_TTL_DAYS = as_int(
            "INVITE_CODE_TTL_DAYS", env.get("INVITE_CODE_TTL_DAYS"), 30
        )
        # argon2id cost; defaults are OWASP's recommendation (19 MiB, 2 passes, 1 lane: ~20 ms
        # a login here). Raising them re-hashes each password at its next login.
        # Children's data (README "Children's data"): consent age, erasure deadline, how long
        # a player who left is kept, how long access-log entries are kept.
        self.CONSENT_AGE = as_int("CONSENT_AGE", env.get("CONSENT_AGE"), 16)
        self.ERASURE_DEADLINE_DAYS = as_int(
            "ERASURE_DEADLINE_DAYS", env.get("ERASURE_DEADLINE_DAYS"), 7
        )
        self.RETENTION_MONTHS = as_int("RETENTION_MONTHS", env.get("RETENTION_MONTHS"), 24)
        self.ACCESS_LOG_RETENTION_MONTHS = as_int(
            "ACCESS_LOG_RETENTION_MONTHS", env.get("ACCESS_LOG_RETENTION_MONTHS"), 36
        )
        self.ARGON2_TIME_COST = as_int("ARGON2_TIME_COST", env.get("ARGON2_TIME_COST"), 2)
        self.ARGON2_MEMORY_KIB = as_int("ARGON2_MEMORY_KIB", env.get("ARGON2_MEMORY_KIB"), 19456)
        self.ARGON2_PARALLELISM = as_int("ARGON2_PARALLELISM", env.get("ARGON2_PARALLELISM"), 1)

        # Redis shared by every process and host: the screen cache, rate-limit counters and,
        # unless CELERY_BROKER_URL says otherwise, the job queue. Unset: per-process memory.
        self.REDIS_URL = env.get("REDIS_URL", "").strip()
        self.CELERY = celery_settings(env, self.REDIS_URL)

        # Rate limits (Flask-Limiter): counters in memory (one process) or Redis (shared by all
        # workers and hosts; the production default).
        self.RATELIMIT_STORAGE_URI = (
            env.get("RATELIMIT_STORAGE_URI") or self.REDIS_URL or self.default_ratelimit_storage
        )
        self.RATELIMIT_SINGLE_PROCESS = as_bool(env.get("RATELIMIT_SINGLE_PROCESS"))
        self.RATELIMIT_ENABLED = as_bool(env.get("RATELIMIT_ENABLED"), True)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_AUTH = env.get("RATELIMIT_AUTH", "10/minute;100/hour")
        # Login and change-password per account (whether it exists or not), on top of the above.
        self.RATELIMIT_ACCOUNT = env.get("RATELIMIT_ACCOUNT", "10/minute;100/hour")
        self.TRUSTED_PROXIES = as_int("TRUSTED_PROXIES", env.get("TRUSTED_PROXIES"), 0)

        # OpenAPI documentation (flask-smorest); assets are served by this app, never a CDN.
        self.API_TITLE = self.APP_NAME + " API"
        self.API_VERSION = __version__  # one source: /openapi.json and /api/health/detailed
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "docs"
        self.OPENAPI_SWAGGER_UI_URL = "/docs/assets/swagger-ui/"
        self.OPENAPI_REDOC_PATH = "redoc"
        self.OPENAPI_REDOC_URL = "/docs/assets/redoc/redoc.standalone.js"

        self.validate()

    def database_url(self, env: Mapping[str, str]) -> str:
        return env.get("DATABASE_URL") or DEFAULT_SQLITE_URL

    def replica_url(self, env: Mapping[str, str]) -> str:
        return env.get("DATABASE_REPLICA_URL", "")

    def engine_options(self, env: Mapping[str, str]) -> dict:
        url = normalise_database_url(self.database_url(env))
        # orjson for JSON columns (every stored event goes through it). Statement parameters
        # (password hashes, emails, tokens' data) never appear in an error's text, and so
        # never in a log line or SQL_ECHO output, in any environment.
        common = {
            "json_serializer": _orjson_text,
            "json_deserializer": orjson.loads,
            "hide_parameters": True,
        }
        if url.startswith("sqlite"):
            return common
        return {
            **common,
            # pool_pre_ping's check runs once per connection and request instead
            # (spinta.database.ping_on_checkout); LIFO hands a request's next checkout the
            # connection it just returned. A gevent worker holds as many connections as it has
            # requests in a query or commit at once; the pool keeps up to POOL_SIZE of them
            # (opened as needed), since an overflow connection is closed on its return and
            # PostgreSQL forks a backend for the next one (bench/pool.py).
            "pool_use_lifo": True,
            "pool_size": as_int("DB_POOL_SIZE", env.get("DB_POOL_SIZE"), POOL_SIZE),
            "max_overflow": as_int("DB_MAX_OVERFLOW", env.get("DB_MAX_OVERFLOW"), POOL_OVERFLOW),
        }

    def validate(self) -> None:
        """Refuse settings that cannot work; subclasses add their own rules."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG_DEFAULT = True
    LOG_FORMAT_DEFAULT = "console"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        if not self.SECRET_KEY:
            # A fixed key keeps sessions stable across reloads on a laptop; production refuses it.
            self.SECRET_KEY = "development-secret-key-not-for-production"
        self.JWT_SECRET_KEY = self.JWT_SECRET_KEY or self.SECRET_KEY


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    __test__ = False  # not a pytest test class

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        self.SECRET_KEY = "testing-secret-key-that-is-long-enough-0123456789"
        self.JWT_SECRET_KEY = self.SECRET_KEY
        self.RATELIMIT_STORAGE_URI = "memory://"
        # Fast tests, still argon2id (the production cost is tested in test_auth).
        self.ARGON2_TIME_COST, self.ARGON2_MEMORY_KIB, self.ARGON2_PARALLELISM = 1, 8, 1

    def database_url(self, env: Mapping[str, str]) -> str:
        return env.get("SPINTA_TEST_DATABASE_URL") or "sqlite://"

    def replica_url(self, env: Mapping[str, str]) -> str:
        # Not DATABASE_REPLICA_URL: a developer's .env never points the tests at a replica.
        return env.get("SPINTA_TEST_DATABASE_REPLICA_URL", "")


class ProductionConfig(Config):
    ENV_NAME = "production"
    default_ratelimit_storage = "redis://127.0.0.1:6379/0"

    def database_url(self, env: Mapping[str, str]) -> str:
        return env.get("DATABASE_URL", "")

    def engine_options(self, env: Mapping[str, str]) -> dict:
        return super().engine_options(env) if self.database_url(env) else {"hide_parameters": True}

    def validate(self) -> None:
        problems = []
        for name, on in (("DEBUG", self.DEBUG), ("FLASK_DEBUG", self.FLASK_DEBUG)):
            if on:
                problems.append(
                    f"{name} is on: debug mode would serve the Werkzeug debugger (code "
                    "execution); unset it (make run is the development server)."
                )
        if not self.SQLALCHEMY_DATABASE_URI:
            problems.append("DATABASE_URL is not set (e.g. postgresql://user:pass@host/spinta).")
        if not self.SECRET_KEY:
            problems.append("SECRET_KEY is not set (use at least 32 random characters).")
        elif self.SECRET_KEY.strip().lower() in PLACEHOLDER_SECRETS:
            problems.append("SECRET_KEY is a known placeholder; generate a random one.")
        elif len(self.SECRET_KEY) < MIN_SECRET_LENGTH:
            problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters.")
        if self.RATELIMIT_STORAGE_URI.startswith("memory://") and not self.RATELIMIT_SINGLE_PROCESS:
            problems.append(
                "RATELIMIT_STORAGE_URI is memory://, so each worker would count on its own; use"
                " redis://host:6379/0 (or RATELIMIT_SINGLE_PROCESS=true for one process only)."
            )
        if problems:
            raise ConfigError("Refusing to start in production:\n" + "\n".join(problems))


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """The config class for ``name`` (default: ``SPINTA_ENV``, else development)."""
    name = (name or os.environ.get("SPINTA_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        close = difflib.get_close_matches(name, CONFIGS, n=1, cutoff=0.3)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise ConfigError(
            f"SPINTA_ENV={name!r} is not one of {', '.join(sorted(CONFIGS))}.{hint}"
        ) from None
