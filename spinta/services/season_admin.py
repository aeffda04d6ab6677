"""The club admin's changes to seasons and to the club's settings (issue 17).

Moving a season's boundaries moves the matches whose date it no longer contains into the
season containing their date, created from the club's season start when there is none (as an
upload does), and rebuilds the season rows of the affected (team,
season) pairs only; every other season row stays as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select, update

from spinta.errors import Conflict, ValidationFailed
from spinta.extensions import db
from spinta.models import Club, Match, PlayerMatchStatistics, Season
from spinta.screen_cache import commit_club_write
from spinta.services.matches import take_club_turn
from spinta.services.seasons import recompute_club
from spinta.services.teams import add_to_squad, club_season, season_for, season_item

CLUB_FIELDS = ("club_name", "logo_url", "country", "season_start", "min_playing_share")
Pair = tuple[uuid.UUID, uuid.UUID]


def _refuse_overlap(club_id: uuid.UUID, start: date, end: date, season_id: Any = None) -> None:
    """409 when [start, end] overlaps another season of the club."""
    conditions = [Season.club_id == club_id, Season.start_date <= end, Season.end_date >= start]
    if season_id is not None:
        conditions.append(Season.id != season_id)
    other = db.session.scalar(select(Season).where(*conditions).limit(1))
    if other is not None:
        raise Conflict(
            f"The dates overlap the season {other.name} ({other.start_date.isoformat()} to"
            f" {other.end_date.isoformat()}); seasons never overlap."
        )


def create_season(*, club: Club, name: str, start_date: date, end_date: date) -> dict:
    """A new season (no match moves: every match is inside a season that does not overlap)."""
    take_club_turn(club.id)
    _refuse_overlap(club.id, start_date, end_date)
    season = Season(
        id=uuid.uuid4(), club_id=club.id, name=name, start_date=start_date, end_date=end_date
    )
    db.session.add(season)
    commit_club_write(club.id)
    return season_item(season.id)


def update_season(*, club: Club, season_id: uuid.UUID, changes: Mapping[str, Any]) -> dict:
    """Rename a season or move its boundaries (None: unchanged); 409 on an overlap, 422 when
    it would end before it starts. Matches follow their dates; affected rows are rebuilt."""
    take_club_turn(club.id)  # no upload picks a season while its boundaries move
    season = club_season(club.id, season_id)
    start = changes.get("start_date") or season.start_date
    end = changes.get("end_date") or season.end_date
    _check_range(start, end)
    _refuse_overlap(club.id, start, end, season.id)
    season.name = changes.get("name") or season.name
    season.start_date, season.end_date = start, end
    db.session.flush()
    pairs = _move_matches(club, season)
    if pairs:
        recompute_club(club.id, pairs)
    commit_club_write(club.id)
    return season_item(season.id)


def _check_range(start: date, end: date) -> None:
    if end < start:
        problem = f"Must not be before start_date ({start.isoformat()})."
        raise ValidationFailed(f"Invalid 'end_date': {problem}", errors={"end_date": problem})


def _move_matches(club: Club, season: Season) -> set[Pair]:
    """Put every match whose date ``season`` no longer contains in the season containing it
    (created when there is none); the (team, season) pairs they left and joined. (No match
    can join ``season``: seasons never overlap and every match lies in its season.)"""
    outside = ~Match.match_date.between(season.start_date, season.end_date)
    leaving = db.session.execute(
        select(Match.id, Match.team_id, Match.match_date).where(
            Match.season_id == season.id, outside
        )
    ).all()
    pairs: set[Pair] = set()
    for match_id, team_id, day in leaving:
        new_season = season_for(club, day).id
        db.session.execute(update(Match).where(Match.id == match_id).values(season_id=new_season))
        add_to_squad(team_id, new_season, _lineup(match_id))
        pairs |= {(team_id, season.id), (team_id, new_season)}
    return pairs


def _lineup(match_id: uuid.UUID) -> list[uuid.UUID]:
    """Our players who have a row in the match (they join the squad of its season)."""
    return list(
        db.session.scalars(
            select(PlayerMatchStatistics.player_id).where(
                PlayerMatchStatistics.match_id == match_id,
                PlayerMatchStatistics.is_our_team.is_(True),
                PlayerMatchStatistics.player_id.is_not(None),
            )
        )
    )


def update_club(*, club: Club, changes: Mapping[str, Any]) -> Club:
    """Apply the given settings (None: unchanged). A new season start shapes the seasons
    created from now on; existing seasons keep their dates."""
    for name in CLUB_FIELDS:
        if changes.get(name) is not None:
            setattr(club, name, changes[name])
    commit_club_write(club.id)
    return club
