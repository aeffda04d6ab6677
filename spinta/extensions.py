"""Flask extensions, created unbound here and bound to the app in :mod:`spinta.app`."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from cachetools import LRUCache
from flask import Flask, current_app
from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.engine import Connection, Result
from sqlalchemy.exc import SQLAlchemyError

from spinta.models.base import Base
from spinta.prepared import execute_prepared
from spinta.replica import RoutingSession
from spinta.schemas.service import ErrorSchema

log = structlog.get_logger(__name__)
AUTOCOMMIT = "spinta.autocommit"  # pooled connection info: set to autocommit for a request


class Database(SQLAlchemy):
    """Flask-SQLAlchemy whose end-of-request cleanup survives a connection that died during
    the request (a database restart): its rollback would raise after the answer was built and
    replace it with gunicorn's HTML 500."""

    def discard_session(self) -> None:
        """Give up the request's session without a rollback: its connections are invalidated."""
        try:
            self.session().invalidate()
        finally:
            self.session.registry.clear()

    @contextmanager
    def own_connection(self) -> Iterator[Connection]:
        """A connection of the primary engine, outside the request's session, for one statement
        that must not start the session (the screen cache's login read, the access log's
        write). On PostgreSQL psycopg2 runs it in autocommit: the statement is its own
        transaction (a read its own snapshot, a write committed as durably as any commit),
        without BEGIN and COMMIT or ROLLBACK round trips; psycopg2 keeps that setting on the
        client side, and it is set back before the connection returns to the pool. A failure
        to close it on a connection that died after the statement is logged and the
        connection dropped: the answer is not replaced by a 500, as in the session's teardown
        below."""
        connection = self.engine.connect()
        raw = connection.connection.dbapi_connection
        autocommit = connection.dialect.driver == "psycopg2"
        try:
            if autocommit:
                raw.autocommit = True
            yield connection
        finally:
            try:
                if autocommit:
                    raw.autocommit = False
                connection.close()
            except SQLAlchemyError:
                log.warning("connection_close_failed")
                if not connection.closed:  # a disconnect already invalidated and closed it
                    connection.invalidate()

    def session_reads_outside_a_transaction(self) -> None:
        """From here on the request's session reads the primary in autocommit (PostgreSQL):
        for a request that only reads (a cached screen's miss). Under READ COMMITTED each
        statement sees every write committed before it, inside a transaction or not; without
        one psycopg2 sends no BEGIN and the session's end no ROLLBACK (two round trips of a cold
        screen's eight; SQLAlchemy's own AUTOCOMMIT isolation level would send a SET instead,
        each way). A write in it would commit statement by statement: call it only where
        nothing is written. The connection is set back when it returns to the pool
        (:func:`spinta.database.end_autocommit`); the replica's, when there is one, is left
        as it is."""
        connection = self.session.connection(bind_arguments={"bind": self.engine})
        if connection.dialect.driver == "psycopg2":
            pooled = connection.connection
            pooled.dbapi_connection.autocommit = True
            pooled.info[AUTOCOMMIT] = True

    def read(self, statement: Any, params: dict[str, Any]) -> Result:
        """A screen's statement built once, on the connection the session would send it to
        (the replica when it has caught up), prepared on PostgreSQL
        (:func:`spinta.prepared.execute_prepared`). For reads: pending ORM changes are not
        flushed first."""
        bind = self.session.get_bind(clause=statement)
        connection = self.session.connection(bind_arguments={"bind": bind})
        return execute_prepared(connection, statement, params)

    def _teardown_session(self, exc: BaseException | None) -> None:
        try:
            self.session.remove()
        except SQLAlchemyError:
            log.warning("session_close_failed")
            self.discard_session()


# Objects keep their loaded values after commit: a response is built from what was written,
# without a second round of queries that could fail after the data is already stored. The
# session sends a read screen's reads to the replica when there is one (spinta.replica).
db = Database(
    model_class=Base, session_options={"expire_on_commit": False, "class_": RoutingSession}
)
migrate = Migrate()
cors = CORS()


class RememberingJWTManager(JWTManager):
    """flask-jwt-extended's manager, remembering each token whose signature checked out.

    Every decode goes through here: the guards' (``verify_jwt_in_request``), the screen cache's
    fast path and the access log's (``decode_token``). A token seen before by this app (a
    bounded LRU per app, keyed by the whole token, signature included) only has its expiry
    checked again: decoding it (three PyJWT parses and the signature) was a fifth of a cached
    screen's CPU, and a cold screen decoded it twice. Any change to the token misses and is
    verified in full; an expired one is decoded in full again, so it gets flask-jwt-extended's
    own error (the expired-token answer). A logged-out token or a user's older token version is
    refused by the login query, which runs on every request. The claims are shared between
    requests: nothing may change them.
    """

    ENTRIES = 4096  # a few hundred bytes each
    _KEY = "spinta.verified_tokens"

    def init_app(self, app: Flask, add_context_processor: bool = False) -> None:
        super().init_app(app, add_context_processor)
        app.extensions[self._KEY] = (LRUCache(self.ENTRIES), threading.Lock())

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value=None, allow_expired: bool = False
    ) -> dict:
        tokens, lock = current_app.extensions[self._KEY]
        with lock:
            claims = tokens.get(encoded_token)
        if claims is not None and csrf_value is None:
            expires = claims.get("exp")  # PyJWT checks it only when the token has one
            leeway = current_app.config.get("JWT_DECODE_LEEWAY", 0)
            if expires is None or expires + leeway > time.time():
                return claims
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if csrf_value is None and not allow_expired:
            with lock:
                tokens[encoded_token] = claims
        return claims


jwt = RememberingJWTManager()
limiter = Limiter(key_func=get_remote_address)


class SpintaApi(Api):
    """flask-smorest Api documenting Spinta's error contract instead of its default one.

    No catch-all "default" response: each view lists the error statuses it can answer
    (:func:`spinta.api.docs.errors`), so the document says exactly what a client gets.
    """

    ERROR_SCHEMA = ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None


api = SpintaApi()
