"""Match use cases, each owning its transaction: upload (analyse a provider's file and store
everything, all or nothing), removal, listing and re-analysis. How rows are written is
spinta.store's (one `apply_report` for the upload and the re-analysis)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from spinta import analytics
from spinta.analytics import providers
from spinta.analytics.data_source import DataSource, data_source, refreshed
from spinta.analytics.providers import stored
from spinta.analytics.providers.kloppy_events import ReadResult
from spinta.errors import Conflict, InvalidEventData, NotFound
from spinta.extensions import db
from spinta.models import Club, Event, Match, OpponentClub, OpponentPlayer, Player
from spinta.screen_cache import commit_club_write
from spinta.services.consent import excluded_players
from spinta.services.invites import unique_invite_codes
from spinta.services.seasons import (
    Scope,
    apply_match,
    default_team_id,
    match_share,
    recompute_season,
    scope_for,
    subtract_match,
)
from spinta.services.teams import add_to_squad, club_team, season_for
from spinta.store import checks
from spinta.store.events import insert_events, reanalysable_match, stored_event
from spinta.store.report import PROVIDER, StoredPlayers, apply_report, derived_facts, opponent_club


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
    # "home", "away" or a team's name in the file: our side when the club's name is not there.
    our_team: str | None = None
    # The club's team the match is for (None: the default team).
    team_id: uuid.UUID | None = None

    @property
    def provider(self) -> str:
        return self.events.provider if isinstance(self.events, ProviderFile) else "statsbomb"

    @property
    def typed_score(self) -> tuple[int, int] | None:
        if self.our_score is None or self.opponent_score is None:
            return None
        return (self.our_score, self.opponent_score)


@dataclass(frozen=True)
class ProviderFile:
    """An uploaded file of a provider other than StatsBomb's JSON (read by its module), or a
    StatsBomb upload that used the new fields (its answer then names its data source)."""

    provider: str
    raw: bytes | None  # None for StatsBomb (its events are parsed by the upload already)
    meta: bytes | None = None
    detected: bool = True
    events: Any = None  # StatsBomb's parsed events
    max_events: int | None = None  # MAX_EVENTS


@dataclass
class ImportResult:
    match: Match
    report: analytics.MatchReport
    events_inserted: int = 0
    players: StoredPlayers = field(default_factory=StoredPlayers)
    data_source: DataSource | None = None  # None: a plain StatsBomb upload

    @property
    def our_players(self) -> list[Player]:
        return self.players.our_players

    @property
    def opponent_players(self) -> list[OpponentPlayer]:
        return self.players.opponent_players

    @property
    def summary(self) -> dict[str, Any]:
        players = self.players
        return {
            "events_inserted": self.events_inserted,
            "goals_inserted": len(self.report.goals),
            "our_players_created": players.our_players_created,
            "our_players_updated": players.our_players_updated,
            "opponent_players_created": players.opponent_players_created,
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


def early_reader() -> Callable[[object], object]:
    """What an upload keeps of each StatsBomb event as its file is parsed (spinta.json's
    `keep`): the event read for the analysis and the row it will be stored as, not its dict
    (3.5x its JSON; bench/upload_memory.py)."""
    return providers.statsbomb.EarlyReader(store=stored_event)


def _read_provider_file(upload: MatchUpload) -> tuple[Any, DataSource | None]:
    """What analyse_match reads (StatsBomb's array or another provider's ReadResult) and the
    data source to report (None for a plain StatsBomb upload: its answer stays as it was)."""
    source = upload.events
    if not isinstance(source, ProviderFile):
        return source, None
    if source.provider == "statsbomb":
        read = providers.statsbomb_result(source.events)
    else:
        read = providers.read_file(source.provider, source.raw or b"", source.meta)
        limit = source.max_events
        if limit is not None and len(read.match.events) > limit:
            raise analytics.EventDataError(
                f"The events file holds more than {limit:,} events (MAX_EVENTS); a match has "
                "3,000 to 5,000."
            )
    return read, data_source(source.provider, source.detected, read)


def _club_not_found(upload: MatchUpload, exc: analytics.EventDataError) -> str:
    problem = str(exc)
    if isinstance(exc, analytics.ClubNotFoundError) and upload.our_team is None:
        problem += " Name your side with 'our_team': home, away or its name in the file."
    return problem


def analyse(club: Club, upload: MatchUpload) -> analytics.MatchReport:
    """The pure analysis, with its errors turned into a 422 the coach can act on."""
    return analyse_with_source(club, upload)[0]


def analyse_with_source(
    club: Club, upload: MatchUpload
) -> tuple[analytics.MatchReport, DataSource | None]:
    """analyse, with the upload's data source (None for a plain StatsBomb upload)."""
    source = None
    try:
        events, source = _read_provider_file(upload)
        native = upload.provider == "statsbomb"
        report = analytics.analyse_match(
            events,
            club_name=club.club_name,
            club_team_id=club.external_id if native else None,
            typed_score=upload.typed_score,
            our_team=upload.our_team,
        )
        problem = checks.unstorable(report)
    except analytics.EventDataError as exc:
        problem = _club_not_found(upload, exc)
    if problem is not None:
        raise InvalidEventData(problem, errors={upload.events_field: problem})
    return report, source


def _existing_match_id(club_id: uuid.UUID, fingerprint: str) -> uuid.UUID | None:
    return db.session.scalar(
        select(Match.id).where(Match.club_id == club_id, Match.source_fingerprint == fingerprint)
    )


def _duplicate(match_id: uuid.UUID) -> Conflict:
    return Conflict(
        f"This match was already uploaded (match {match_id}).", extra={"match_id": str(match_id)}
    )


def check_upload(club_id: uuid.UUID, upload: MatchUpload) -> None:
    """What the typed fields alone decide: the team is the club's (else 404), and no match
    against the same opponent on the same day is stored for it (else 409)."""
    club_team(club_id, upload.team_id)
    refuse_same_day(club_id, upload)


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
            Match.club_id == club_id,
            Match.team_id == (upload.team_id or default_team_id(club_id)),
            Match.match_date == upload.match_date,
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
    return analytics.fingerprint_events(providers.listed_event_ids(events))


def _file_opponent(club: Club, events: Any) -> str | None:
    """The opponent's name from the first two teams the file names (the provider reads a few
    events, not the file), None when the file does not say it plainly (the analysis then
    decides, with its sentence for the coach)."""
    teams = providers.first_teams(events)
    if len(teams) != 2:
        return None
    try:
        our_id, _ = analytics.identify_team(
            teams, club_name=club.club_name, club_team_id=club.external_id
        )
    except analytics.EventDataError:
        return None
    return next(name for team_id, name in teams if team_id != our_id)


def take_club_turn(club_id: uuid.UUID) -> None:
    """Uploads of one club take turns from here to their commit (PostgreSQL: a transaction
    advisory lock on the club id; SQLite writes one transaction at a time anyway).

    So the checks that follow (same file, same day) see every earlier upload of the club, the
    squad and opponent rows two uploads share are created once and found by the other, and each
    season recompute sees every match. An advisory lock, not the club row: the club row stays
    the last lock a writer takes (spinta.screen_cache.commit_club_write), so no deadlock.
    """
    if db.session.connection().dialect.name == "postgresql":
        key = club_id.int % 2**63  # any 64-bit key: a collision only makes two clubs take turns
        db.session.execute(select(func.pg_advisory_xact_lock(key)))


def import_match(
    *,
    club: Club,
    upload: MatchUpload,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Analyse one StatsBomb file and store the match with everything derived from it.

    One transaction: the match, both lineups, goals, every event, team and player statistics,
    new and updated players, and the recomputed season aggregates, or nothing at all.
    ``before_commit`` writes in that same transaction (a job marked done with its result).
    """
    club_id = club.id
    if not upload.allow_same_day:
        events = upload.events
        refuse_same_day(club_id, upload, _file_opponent(club, events), events)
    report, source = analyse_with_source(club, upload)
    try:
        take_club_turn(club_id)
        existing = _existing_match_id(club_id, report.fingerprint)
        if existing is not None:
            raise _duplicate(existing)
        refuse_same_day(club_id, upload, report.opponent.name)
        result = _store(club, upload, report, source)
        apply_match(result.match.id)
        if upload.provider == "statsbomb" and upload.our_team is None:
            _claim_team_id(club_id, report.our_team.id)
        if before_commit is not None:
            db.session.flush()
            before_commit(result)
        commit_club_write(club_id)
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
    result.data_source = source
    return result


def _store(
    club: Club, upload: MatchUpload, report: analytics.MatchReport, source: DataSource | None
) -> ImportResult:
    opponent = opponent_club(club, report, upload.opponent_logo_url)
    team_id = club_team(club.id, upload.team_id).id
    season = season_for(club, upload.match_date)
    match = Match(
        id=uuid.uuid4(),
        club_id=club.id,
        team_id=team_id,
        season_id=season.id,
        opponent_club_id=opponent.id,
        opponent_name=upload.opponent_name or report.opponent.name,
        match_date=upload.match_date,
        our_score=report.score.our,
        opponent_score=report.score.opponent,
        provider=upload.provider,
        our_external_id=report.our_team.id,
        opponent_external_id=report.opponent.id,
        opponent_logo_url=upload.opponent_logo_url or opponent.logo_url,
        source_fingerprint=report.fingerprint,
        data_source=source.to_dict() if source is not None else None,
        **derived_facts(report),
    )
    db.session.add(match)
    db.session.flush()  # the unique (club, fingerprint) check happens here, before the bulk work

    players = apply_report(
        club,
        match,
        report,
        opponent,
        invite_codes=unique_invite_codes,
        withheld=excluded_players(club.id, "statistics"),
    )
    db.session.flush()
    # Our lineup joins the team's squad for the season.
    add_to_squad(team_id, season.id, [player.id for player in players.our_players])
    result = ImportResult(match=match, report=report, players=players)
    try:
        result.events_inserted = insert_events(match.id, report.events)
    except checks.UnstorableEvent as exc:
        raise InvalidEventData(str(exc), errors={upload.events_field: str(exc)}) from None
    return result


def _claim_team_id(club_id: uuid.UUID, team_id: int) -> None:
    """Remember the club's StatsBomb team id after its first successful upload, so later files
    match by id instead of by name. One conditional UPDATE: the first upload to commit sets it.
    Several clubs may hold the same id (two clubs may load the same public match)."""
    db.session.execute(
        update(Club)
        .where(Club.id == club_id, Club.external_id.is_(None))
        .values(provider=PROVIDER, external_id=team_id)
    )


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
    commit_club_write(club.id)


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


# What a re-analysis says of a match it cannot read again (logged and counted as skipped).
NOT_REANALYSABLE = (
    "Match {match_id} ({provider}) is not re-analysed: its events are stored in Spinta's "
    "reduced form, which cannot be read again; its statistics stay as uploaded."
)
STORED_BEFORE = (
    "Match {match_id} ({provider}) is not re-analysed: it was stored in an earlier form of its "
    "events, which lacks what a re-analysis needs (a shot's key pass, a substitute, a tagging "
    "CSV's event types); its statistics stay as uploaded (upload its file again to re-derive "
    "it)."
)


def _typed_score(match: Match) -> tuple[int, int] | None:
    if (match.our_score, match.opponent_score) != (
        match.derived_our_score,
        match.derived_opponent_score,
    ):
        return (match.our_score, match.opponent_score)
    return None


def reanalysed_report(match: Match) -> analytics.MatchReport | str:
    """A stored match analysed again from its stored events: StatsBomb's as uploaded, another
    provider's from their stored neutral form (`providers.stored`), with the stored sheets.
    A match that cannot be analysed again answers the sentence saying why (it is skipped)."""
    if match.provider == PROVIDER:
        source: Any = list(
            db.session.scalars(
                select(Event.data).where(Event.match_id == match.id).order_by(Event.ordinal)
            )
        )
    elif match.provider not in stored.READABLE:
        return NOT_REANALYSABLE.format(match_id=match.id, provider=match.provider)
    else:
        neutral = reanalysable_match(match)
        if neutral is None:
            return STORED_BEFORE.format(match_id=match.id, provider=match.provider)
        source = ReadResult(neutral)
        # what the file cannot give, checked again (a newer table may list more)
        match.data_source = refreshed(match.data_source, neutral.events)
    try:
        return analytics.analyse_match(
            source, club_team_id=match.our_external_id, typed_score=_typed_score(match)
        )
    except analytics.EventDataError as exc:
        raise InvalidEventData(f"Match {match.id}: {exc}") from None


def reanalyse_club(
    *,
    club: Club,
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[int], None] | None = None,
    skipped: Callable[[str], None] | None = None,
) -> int:
    """Re-derive every stored statistic of the club's matches from their stored events.

    For when a definition in statistics.md changes: lineups, goals, team and player rows and
    the season aggregates are rebuilt; the matches, their events, typed scores and data
    sources stay (a data source's checks of the events' content are run again, so a statistic
    added to its table since the upload is listed). One transaction per club
    (``before_commit(count)`` writes in it);
    ``progress(done, total)`` is told after each match. Every provider's match is re-analysed
    except one stored in an earlier form of its events (`stored.complete`): ``skipped(message)``
    is told of each of those, whose statistics stay as uploaded. Returns the number
    re-analysed.
    """
    matches = db.session.scalars(
        select(Match).where(Match.club_id == club.id).order_by(Match.created_at)
    ).all()
    withheld = excluded_players(club.id, "statistics")
    done_count = 0
    try:
        for done, match in enumerate(matches, start=1):
            report = reanalysed_report(match)
            if isinstance(report, str):
                if skipped is not None:
                    skipped(report)
            else:
                opponent = db.session.get(OpponentClub, match.opponent_club_id) or opponent_club(
                    club, report, None
                )
                apply_report(
                    club,
                    match,
                    report,
                    opponent,
                    invite_codes=unique_invite_codes,
                    replace=True,
                    withheld=withheld,
                )
                done_count += 1
            if progress is not None:
                progress(done, len(matches))
        recompute_season(club.id)
        if before_commit is not None:
            before_commit(len(matches))
        commit_club_write(club.id)
    except Exception:
        db.session.rollback()
        raise
    return done_count
