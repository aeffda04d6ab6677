"""Children's data: export (Art. 15/20), erasure (Art. 17), retention, removal, access log.

- :func:`export_tables` gathers every row Spinta holds about a player (:data:`EXPORT_TABLES`,
  checked against the schema by ``tests/test_privacy.py``); :func:`export_zip` streams it as a
  ZIP of ``player.json`` and one CSV per table.
- :func:`request_erasure` records a request due ``ERASURE_DEADLINE_DAYS`` (7) later;
  :func:`purge` carries out due requests, erases players who left the club more than
  ``RETENTION_MONTHS`` (24) ago unless the club keeps them, and drops access-log entries older
  than ``ACCESS_LOG_RETENTION_MONTHS`` (36). It is idempotent and is what ``flask spinta
  purge`` and a scheduler call.
- :func:`erase_player` removes the personal data and replaces the player in match records with
  a stable label ("Player #10 (erased)"): his statistics rows stay (as the label), so team
  totals and every other player's numbers are unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import orjson
import structlog
from flask import current_app
from sqlalchemy import (
    Select,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import (
    AccessLogEntry,
    AdvancedMetric,
    ChatMessage,
    ChatSession,
    Club,
    Coach,
    Consent,
    DevelopmentGoal,
    ErasureRequest,
    Event,
    Goal,
    Guardian,
    Match,
    MatchLineup,
    Player,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
    TeamPlayer,
    TrainingExercise,
    TrainingPlan,
    User,
    utcnow,
)
from spinta.screen_cache import commit_club_write
from spinta.services.consent import club_player, delete_orphan_guardian_user
from spinta.services.invites import as_utc

log = structlog.get_logger("spinta.privacy")

DAYS_PER_MONTH = 30
ERASED_CODE_PREFIX = "ERASED-"
NOT_EXPORTED_COLUMNS = {"users": {"password_hash", "token_version"}}


# ---------------------------------------------------------------- access log


def record_access(
    player_id: uuid.UUID,
    *,
    actor_role: str,
    actor_id: uuid.UUID | None,
    action: str,
    fields: list[str] | tuple[str, ...] = (),
) -> None:
    """Add an access-log entry to the current transaction (the caller commits)."""
    db.session.add(
        AccessLogEntry(
            player_id=player_id,
            actor_role=actor_role,
            actor_id=actor_id,
            action=action,
            fields=list(fields),
        )
    )


def log_access(player_id: uuid.UUID, **entry: Any) -> None:
    """Record an access-log entry in a transaction of its own."""
    record_access(player_id, **entry)
    db.session.commit()


def _log_read_statement(by_player: bool) -> Any:
    """The INSERT ... SELECT of :func:`log_read`, built once per form (the subject by player id,
    or by the reader's user id) with bound parameters: building and compiling it took about a
    third of a cached personal screen (bench/ratios.py, player detail). Its commit is a durable
    one like every write: a read of a child's data is never lost from the log."""
    table = AccessLogEntry.__table__
    subject = select(Player.id).where(
        Player.id == bindparam("player_id", type_=Uuid())
        if by_player
        else Player.user_id == bindparam("user_id", type_=Uuid())
    )
    values = select(
        bindparam("id", type_=Uuid()),
        subject.scalar_subquery(),
        bindparam("at", type_=table.c.at.type),
        bindparam("role", type_=table.c.actor_role.type),
        bindparam("user_id", type_=Uuid()),
        bindparam("action", type_=table.c.action.type),
        bindparam("fields", type_=table.c.fields.type),
    ).where(subject.exists())
    columns = ["id", "player_id", "at", "actor_role", "actor_id", "action", "fields"]
    return insert(table).from_select(columns, values)


_LOG_READ: dict[bool, Any] = {}


def log_read(
    role: str, user_id: uuid.UUID, player_id: uuid.UUID | None, action: str, fields: list
) -> None:
    """A read of a personal screen, in one INSERT ... SELECT: the subject is ``player_id``, or
    the reading player himself (found by his user id in the same statement); nothing is
    written when there is none. (A cached screen's fast path on PostgreSQL writes the entry in
    its login read instead: :class:`spinta.security.Audit`.)"""
    by_player = player_id is not None
    if by_player not in _LOG_READ:
        _LOG_READ[by_player] = _log_read_statement(by_player)
    params = {
        "id": uuid.uuid4(),
        "at": utcnow(),
        "role": role,
        "user_id": user_id,
        "action": action,
        "fields": fields,
    }
    if by_player:
        params["player_id"] = player_id
    # Outside the request's session, like the screen cache's login read: on PostgreSQL one
    # round trip (autocommit: the statement commits itself, as durably as any commit) instead
    # of BEGIN, INSERT and COMMIT; a cache hit never starts the session.
    with db.own_connection() as connection:
        connection.execute(_LOG_READ[by_player], params)
        connection.commit()


def forget_read(entry_id: uuid.UUID) -> None:
    """Delete the access-log entry a cached screen's fast path wrote before its view answered
    other than 2xx (:class:`spinta.security.Audit`): a read that was not answered is no read.
    When that fails (the database went away, often why the view failed) the entry stays, an
    attempted read logged, and the answer is not replaced by a 500."""
    try:
        with db.own_connection() as connection:
            connection.execute(delete(AccessLogEntry).where(AccessLogEntry.id == entry_id))
            connection.commit()
    except SQLAlchemyError:
        log.warning("access_log_take_back_failed", entry_id=str(entry_id))


def access_log(*, club: Club, player_id: uuid.UUID) -> list[AccessLogEntry]:
    player = db.session.scalar(
        select(Player).where(Player.id == player_id, Player.club_id == club.id)
    )
    if player is None:
        raise NotFound("Player not found.")
    return list(
        db.session.scalars(
            select(AccessLogEntry)
            .where(AccessLogEntry.player_id == player.id)
            .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id)
        )
    )


# ---------------------------------------------------------------- export


def _club_matches(player: Player) -> Select:
    return select(Match.id).where(Match.club_id == player.club_id)


def _played(player: Player) -> Select:
    return select(MatchLineup.match_id).where(MatchLineup.player_id == player.id)


def _by_player(model: Any) -> Callable[[Player], Select]:
    return lambda player: select(model).where(model.player_id == player.id)


def _user_rows(player: Player) -> Select:
    return select(User).where(User.id == player.user_id)


def _his_id_in(player: Player, match_id: Any, *ids: Any) -> Any:
    """Whether one of ``ids`` is his id in the match ``match_id``: each match's own (his
    lineup row's), since a club's matches come from several providers and a player keeps only
    the first one's id on his squad row."""
    return (
        select(MatchLineup.id)
        .where(
            MatchLineup.player_id == player.id,
            MatchLineup.match_id == match_id,
            or_(*(column == MatchLineup.external_id for column in ids)),
        )
        .exists()
    )


def _goal_rows(player: Player) -> Select:
    return select(Goal).where(
        Goal.match_id.in_(_played(player)),
        _his_id_in(player, Goal.match_id, Goal.scorer_external_id, Goal.assist_external_id),
    )


def _event_rows(player: Player) -> Select:
    return select(Event).where(
        Event.match_id.in_(_played(player)), _his_id_in(player, Event.match_id, Event.player_id)
    )


def _staff_of(player: Player) -> Select:
    """The coach ids of his club's staff (each has his own assistant sessions)."""
    return select(Coach.id).where(Coach.club_id == player.club_id)


def _chat_rows(player: Player) -> Select:
    """The club's assistant messages that name him."""
    sessions = select(ChatSession.id).where(ChatSession.coach_id.in_(_staff_of(player)))
    return select(ChatMessage).where(
        ChatMessage.session_id.in_(sessions),
        func.lower(ChatMessage.message).contains(player.player_name.lower()),
    )


# Every table holding data about a player, and how his rows are found. tests/test_privacy.py
# fails when a table referencing players (or one of these) is missing here.
EXPORT_TABLES: dict[str, Callable[[Player], Select]] = {
    "players": lambda player: select(Player).where(Player.id == player.id),
    "users": _user_rows,
    "guardians": _by_player(Guardian),
    "consents": _by_player(Consent),
    "erasure_requests": _by_player(ErasureRequest),
    "access_log": _by_player(AccessLogEntry),
    "matches": lambda player: select(Match).where(Match.id.in_(_played(player))),
    "match_lineups": _by_player(MatchLineup),
    "player_match_statistics": _by_player(PlayerMatchStatistics),
    "player_season_statistics": _by_player(PlayerSeasonStatistics),
    "advanced_metrics": _by_player(AdvancedMetric),
    "development_goals": _by_player(DevelopmentGoal),
    "team_players": _by_player(TeamPlayer),
    "goals": _goal_rows,
    "events": _event_rows,
    "training_plans": _by_player(TrainingPlan),
    "training_exercises": lambda player: select(TrainingExercise).where(
        TrainingExercise.plan_id.in_(
            select(TrainingPlan.id).where(TrainingPlan.player_id == player.id)
        )
    ),
    "chat_messages": _chat_rows,
}


# Tables that reference an exported table but hold nothing about the player: a coach's profile
# points at his own user row.
NOT_ABOUT_THE_PLAYER = frozenset({"coaches"})


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row_dict(table_name: str, entity: Any) -> dict[str, Any]:
    hidden = NOT_EXPORTED_COLUMNS.get(table_name, set())
    return {
        attribute.columns[0].name: _plain(getattr(entity, attribute.key))
        for attribute in inspect(entity).mapper.column_attrs
        if attribute.columns[0].name not in hidden
    }


def export_for(player: Player, *, role: str, actor_id: uuid.UUID) -> dict[str, list[dict]]:
    """Log the export, then gather it (the entry is part of the export)."""
    record_access(player.id, actor_role=role, actor_id=actor_id, action="data_export")
    db.session.flush()
    tables = export_tables(player)
    db.session.commit()
    return tables


def export_tables(player: Player) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for name, query in EXPORT_TABLES.items():
        rows = db.session.scalars(query(player)).all()
        tables[name] = [_row_dict(name, row) for row in rows]
    return tables


class _Pipe(io.RawIOBase):
    """A write-only, non-seekable stream whose bytes are taken out as they arrive."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    key: orjson.dumps(value).decode() if isinstance(value, dict | list) else value
                    for key, value in row.items()
                }
            )
    return out.getvalue().encode()


def export_zip(player: Player, tables: dict[str, list[dict[str, Any]]]) -> Iterator[bytes]:
    """The ZIP, produced a file at a time: ``player.json`` then one CSV per table."""
    pipe = _Pipe()
    document = {
        "exported_at": utcnow().isoformat(),
        "player_id": str(player.id),
        "tables": tables,
    }
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("player.json", orjson.dumps(document, option=orjson.OPT_INDENT_2))
        yield pipe.take()
        for name, rows in tables.items():
            archive.writestr(f"{name}.csv", _csv_bytes(rows))
            yield pipe.take()
    yield pipe.take()


# ---------------------------------------------------------------- erasure requests


def erasure_deadline() -> datetime:
    return utcnow() + timedelta(days=current_app.config.get("ERASURE_DEADLINE_DAYS", 7))


def request_erasure(player: Player, *, requested_by: str, actor_id: uuid.UUID | None):
    """Record a request (one pending request per player: asking again returns it)."""
    pending = db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.player_id == player.id, ErasureRequest.status == "pending"
        )
    )
    if pending is None:
        pending = ErasureRequest(
            player_id=player.id,
            club_id=player.club_id,
            requested_by=requested_by,
            due_at=erasure_deadline(),
        )
        db.session.add(pending)
        record_access(
            player.id, actor_role=requested_by, actor_id=actor_id, action="erasure_requested"
        )
        commit_club_write(player.club_id)  # the coach's squad shows the due date
        log.info("erasure_requested", player_id=str(player.id), requested_by=requested_by)
    return pending


def erasure_due_at(player_id: Any) -> Any:
    """A column: when the player's pending erasure request is due (NULL without one), read
    with a screen's own query (one pending request per player: `request_erasure`; the
    earliest, should two ever be pending)."""
    return (
        select(func.min(ErasureRequest.due_at))
        .where(ErasureRequest.player_id == player_id, ErasureRequest.status == "pending")
        .scalar_subquery()
        .label("erasure_due_at")
    )


# ---------------------------------------------------------------- removal from the club


def remove_player(*, club: Club, player_id: uuid.UUID, actor_id: uuid.UUID) -> Player:
    """The coach removes a player: his login ends, his invite code is void, and the retention
    clock starts (``left_at``). His match records stay until the purge erases him."""
    player = club_player(club, player_id)
    if player.left_at is None:
        player.left_at = utcnow()
    user_id = player.user_id
    player.user_id = None
    player.is_linked = False
    _void_invite_code(player)
    db.session.flush()
    if user_id is not None:
        db.session.execute(delete(User).where(User.id == user_id))
    record_access(player.id, actor_role="coach", actor_id=actor_id, action="removed_from_club")
    commit_club_write(club.id)
    log.info("player_removed", player_id=str(player.id))
    return player


def _void_invite_code(player: Player) -> None:
    player.invite_code = ERASED_CODE_PREFIX + secrets.token_hex(6).upper()
    player.invite_expires_at = utcnow()


def retention_until(player: Player) -> datetime | None:
    if player.left_at is None:
        return None
    months = current_app.config.get("RETENTION_MONTHS", 24)
    return as_utc(player.left_at) + timedelta(days=months * DAYS_PER_MONTH)


# ---------------------------------------------------------------- erasure


def erased_label(player: Player) -> str:
    if player.jersey_number is not None:
        return f"Player #{player.jersey_number} (erased)"
    return "Player (erased)"


def _personal_names(player: Player) -> set[str]:
    """Every spelling of his name Spinta stored: squad, account, match files."""
    names = {player.player_name}
    if player.user is not None:
        names.add(player.user.full_name)
    for model in (MatchLineup, PlayerMatchStatistics):
        names.update(
            db.session.scalars(select(model.player_name).where(model.player_id == player.id))
        )
    names.update(
        n
        for n in db.session.scalars(
            _event_rows(player).with_only_columns(Event.player_name).distinct()
        )
        if n
    )
    return {name for name in names if name and name.strip()}


def _words(alternatives: set[str]) -> re.Pattern[str]:
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a in ordered), re.IGNORECASE)


@dataclass
class _Scrubber:
    """Replaces his names by the label: every spelling of his full name in stored text and
    JSON (match records, events); in the assistant's messages also each part of 4 letters or
    more of the names he or his club gave (``mention``: "Messi" for "Lionel Messi")."""

    names: set[str]
    given_names: set[str]
    label: str
    pattern: re.Pattern[str] = field(init=False)
    mention_pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        parts = {part for name in self.given_names for part in name.split() if len(part) >= 4}
        self.pattern = _words(self.names)
        self.mention_pattern = _words(self.names | parts)

    def text(self, value: str) -> str:
        return self.pattern.sub(self.label, value)

    def mention(self, value: str) -> str:
        return self.mention_pattern.sub(self.label, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


def _scrub_match_records(player: Player, scrub: _Scrubber) -> None:
    label = scrub.label
    for model in (MatchLineup, PlayerMatchStatistics):
        db.session.execute(
            update(model).where(model.player_id == player.id).values(player_name=label)
        )
    played = db.session.scalars(_played(player).distinct()).all()
    for goal in db.session.scalars(select(Goal).where(Goal.match_id.in_(played))):
        goal.scorer_name = scrub.text(goal.scorer_name) if goal.scorer_name else None
        goal.assist_name = scrub.text(goal.assist_name) if goal.assist_name else None
    for match in db.session.scalars(select(Match).where(Match.id.in_(played))):
        match.warnings = scrub.value(match.warnings or [])
    for match_id in played:
        _scrub_events(match_id, scrub)


def _scrub_events(match_id: uuid.UUID, scrub: _Scrubber) -> None:
    rows = db.session.execute(
        select(Event.ordinal, Event.player_name, Event.data).where(Event.match_id == match_id)
    ).all()
    for ordinal, player_name, data in rows:
        new_name = scrub.text(player_name) if player_name else player_name
        new_data = scrub.value(data)
        if new_name != player_name or new_data != data:
            db.session.execute(
                update(Event)
                .where(Event.match_id == match_id, Event.ordinal == ordinal)
                .values(player_name=new_name, data=new_data)
            )


def _scrub_chat(player: Player, scrub: _Scrubber) -> None:
    sessions = db.session.scalars(
        select(ChatSession).where(ChatSession.coach_id.in_(_staff_of(player)))
    ).all()
    for session in sessions:
        if session.title:
            session.title = scrub.mention(session.title)
        session.context = scrub.value(session.context or {})
        for message in session.messages:
            message.message = scrub.mention(message.message)


def erase_player(player: Player, *, now: datetime | None = None) -> bool:
    """Erase one player (False when he already was). The caller commits, through
    commit_club_write (his club's screens change)."""
    if player.erased_at is not None:
        return False
    now = now or utcnow()
    given = {player.player_name, *([player.user.full_name] if player.user else [])}
    scrub = _Scrubber(_personal_names(player), given, erased_label(player))
    _scrub_match_records(player, scrub)
    _scrub_chat(player, scrub)
    guardian_users = set(
        db.session.scalars(
            select(Guardian.user_id).where(
                Guardian.player_id == player.id, Guardian.user_id.is_not(None)
            )
        )
    )
    for model in (TrainingPlan, Guardian, Consent):
        db.session.execute(delete(model).where(model.player_id == player.id))
    db.session.flush()
    for user_id in guardian_users:
        delete_orphan_guardian_user(user_id)
    user_id = player.user_id
    player.user_id = None
    player.player_name = scrub.label
    player.birth_date = None
    player.birth_month = None
    player.height = None
    player.profile_image_url = None
    player.is_linked = False
    player.linked_at = None
    player.left_at = player.left_at or now
    player.erased_at = now
    _void_invite_code(player)
    db.session.flush()
    if user_id is not None:
        db.session.execute(delete(User).where(User.id == user_id))
    db.session.execute(
        update(ErasureRequest)
        .where(ErasureRequest.player_id == player.id, ErasureRequest.status == "pending")
        .values(status="done", completed_at=now)
    )
    record_access(player.id, actor_role="system", actor_id=None, action="erased")
    return True


@dataclass
class PurgeReport:
    erased_on_request: int = 0
    erased_after_retention: int = 0
    access_log_deleted: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "erased_on_request": self.erased_on_request,
            "erased_after_retention": self.erased_after_retention,
            "access_log_deleted": self.access_log_deleted,
        }


def purge(*, now: datetime | None = None, pending: bool = False) -> PurgeReport:
    """Carry out due erasures (every pending one with ``pending``), retention and the access
    log's retention. Each player is erased in his own transaction; running it again does
    nothing more. Plain function: ``flask spinta purge`` and a scheduler (Celery beat) call it.
    """
    now = now or utcnow()
    report = PurgeReport()
    due = select(ErasureRequest.player_id).where(ErasureRequest.status == "pending")
    if not pending:
        due = due.where(ErasureRequest.due_at <= now)
    for player_id in db.session.scalars(due.distinct()).all():
        report.erased_on_request += _erase_one(player_id, now)
    months = current_app.config.get("RETENTION_MONTHS", 24)
    left_before = now - timedelta(days=months * DAYS_PER_MONTH)
    expired = select(Player.id).where(
        Player.left_at.is_not(None),
        Player.left_at <= left_before,
        Player.retention_kept.is_(False),
        Player.erased_at.is_(None),
    )
    for player_id in db.session.scalars(expired).all():
        report.erased_after_retention += _erase_one(player_id, now)
    log_months = current_app.config.get("ACCESS_LOG_RETENTION_MONTHS", 36)
    deleted = db.session.execute(
        delete(AccessLogEntry).where(
            AccessLogEntry.at < now - timedelta(days=log_months * DAYS_PER_MONTH)
        )
    )
    report.access_log_deleted = deleted.rowcount or 0
    db.session.commit()
    log.info("purge_done", **report.as_dict())
    return report


def _erase_one(player_id: uuid.UUID, now: datetime) -> int:
    player = db.session.get(Player, player_id)
    if player is None:
        return 0
    try:
        erased = erase_player(player, now=now)
        if not erased:  # already erased: close any request left pending
            db.session.execute(
                update(ErasureRequest)
                .where(ErasureRequest.player_id == player_id, ErasureRequest.status == "pending")
                .values(status="done", completed_at=now)
            )
        commit_club_write(player.club_id)
    except Exception:
        db.session.rollback()
        log.exception("erasure_failed", player_id=str(player_id))
        raise
    if erased:
        log.info("player_erased", player_id=str(player_id))
    return int(erased)
