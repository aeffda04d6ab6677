"""One place that stores what an analysis derived for a match: `apply_report()`, used by the
upload and by the re-analysis alike.

It writes the match's derived facts (result, derived score, shootout, warnings), finds or
creates the squad and opponent players of both lineups, and inserts the lineups, goals, team
and player statistics (one bulk insert per table), replacing what an earlier analysis stored.
The caller owns the transaction (spinta.services.matches).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import (
    Club,
    Goal,
    Match,
    MatchLineup,
    MatchStatistics,
    OpponentClub,
    OpponentPlayer,
    Player,
    PlayerMatchStatistics,
)
from spinta.store import advanced
from spinta.store.copy import insert_rows

# The provider of every file stored so far (its ids are the `external_id` columns).
PROVIDER = "statsbomb"

__all__ = ["PROVIDER", "StoredPlayers", "apply_report", "derived_facts", "opponent_club"]

InviteCodes = Callable[[list[str]], list[str]]

# What one analysis stores per match: replaced as a whole by the next one.
_DERIVED_TABLES = (MatchLineup, Goal, MatchStatistics, PlayerMatchStatistics)


@dataclass
class StoredPlayers:
    """The squad and opponent players an analysis found or created."""

    our_players_created: int = 0
    our_players_updated: int = 0
    opponent_players_created: int = 0
    our_players: list[Player] = field(default_factory=list)
    opponent_players: list[OpponentPlayer] = field(default_factory=list)


def derived_facts(report: analytics.MatchReport) -> dict[str, object]:
    """The match columns the analysis decides (the typed ones, date and opponent name, stay)."""
    shootout = report.penalty_shootout
    return {
        "result": report.result,
        "derived_our_score": report.derived_score.our,
        "derived_opponent_score": report.derived_score.opponent,
        "our_penalty_score": shootout.our if shootout else None,
        "opponent_penalty_score": shootout.opponent if shootout else None,
        "warnings": list(report.warnings),
        "length_minutes": report.length_minutes,
    }


def apply_report(
    club: Club,
    match: Match,
    report: analytics.MatchReport,
    opponent: OpponentClub,
    *,
    invite_codes: InviteCodes,
    replace: bool = False,
    withheld: Collection[uuid.UUID] = (),
) -> StoredPlayers:
    """Store what the report derived for the match (already flushed), from the club's side.

    `invite_codes(names)` gives the new squad players their codes (spinta.services.invites).
    `withheld`: our players whose consent to statistics is withdrawn (spinta.services.consent):
    no statistics row is stored for them (the team's rows still count their actions).

    `replace`: the match holds rows of an earlier analysis; they are deleted first. The events
    are stored once, by the upload (spinta.store.events), and never rewritten.
    """
    if replace:
        for model in _DERIVED_TABLES:
            db.session.execute(delete(model).where(model.match_id == match.id))
    for name, value in derived_facts(report).items():
        setattr(match, name, value)
    players = StoredPlayers()
    our_ids = _our_players(club, match.provider, report.our_lineup.players, players, invite_codes)
    opponent_ids = _opponent_players(opponent, report.opponent_lineup.players, players)
    _insert_derived_rows(match, report, our_ids, opponent_ids, set(withheld))
    if replace:
        advanced.delete_for_match(match.id)
    advanced.insert_for_match(match.id, report, our_ids)
    return players


def opponent_club(club: Club, report: analytics.MatchReport, logo_url: str | None) -> OpponentClub:
    opponent = db.session.scalar(
        select(OpponentClub).where(
            OpponentClub.club_id == club.id,
            OpponentClub.external_id == report.opponent.id,
        )
    )
    if opponent is None:
        opponent = OpponentClub(
            id=uuid.uuid4(),
            club_id=club.id,
            name=report.opponent.name,
            provider=PROVIDER,
            external_id=report.opponent.id,
            logo_url=logo_url,
        )
        db.session.add(opponent)
    elif logo_url:
        opponent.logo_url = logo_url
    db.session.flush()
    return opponent


def _our_players(
    club: Club,
    provider: str,
    lineup: Sequence[analytics.LineupPlayer],
    result: StoredPlayers,
    invite_codes: InviteCodes,
) -> dict[int, uuid.UUID]:
    """Match each of our lineup players to the squad: by the file provider's id (a player
    renamed in a later file of that provider stays the same player), then by name among the
    squad players without an id of that provider; create the new ones with invite codes.
    Returns the file's player id -> squad player id."""
    squad = list(db.session.scalars(select(Player).where(Player.club_id == club.id)))
    by_id = {p.external_id: p for p in squad if p.provider == provider and p.external_id}
    by_name = {
        analytics.normalize_name(p.player_name): p
        for p in squad
        if p.external_id is None or p.provider != provider
    }
    ids: dict[int, uuid.UUID] = {}
    new: list[analytics.LineupPlayer] = []
    for entry in lineup:
        player = by_id.get(entry.player_id) or by_name.pop(
            analytics.normalize_name(entry.player_name), None
        )
        if player is None:
            new.append(entry)
            continue
        if player.external_id is None:  # his id is the first provider's that named him
            player.provider, player.external_id = provider, entry.player_id
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
    codes = invite_codes([entry.player_name for entry in new])
    for entry, code in zip(new, codes, strict=True):
        player = Player(
            id=uuid.uuid4(),
            club_id=club.id,
            player_name=entry.player_name,
            provider=provider,
            external_id=entry.player_id,
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
    opponent: OpponentClub, lineup: Sequence[analytics.LineupPlayer], result: StoredPlayers
) -> dict[int, uuid.UUID]:
    known = {
        p.external_id: p
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
                provider=PROVIDER,
                external_id=entry.player_id,
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
    withheld: set[uuid.UUID],
) -> None:
    """Lineups, goals, team and player statistics: one bulk insert per table."""
    db.session.flush()
    our_team = report.our_team.id

    def owner(external_id: int, is_ours: bool) -> dict[str, uuid.UUID | None]:
        if is_ours:
            return {"player_id": our_ids[external_id], "opponent_player_id": None}
        return {"player_id": None, "opponent_player_id": opponent_ids[external_id]}

    lineups = [
        {
            "id": uuid.uuid4(),
            "match_id": match.id,
            "is_our_team": lineup.team_id == our_team,
            **owner(player.player_id, lineup.team_id == our_team),
            "external_id": player.player_id,
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
                    "team_external_id": goal.team_id,
                    "team_name": goal.team_name,
                    "scorer_external_id": goal.scorer_id,
                    "scorer_name": goal.scorer_name,
                    "assist_external_id": goal.assist_id,
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
                "team_external_id": stats.team_id,
                "team_name": stats.team_name,
                **stats.stats(),
            }
            for stats in report.team_stats
        ],
    )
    # Consent to statistics withdrawn: no new statistics row for him (the team's rows above
    # still count his actions: they are the team's).
    insert_rows(
        PlayerMatchStatistics.__table__,
        [
            {
                "id": uuid.uuid4(),
                "match_id": match.id,
                "is_our_team": stats.is_our_team,
                **owner(stats.player_id, stats.is_our_team),
                "external_id": stats.player_id,
                "player_name": stats.player_name,
                "is_starter": stats.is_starter,
                **stats.stats(),
                **{f"{name}_per90": value for name, value in stats.per90.items()},
            }
            for stats in report.player_stats
            if not (stats.is_our_team and our_ids.get(stats.player_id) in withheld)
        ],
    )
