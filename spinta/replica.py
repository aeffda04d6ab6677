"""Read replicas: the read-only screens read from ``DATABASE_REPLICA_URL``, all else the primary.

The replica is a Flask-SQLAlchemy bind (``SQLALCHEMY_BINDS["replica"]``, no model belongs to
it) and the choice is made per statement by :class:`RoutingSession`, SQLAlchemy's documented
"custom vertical partitioning" (``Session.get_bind``). Without ``DATABASE_REPLICA_URL`` there
is no such bind and every statement goes to the primary, as before.

Which request may read from the replica: a GET of a declared read screen (``@screen`` in
spinta.screen_cache: the coach's and the player's screens) or of the charts, reports, exports
and events (blueprints :data:`REPLICA_BLUEPRINTS`). Nothing else ever does: logins, uploads,
edits, jobs, the CLI and the Celery tasks all run on the primary.

Inside such a request a statement goes to the replica only when

- it is a plain SELECT (no ``FOR UPDATE``), not part of a flush;
- nothing was written yet in this request: the first INSERT, UPDATE, DELETE, flush, raw
  connection or locking read pins the rest of the request to the primary (reads inside a write
  transaction, and after a write, read the primary: read-your-own-writes within a request);
- the role guard has already loaded the login's club, from the primary: the screen cache's
  fast path (``peek_login``: token, logout, token version and the club's ``data_version``) and
  the guard (its own query, or on a screen's miss the fast path's row: ``adopt_login``) always
  run before that, so authentication and the cache's version check always read the primary
  (what the guard reads after setting the club, a staff coach's team set, is club data like
  any other: its changes replace the data version too);
- the replica has caught up with that club: on the connection the request will then read
  from, the replica's ``data_version`` of the club is the one the guard read on the primary.
  Every write that changes a screen replaces the token (``commit_club_write``), the replica
  applies the primary's transactions in commit order, and random tokens never repeat, so an
  equal token means every change of the club committed before the guard ran is there. A coach
  who has just uploaded thus reads his new match (read-your-own-writes across requests), and a
  screen cached under version v holds data at least as new as v: the screen cache's
  never-stale argument holds unchanged. A replica behind (or ahead, or not answering) sends
  the request to the primary.

``DATABASE_REPLICA_URL`` must name one server (a streaming-replication standby; not a pool of
standbys with different lags). Give the replica's role read-only rights, or connect with
``?options=-c%20default_transaction_read_only%3Don``: nothing is ever written there.
"""

from __future__ import annotations

import enum

import structlog
from flask import Flask, current_app, g, request
from flask_sqlalchemy.session import Session
from sqlalchemy import Select, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.base import NO_VALUE

from spinta.models import Club

REPLICA = "replica"
# GET endpoints of these blueprints are read-only (charts, reports, exports, event lists).
REPLICA_BLUEPRINTS = frozenset({"coach_charts", "player_charts"})
_STATE = "spinta.replica"
log = structlog.get_logger(__name__)


class Route(enum.Enum):
    ELIGIBLE = "eligible"  # a read-only screen; not decided yet
    REPLICA = "replica"  # the replica has caught up: plain reads go there
    PRIMARY = "primary"  # a write, a lagging replica or an error: the primary from now on


class RoutingSession(Session):
    """Flask-SQLAlchemy's session choosing the replica for a read screen's plain reads."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self._reads_replica(clause):
            return self._db.engines[REPLICA]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    def _reads_replica(self, clause) -> bool:
        route = self.info.get(_STATE)
        if route is None or route is Route.PRIMARY:
            return False
        if self._flushing or not _plain_select(clause):
            self.info[_STATE] = Route.PRIMARY  # this request wrote (or may): primary from now on
            return False
        if route is Route.REPLICA:
            return True
        wanted = _guarded_club_version()
        if wanted is None:
            return False  # the fast path or the guard: the primary, decided later
        self.info[_STATE] = Route.REPLICA if self._caught_up(*wanted) else Route.PRIMARY
        return self.info[_STATE] is Route.REPLICA

    def _caught_up(self, club_id, version) -> bool:
        """The replica's data version of the club is the primary's, read on the connection
        this session reads the replica through from now on (the same server, later reads)."""
        statement = select(Club.__table__.c.data_version).where(Club.__table__.c.id == club_id)
        try:
            connection = self.connection(bind_arguments={"bind": self._db.engines[REPLICA]})
            found = connection.execute(statement).scalar()
        except SQLAlchemyError:
            log.warning("replica_unavailable")
            return False
        if found != version:
            log.debug("replica_behind")
        return found == version


def _plain_select(clause) -> bool:
    return isinstance(clause, Select) and clause._for_update_arg is None


def _loaded(obj, attribute: str):
    """An attribute's value when already loaded, else None (never a lazy load: that would be a
    query, routed through here again)."""
    value = inspect(obj).attrs[attribute].loaded_value
    return None if value is NO_VALUE else value


def _guarded_club_version():
    """(club id, data version) of the club the role guard loaded, or None before the guard."""
    club = getattr(g, "club", None)
    player = getattr(g, "player", None)
    if club is None and player is not None:
        club = _loaded(player, "club")
    if club is None:
        return None
    version = _loaded(club, "data_version")
    return None if version is None else (club.id, version)


def is_read_screen(app: Flask, endpoint: str | None) -> bool:
    """Whether a GET of ``endpoint`` may read from the replica."""
    if endpoint is None:
        return False
    if endpoint.split(".", 1)[0] in REPLICA_BLUEPRINTS:
        return True
    return getattr(app.view_functions.get(endpoint), "screen", None) is not None


def route_of_request() -> Route | None:
    """Where this request's reads went so far (None: not a read screen, or no replica)."""
    from spinta.extensions import db

    return db.session().info.get(_STATE)


def init_app(app: Flask) -> None:
    """Mark each read screen's session as eligible (only when a replica is configured)."""
    if REPLICA not in app.config.get("SQLALCHEMY_BINDS", {}):
        return
    from spinta.extensions import db

    @app.before_request
    def _mark_read_screen() -> None:
        info = db.session().info
        info.pop(_STATE, None)
        if request.method == "GET" and is_read_screen(current_app, request.endpoint):
            info[_STATE] = Route.ELIGIBLE

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        db.session().info.pop(_STATE, None)
