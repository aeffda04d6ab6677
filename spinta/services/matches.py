"""Match upload and removal: analyse a StatsBomb file and store everything, all or nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from spinta import analytics
from spinta.errors import Conflict, InvalidEventData, NotFound
from spinta.extensions import db
from spinta.models import (
    Club,
    Event,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentClub,
    OpponentPlayer,
    Player,
    PlayerMatchStatistics,
)
from spinta.models.limits import int_range, storage_problem, text_length
from spinta.screen_cache import club_changed
from spinta.services.bulk import NULL, copy_json, copy_lines, copy_number, copy_text, insert_rows
from spinta.services.invites import unique_invite_codes
from spinta.services.seasons import (
    Scope,
    apply_match,
    match_share,
    recompute_season,
    scope_for,
    subtract_match,
)
from spinta.services.teams import add_to_squad, default_team, season_for


@dataclass(frozen=True)
class MatchUpload:
    """What the coach sends: the parsed event array and the match facts he types."""

    events: Any
    match_date: date
    opponent_name: str | None = None
    our_score: int | None = None
    opponent_score: int | None = None
    opponent_logo_url: str | None = None
    # A second match against the same opponent on the same day is refused unless this is set.
    allow_same_day: bool | None = False
    # The request field that carried the events (named by a 422 about them).
    events_field: str = "statsbomb_events"

    @property
    def typed_score(self) -> tuple[int, int] | None:
        if self.our_score is None or self.opponent_score is None:
            return None
        return (self.our_score, self.opponent_score)


@dataclass
class ImportResult:
    match: Match
    report: analytics.MatchReport
    events_inserted: int = 0
    our_players_created: int = 0
    our_players_updated: int = 0
    opponent_players_created: int = 0
    our_players: list[Player] = field(default_factory=list)
    opponent_players: list[OpponentPlayer] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        return {
            "events_inserted": self.events_inserted,
            "goals_inserted": len(self.report.goals),
            "our_players_created": self.our_players_created,
            "our_players_updated": self.our_players_updated,
            "opponent_players_created": self.opponent_players_created,
            "lineups_created": sum(len(lineup.players) for lineup in self.report.lineups),
            "player_statistics_created": len(self.report.player_stats),
            "warnings": list(self.report.warnings),
        }

    @property
    def message(self) -> str:
        """One line for the client's toast."""
        match = self.match
        text = (
            f"Match against {match.opponent_name} on {match.match_date.isoformat()} uploaded: "
            f"{match.our_score}-{match.opponent_score} ({_RESULT_WORDS[match.result]})"
        )
        if match.our_penalty_score is not None:
            text += f", {match.our_penalty_score}-{match.opponent_penalty_score} on penalties"
        text += f", {self.events_inserted} events."
        if self.report.warnings:
            count = len(self.report.warnings)
            text += f" {count} warning{'s' if count > 1 else ''}: " + " ".join(self.report.warnings)
        return text


_RESULT_WORDS = {"W": "win", "D": "draw", "L": "loss"}


def analyse(club: Club, upload: MatchUpload) -> analytics.MatchReport:
    """The pure analysis, with its errors turned into a 422 the coach can act on."""
    try:
        report = analytics.analyse_match(
            upload.events,
            club_name=club.club_name,
            club_team_id=club.statsbomb_team_id,
            typed_score=upload.typed_score,
        )
        problem = unstorable(report)
    except analytics.EventDataError as exc:
        problem = str(exc)
    if problem is not None:
        raise InvalidEventData(problem, errors={upload.events_field: problem})
    return report


def unstorable(report: analytics.MatchReport) -> str | None:
    """Why the analysed teams, lineups and goals cannot be stored as they are (None when they
    can), naming the event and its field.

    A valid file can still hold what a column does not take: a name longer than its column, a
    NUL character (PostgreSQL text refuses it), an id or a minute beyond an integer column, a
    jersey number outside 0-99. The limits come from the columns (spinta.models.limits).
    Refused up front as a 422, on every database alike, instead of a database error half-way
    through the inserts. The events themselves are checked while their rows are built
    (`_event_rows`).
    """
    for column, value, key, event_id in _stored_values(report):
        problem = storage_problem(column, value)
        if problem is not None:
            event, path = _locate(report.events, key, value, event_id)
            return _event_sentence(event, path, problem)
    return None


def _stored_values(report: analytics.MatchReport) -> Iterator[tuple[Any, Any, str, str | None]]:
    """(column, value, the file's key holding it, the goal's event id or None) for every value
    of the report that goes into a bounded column."""
    for team in (report.our_team, report.opponent):
        yield Match.our_statsbomb_team_id, team.id, "id", None
        yield OpponentClub.name, team.name, "name", None
    for lineup in report.lineups:
        for player in lineup.players:
            yield MatchLineup.statsbomb_player_id, player.player_id, "id", None
            yield MatchLineup.player_name, player.player_name, "name", None
            yield MatchLineup.jersey_number, player.jersey_number, "jersey_number", None
            yield MatchLineup.position, player.position, "name", None
    for goal in report.goals:
        yield Goal.event_id, goal.event_id, "id", goal.event_id
        yield Goal.minute, goal.minute, "minute", goal.event_id
        yield Goal.second, goal.second, "second", goal.event_id
        yield Goal.scorer_statsbomb_id, goal.scorer_id, "id", None
        yield Goal.assist_statsbomb_id, goal.assist_id, "id", None
    for stats in report.player_stats:
        yield PlayerMatchStatistics.statsbomb_player_id, stats.player_id, "id", None
        yield PlayerMatchStatistics.player_name, stats.player_name, "name", None


def _locate(
    events: Iterable[dict[str, Any]], key: str, value: Any, event_id: str | None
) -> tuple[dict[str, Any] | None, str]:
    """The first event (the one with `event_id`, when given) holding `key: value` somewhere
    inside, with the path to it ("tactics.lineup[3].jersey_number"). Error path only."""
    for event in events:
        if event_id is not None and event.get("id") != event_id:
            continue
        path = _path_to(event, key, value)
        if path is not None:
            return event, path
    return None, key


def _path_to(node: Any, key: str, value: Any) -> str | None:
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for name, item in items:
        if name == key and item == value and type(item) is type(value):
            return name
        inner = _path_to(item, key, value)
        if inner is not None:
            step = f"[{name}]" if isinstance(name, int) else name
            return f"{step}{inner}" if inner.startswith("[") else f"{step}.{inner}"
    return None


def _event_sentence(event: dict[str, Any] | None, path: str, problem: str) -> str:
    """A 422 sentence naming the event (index and id) and the field whose value cannot be
    stored."""
    if event is None:
        return f"A '{path}' in the events file {problem}: nothing was stored."
    event_id = event.get("id")
    if isinstance(event_id, str) and len(event_id) > 40:
        event_id = f"{event_id[:40]}..."
    return (
        f"The event with index {event.get('index')} and id {event_id!r} cannot be stored: "
        f"its '{path}' {problem}. Nothing was stored."
    )


def _existing_match_id(club_id: uuid.UUID, fingerprint: str) -> uuid.UUID | None:
    return db.session.scalar(
        select(Match.id).where(Match.club_id == club_id, Match.source_fingerprint == fingerprint)
    )


def _duplicate(match_id: uuid.UUID) -> Conflict:
    return Conflict(
        f"This match was already uploaded (match {match_id}).", extra={"match_id": str(match_id)}
    )


def refuse_same_day(
    club_id: uuid.UUID,
    upload: MatchUpload,
    file_opponent: str | None = None,
    events: Any = None,
) -> None:
    """409 naming the stored match when the club already has one against the same opponent on
    the same date, unless the upload says `allow_same_day` (tournaments).

    The opponent is the typed `opponent_name`, else the file's opponent team name (as the match
    stores it); names compare normalised (case, accents, spaces). Checked as early as the
    request allows: from the typed fields before the file is parsed, from the file's first two
    teams before the analysis (`events` given: the very same file is told apart by its
    fingerprint), and once more after it. This also refuses the same match again with an event
    id changed, which the file's fingerprint cannot tell from a new match.
    """
    opponent = upload.opponent_name or file_opponent
    if upload.allow_same_day or opponent is None:
        return
    wanted = analytics.normalize_name(opponent)
    stored = db.session.execute(
        select(Match.id, Match.opponent_name, Match.source_fingerprint).where(
            Match.club_id == club_id, Match.match_date == upload.match_date
        )
    ).all()
    for match_id, opponent_name, fingerprint in stored:
        if analytics.normalize_name(opponent_name) != wanted:
            continue
        if type(events) is list and fingerprint == _file_fingerprint(events):
            raise _duplicate(match_id)
        raise Conflict(
            f"A match against {opponent_name} on {upload.match_date.isoformat()} is already"
            f" stored (match {match_id}). If this is another match on the same day, upload it"
            " with allow_same_day=true.",
            extra={"match_id": str(match_id)},
        )


def _file_fingerprint(events: list[Any]) -> str:
    """The analysis's fingerprint (sorted unique event ids) read straight from the file."""
    ids = [e["id"] for e in events if type(e) is dict and type(e.get("id")) is str]
    return analytics.fingerprint_events(ids)


def _file_opponent(club: Club, events: Any) -> str | None:
    """The opponent's name from the first two teams the events name (the Starting XI events
    come first: a few events read, not the file), None when the file does not say it plainly
    (the analysis then decides, with its sentence for the coach)."""
    if type(events) is not list:
        return None
    teams: dict[int, str] = {}
    for event in events:
        team = event.get("team") if type(event) is dict else None
        if type(team) is dict and type(team.get("id")) is int and type(team.get("name")) is str:
            teams.setdefault(team["id"], team["name"])
            if len(teams) == 2:
                break
    if len(teams) != 2:
        return None
    try:
        our_id, _ = analytics.identify_team(
            list(teams.items()), club_name=club.club_name, club_team_id=club.statsbomb_team_id
        )
    except analytics.EventDataError:
        return None
    return next(name for team_id, name in teams.items() if team_id != our_id)


def _take_club_turn(club_id: uuid.UUID) -> None:
    """Uploads of one club take turns from here to their commit (PostgreSQL: a transaction
    advisory lock on the club id; SQLite writes one transaction at a time anyway).

    So the checks that follow (same file, same day) see every earlier upload of the club, the
    squad and opponent rows two uploads share are created once and found by the other, and each
    season recompute sees every match. An advisory lock, not the club row: the club row stays
    the last lock a writer takes (spinta.screen_cache.club_changed), so no deadlock.
    """
    if db.session.connection().dialect.name == "postgresql":
        key = club_id.int % 2**63  # any 64-bit key: a collision only makes two clubs take turns
        db.session.execute(select(func.pg_advisory_xact_lock(key)))


def import_match(*, club: Club, upload: MatchUpload) -> ImportResult:
    """Analyse one StatsBomb file and store the match with everything derived from it.

    One transaction: the match, both lineups, goals, every event, team and player statistics,
    new and updated players, and the recomputed season aggregates, or nothing at all.
    """
    club_id = club.id
    if not upload.allow_same_day:
        events = upload.events
        refuse_same_day(club_id, upload, _file_opponent(club, events), events)
    report = analyse(club, upload)
    try:
        _take_club_turn(club_id)
        existing = _existing_match_id(club_id, report.fingerprint)
        if existing is not None:
            raise _duplicate(existing)
        refuse_same_day(club_id, upload, report.opponent.name)
        result = _store(club, upload, report)
        apply_match(result.match.id)
        _claim_team_id(club_id, report.our_team.id)
        club_changed(club_id)
        db.session.commit()
    except IntegrityError:
        # A concurrent upload of the same file won the unique (club, fingerprint) race.
        db.session.rollback()
        existing = _existing_match_id(club_id, report.fingerprint)
        if existing is not None:
            raise _duplicate(existing) from None
        raise
    except Exception:
        db.session.rollback()
        raise
    return result


def _store(club: Club, upload: MatchUpload, report: analytics.MatchReport) -> ImportResult:
    opponent = _opponent_club(club, report, upload.opponent_logo_url)
    team = default_team(club.id)
    season = season_for(club, upload.match_date)
    match = Match(
        id=uuid.uuid4(),
        club_id=club.id,
        team_id=team.id,
        season_id=season.id,
        opponent_club_id=opponent.id,
        opponent_name=upload.opponent_name or report.opponent.name,
        match_date=upload.match_date,
        our_score=report.score.our,
        opponent_score=report.score.opponent,
        result=report.result,
        our_penalty_score=report.penalty_shootout.our if report.penalty_shootout else None,
        opponent_penalty_score=(
            report.penalty_shootout.opponent if report.penalty_shootout else None
        ),
        derived_our_score=report.derived_score.our,
        derived_opponent_score=report.derived_score.opponent,
        our_statsbomb_team_id=report.our_team.id,
        opponent_statsbomb_team_id=report.opponent.id,
        opponent_logo_url=upload.opponent_logo_url or opponent.logo_url,
        source_fingerprint=report.fingerprint,
        warnings=list(report.warnings),
    )
    db.session.add(match)
    db.session.flush()  # the unique (club, fingerprint) check happens here, before the bulk work

    result = ImportResult(match=match, report=report)
    our_ids = _our_players(club, report.our_lineup.players, result)
    db.session.flush()
    add_to_squad(team.id, season.id, our_ids.values())
    opponent_ids = _opponent_players(opponent, report.opponent_lineup.players, result)
    _insert_derived_rows(match, report, our_ids, opponent_ids)
    try:
        result.events_inserted = insert_events(match.id, report.events)
    except UnstorableEvent as exc:
        raise InvalidEventData(str(exc), errors={upload.events_field: str(exc)}) from None
    return result


def _claim_team_id(club_id: uuid.UUID, team_id: int) -> None:
    """Remember the club's StatsBomb team id after its first successful upload, so later files
    match by id instead of by name. One conditional UPDATE: the first upload to commit sets it.
    Several clubs may hold the same id (two clubs may load the same public match)."""
    db.session.execute(
        update(Club)
        .where(Club.id == club_id, Club.statsbomb_team_id.is_(None))
        .values(statsbomb_team_id=team_id)
    )


def _opponent_club(club: Club, report: analytics.MatchReport, logo_url: str | None) -> OpponentClub:
    opponent = db.session.scalar(
        select(OpponentClub).where(
            OpponentClub.club_id == club.id,
            OpponentClub.statsbomb_team_id == report.opponent.id,
        )
    )
    if opponent is None:
        opponent = OpponentClub(
            id=uuid.uuid4(),
            club_id=club.id,
            name=report.opponent.name,
            statsbomb_team_id=report.opponent.id,
            logo_url=logo_url,
        )
        db.session.add(opponent)
    elif logo_url:
        opponent.logo_url = logo_url
    db.session.flush()
    return opponent


def _our_players(
    club: Club, lineup: Sequence[analytics.LineupPlayer], result: ImportResult
) -> dict[int, uuid.UUID]:
    """Match each of our lineup players to the squad (StatsBomb id, then name); create the
    new ones with invite codes. Returns StatsBomb id -> squad player id."""
    squad = list(db.session.scalars(select(Player).where(Player.club_id == club.id)))
    by_statsbomb = {p.statsbomb_player_id: p for p in squad if p.statsbomb_player_id is not None}
    by_name = {
        analytics.normalize_name(p.player_name): p for p in squad if p.statsbomb_player_id is None
    }
    ids: dict[int, uuid.UUID] = {}
    new: list[analytics.LineupPlayer] = []
    for entry in lineup:
        player = by_statsbomb.get(entry.player_id) or by_name.pop(
            analytics.normalize_name(entry.player_name), None
        )
        if player is None:
            new.append(entry)
            continue
        player.statsbomb_player_id = entry.player_id
        # The squad's number and position are kept once known (the coach corrects them with
        # PATCH /api/coach/players/{id}); a file only fills in what the squad lacks. The
        # lineup row keeps the file's own number for that match.
        if player.jersey_number is None:
            player.jersey_number = entry.jersey_number
        if not player.position:
            player.position = entry.position or None
        ids[entry.player_id] = player.id
        result.our_players.append(player)
        result.our_players_updated += 1
    codes = unique_invite_codes([entry.player_name for entry in new])
    for entry, code in zip(new, codes, strict=True):
        player = Player(
            id=uuid.uuid4(),
            club_id=club.id,
            player_name=entry.player_name,
            statsbomb_player_id=entry.player_id,
            jersey_number=entry.jersey_number,
            position=entry.position,
            invite_code=code,
            is_linked=False,
        )
        db.session.add(player)
        ids[entry.player_id] = player.id
        result.our_players.append(player)
        result.our_players_created += 1
    return ids


def _opponent_players(
    opponent: OpponentClub, lineup: Sequence[analytics.LineupPlayer], result: ImportResult
) -> dict[int, uuid.UUID]:
    known = {
        p.statsbomb_player_id: p
        for p in db.session.scalars(
            select(OpponentPlayer).where(OpponentPlayer.opponent_club_id == opponent.id)
        )
    }
    ids: dict[int, uuid.UUID] = {}
    for entry in lineup:
        player = known.get(entry.player_id)
        if player is None:
            player = OpponentPlayer(
                id=uuid.uuid4(),
                opponent_club_id=opponent.id,
                player_name=entry.player_name,
                statsbomb_player_id=entry.player_id,
            )
            db.session.add(player)
            result.opponent_players_created += 1
        if entry.jersey_number is not None:
            player.jersey_number = entry.jersey_number
        if entry.position:
            player.position = entry.position
        ids[entry.player_id] = player.id
        result.opponent_players.append(player)
    db.session.flush()
    return ids


def _insert_derived_rows(
    match: Match,
    report: analytics.MatchReport,
    our_ids: dict[int, uuid.UUID],
    opponent_ids: dict[int, uuid.UUID],
) -> None:
    """Lineups, goals, team and player statistics: one bulk insert per table."""
    db.session.flush()
    our_team = report.our_team.id

    def owner(statsbomb_id: int, is_ours: bool) -> dict[str, uuid.UUID | None]:
        if is_ours:
            return {"player_id": our_ids[statsbomb_id], "opponent_player_id": None}
        return {"player_id": None, "opponent_player_id": opponent_ids[statsbomb_id]}

    lineups = [
        {
            "id": uuid.uuid4(),
            "match_id": match.id,
            "is_our_team": lineup.team_id == our_team,
            **owner(player.player_id, lineup.team_id == our_team),
            "statsbomb_player_id": player.player_id,
            "player_name": player.player_name,
            "jersey_number": player.jersey_number,
            "position": player.position,
            "is_starter": player.is_starter,
            "minutes_played": player.minutes_played,
        }
        for lineup in report.lineups
        for player in lineup.players
    ]
    insert_rows(MatchLineup.__table__, lineups)

    if report.goals:
        insert_rows(
            Goal.__table__,
            [
                {
                    "id": uuid.uuid4(),
                    "match_id": match.id,
                    "sequence": number,
                    "event_id": goal.event_id,
                    "minute": goal.minute,
                    "second": goal.second,
                    "period": goal.period,
                    "team_statsbomb_id": goal.team_id,
                    "team_name": goal.team_name,
                    "scorer_statsbomb_id": goal.scorer_id,
                    "scorer_name": goal.scorer_name,
                    "assist_statsbomb_id": goal.assist_id,
                    "assist_name": goal.assist_name,
                    "is_our_goal": goal.is_our_goal,
                    "own_goal": goal.own_goal,
                    "penalty": goal.penalty,
                }
                for number, goal in enumerate(report.goals)
            ],
        )

    insert_rows(
        MatchStatistics.__table__,
        [
            {
                "id": uuid.uuid4(),
                "match_id": match.id,
                "is_our_team": stats.is_our_team,
                "team_statsbomb_id": stats.team_id,
                "team_name": stats.team_name,
                **stats.stats(),
            }
            for stats in report.team_stats
        ],
    )
    insert_rows(
        PlayerMatchStatistics.__table__,
        [
            {
                "id": uuid.uuid4(),
                "match_id": match.id,
                "is_our_team": stats.is_our_team,
                **owner(stats.player_id, stats.is_our_team),
                "statsbomb_player_id": stats.player_id,
                "player_name": stats.player_name,
                "is_starter": stats.is_starter,
                **stats.stats(),
                **{f"{name}_per90": value for name, value in stats.per90.items()},
            }
            for stats in report.player_stats
        ],
    )


# ---------------------------------------------------------------- events (bulk)

_EVENT_COLUMNS = (
    "match_id",
    "ordinal",
    "statsbomb_id",
    "event_index",
    "type_name",
    "period",
    "minute",
    "second",
    "timestamp",
    "possession",
    "team_id",
    "team_name",
    "player_id",
    "player_name",
    "data",
)
# minute, second, possession and player id: optional numbers, NULL unless the column takes them.
_OPTIONAL_MIN, _OPTIONAL_MAX = int_range(Event.possession)
# The event's values a column may refuse, as (column, path in the event).
_EVENT_FIELDS = (
    (Event.statsbomb_id, ("id",)),
    (Event.event_index, ("index",)),
    (Event.type_name, ("type", "name")),
    (Event.timestamp, ("timestamp",)),
    (Event.team_id, ("team", "id")),
    (Event.team_name, ("team", "name")),
    (Event.player_name, ("player", "name")),
)


class UnstorableEvent(ValueError):
    """An analysed event that a column cannot take as it is (the sentence says why)."""


def _unstorable_event(event: dict[str, Any]) -> UnstorableEvent:
    """The first value of the event that a column refuses, as a sentence for the coach."""
    for column, path in _EVENT_FIELDS:
        value: Any = event
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        problem = storage_problem(column, value)
        if problem is not None:
            return UnstorableEvent(_event_sentence(event, ".".join(path), problem))
    raise AssertionError("_event_rows refused an event that every column takes")


def _optional_int(value: Any) -> int | None:
    """An optional number as its integer column takes it: NULL unless in the column's range."""
    return value if type(value) is int and _OPTIONAL_MIN <= value <= _OPTIONAL_MAX else None


def _event_rows(match_id: uuid.UUID, events: Iterable[dict[str, Any]]) -> Iterator[tuple]:
    """Each analysed event (`report.events`) as a row of the events table, ordinal = position.

    The events have passed the analysis, so `id`, `index`, `type.name`, `period`, `timestamp`
    and `team` are there with the right types; the optional numbers become NULL unless they are
    integers a column takes. Raises UnstorableEvent for a value no column can take (a name
    longer than its column, a NUL character, an out-of-range index or team id), checked here in
    the one pass that builds the rows.
    """
    id_max, type_max = text_length(Event.statsbomb_id), text_length(Event.type_name)
    stamp_max, name_max = text_length(Event.timestamp), text_length(Event.team_name)
    index_min, index_max = int_range(Event.event_index)
    team_min, team_max = int_range(Event.team_id)
    for ordinal, event in enumerate(events):
        get = event.get
        event_id, index, stamp = event["id"], event["index"], event["timestamp"]
        type_name, team = event["type"]["name"], event["team"]
        team_id, team_name = team["id"], team["name"]
        player = get("player")
        player_id = player_name = None
        if type(player) is dict:
            player_id = _optional_int(player.get("id"))
            player_name = player.get("name")
            if type(player_name) is not str:
                player_name = None
        if (
            len(event_id) > id_max
            or len(type_name) > type_max
            or len(stamp) > stamp_max
            or len(team_name) > name_max
            or (player_name is not None and len(player_name) > name_max)
            or not index_min <= index <= index_max
            or not team_min <= team_id <= team_max
            or "\x00" in f"{event_id}{type_name}{stamp}{team_name}{player_name or ''}"
        ):
            raise _unstorable_event(event)
        yield (
            match_id,
            ordinal,
            event_id,
            index,
            type_name,
            event["period"],
            _optional_int(get("minute")),
            _optional_int(get("second")),
            stamp,
            _optional_int(get("possession")),
            team_id,
            team_name,
            player_id,
            player_name,
            event,
        )


def _copy_lines(match_id: uuid.UUID, rows: Iterable[tuple]) -> Iterator[str]:
    """The match's rows as lines of PostgreSQL's COPY text format; the raw event is the JSON
    column."""
    match = str(match_id)
    for row in rows:
        ordinal, event_id, index, type_name, period, minute, second = row[1:8]
        stamp, possession, team_id, team_name, player_id, player_name, event = row[8:]
        yield (
            f"{match}\t{ordinal}\t{copy_text(event_id)}\t{index}\t{copy_text(type_name)}\t"
            f"{period}\t{copy_number(minute)}\t{copy_number(second)}\t{copy_text(stamp)}\t"
            f"{copy_number(possession)}\t{team_id}\t{copy_text(team_name)}\t"
            f"{copy_number(player_id)}\t{NULL if player_name is None else copy_text(player_name)}\t"
            f"{copy_json(event)}\n"
        )


def insert_events(match_id: uuid.UUID, events: Sequence[dict[str, Any]]) -> int:
    """Store every analysed event: COPY on PostgreSQL, one executemany elsewhere.

    Raises UnstorableEvent (nothing of the COPY is kept) for a value no column takes.
    """
    if not events:
        return 0
    rows = _event_rows(match_id, events)
    if db.session.connection().dialect.name == "postgresql":
        copy_lines(Event.__tablename__, _EVENT_COLUMNS, _copy_lines(match_id, rows))
    else:
        values = [dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in rows]
        db.session.execute(insert(Event), values)
    return len(events)


# ---------------------------------------------------------------- removal and listing


def get_club_match(*, club: Club, match_id: uuid.UUID) -> Match:
    match = db.session.scalar(select(Match).where(Match.id == match_id, Match.club_id == club.id))
    if match is None:
        raise NotFound("Match not found.")
    return match


def delete_match(*, club: Club, match_id: uuid.UUID) -> None:
    """Remove a match and everything that came from it; its share leaves its season rows."""
    match = get_club_match(club=club, match_id=match_id)
    share = match_share(match.id)
    db.session.execute(delete(Match).where(Match.id == match.id))
    db.session.expunge(match)
    subtract_match(share)
    club_changed(club.id)
    db.session.commit()


def list_matches(
    *, club: Club, limit: int, offset: int, scope: Scope | None = None
) -> tuple[int, list[Match]]:
    """The scope's matches (default: the first team's latest season), newest first (by match
    date, then upload order)."""
    conditions = (Match.club_id == club.id, *(scope or scope_for(club.id)).matches())
    total = db.session.scalar(select(func.count(Match.id)).where(*conditions)) or 0
    matches = db.session.scalars(
        select(Match)
        .where(*conditions)
        .order_by(Match.match_date.desc(), Match.created_at.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return total, list(matches)


# ---------------------------------------------------------------- re-deriving from stored events


def reanalyse_club(*, club: Club) -> int:
    """Re-derive every stored statistic of the club's matches from their stored events.

    For when a definition in statistics.md changes: lineups, goals, team and player rows and
    the season aggregates are rebuilt; the matches, their events and typed scores stay.
    One transaction per club. Returns the number of matches re-analysed.
    """
    matches = db.session.scalars(
        select(Match).where(Match.club_id == club.id).order_by(Match.created_at)
    ).all()
    try:
        for match in matches:
            events = db.session.scalars(
                select(Event.data).where(Event.match_id == match.id).order_by(Event.ordinal)
            ).all()
            typed = None
            if (match.our_score, match.opponent_score) != (
                match.derived_our_score,
                match.derived_opponent_score,
            ):
                typed = (match.our_score, match.opponent_score)
            try:
                report = analytics.analyse_match(
                    list(events), club_team_id=match.our_statsbomb_team_id, typed_score=typed
                )
            except analytics.EventDataError as exc:
                raise InvalidEventData(f"Match {match.id}: {exc}") from None
            for model in (MatchLineup, Goal, MatchStatistics, PlayerMatchStatistics):
                db.session.execute(delete(model).where(model.match_id == match.id))
            opponent = db.session.get(OpponentClub, match.opponent_club_id) or _opponent_club(
                club, report, None
            )
            result = ImportResult(match=match, report=report)
            our_ids = _our_players(club, report.our_lineup.players, result)
            opponent_ids = _opponent_players(opponent, report.opponent_lineup.players, result)
            _insert_derived_rows(match, report, our_ids, opponent_ids)
            match.result = report.result
            match.derived_our_score = report.derived_score.our
            match.derived_opponent_score = report.derived_score.opponent
            match.our_penalty_score = (
                report.penalty_shootout.our if report.penalty_shootout else None
            )
            match.opponent_penalty_score = (
                report.penalty_shootout.opponent if report.penalty_shootout else None
            )
            match.warnings = list(report.warnings)
        recompute_season(club.id)
        club_changed(club.id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(matches)
