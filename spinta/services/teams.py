"""Teams and seasons: the club's default team, the season a date falls in (created on demand)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from spinta.errors import NotFound
from spinta.extensions import db
from spinta.models import Club, Match, Season, Team, TeamPlayer
from spinta.services.seasons import SEASON_NOT_FOUND, TEAM_NOT_FOUND

DEFAULT_SEASON_START = "08-01"


def parse_season_start(value: str) -> tuple[int, int]:
    """ "MM-DD" -> (month, day); a day every year has (29 February is refused)."""
    month, day = (int(part) for part in value.split("-"))
    date(2001, month, day)  # ValueError when not a day of a common year
    return month, day


def natural_season(day: date, season_start: str = DEFAULT_SEASON_START) -> tuple[str, date, date]:
    """(name, first day, last day) of the season containing ``day`` for a club whose seasons
    start on ``season_start``: 2022-12-18 with "08-01" -> ("2022/23", 2022-08-01, 2023-07-31).
    A season starting on 1 January is named by its year ("2022")."""
    month, first = parse_season_start(season_start)
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    start = date(year, month, first)
    end = date(year + 1, month, first) - timedelta(days=1)
    name = str(year) if (month, first) == (1, 1) else f"{year}/{(year + 1) % 100:02d}"
    return name, start, end


def default_team(club_id: uuid.UUID) -> Team:
    """The club's first team (every club has one from its creation)."""
    team = db.session.scalar(
        select(Team).where(Team.club_id == club_id).order_by(Team.created_at, Team.id).limit(1)
    )
    if team is None:  # a club created before teams existed and not migrated: give it one
        club = db.session.get(Club, club_id)
        team = new_team(club)
    return team


def club_team(club_id: uuid.UUID, team_id: uuid.UUID | None) -> Team:
    """One of the club's teams (None: the default team); another club's -> 404."""
    if team_id is None:
        return default_team(club_id)
    team = db.session.scalar(select(Team).where(Team.id == team_id, Team.club_id == club_id))
    if team is None:
        raise NotFound(TEAM_NOT_FOUND)
    return team


def club_season(club_id: uuid.UUID, season_id: uuid.UUID) -> Season:
    """One of the club's seasons; another club's -> 404."""
    season = db.session.scalar(
        select(Season).where(Season.id == season_id, Season.club_id == club_id)
    )
    if season is None:
        raise NotFound(SEASON_NOT_FOUND)
    return season


def new_team(club: Club, *, name: str | None = None, age_group=None, format="11v11") -> Team:
    team = Team(
        id=uuid.uuid4(),
        club_id=club.id,
        name=name or club.club_name,
        age_group=age_group if name else (age_group or club.age_group),
        format=format,
    )
    db.session.add(team)
    return team


def season_containing(club_id: uuid.UUID, day: date) -> Season | None:
    return db.session.scalar(
        select(Season).where(
            Season.club_id == club_id, Season.start_date <= day, Season.end_date >= day
        )
    )


def season_for(club: Club, day: date) -> Season:
    """The club's season containing ``day``, created from the club's season start when there
    is none: the natural range, cut short where it would overlap a neighbouring season."""
    season = season_containing(club.id, day)
    if season is not None:
        return season
    name, start, end = natural_season(day, club.season_start or DEFAULT_SEASON_START)
    before = db.session.scalar(
        select(Season.end_date)
        .where(Season.club_id == club.id, Season.end_date < day)
        .order_by(Season.end_date.desc())
        .limit(1)
    )
    after = db.session.scalar(
        select(Season.start_date)
        .where(Season.club_id == club.id, Season.start_date > day)
        .order_by(Season.start_date)
        .limit(1)
    )
    if before is not None and before >= start:
        start = before + timedelta(days=1)
    if after is not None and after <= end:
        end = after - timedelta(days=1)
    season = Season(id=uuid.uuid4(), club_id=club.id, name=name, start_date=start, end_date=end)
    db.session.add(season)
    db.session.flush()
    return season


def add_to_squad(team_id: uuid.UUID, season_id: uuid.UUID, player_ids) -> None:
    """Put players in a team's squad for a season (those already there stay once)."""
    wanted = set(player_ids)
    if not wanted:
        return
    present = set(
        db.session.scalars(
            select(TeamPlayer.player_id).where(
                TeamPlayer.team_id == team_id,
                TeamPlayer.season_id == season_id,
                TeamPlayer.player_id.in_(wanted),
            )
        )
    )
    db.session.add_all(
        TeamPlayer(team_id=team_id, season_id=season_id, player_id=player_id)
        for player_id in sorted(wanted - present)
    )


def list_teams(club_id: uuid.UUID, only: tuple[uuid.UUID, ...] | None = None) -> list[dict]:
    """The club's teams (``only`` those when given: a ``coach``'s teams), the default team
    first, with squad and match counts (one query)."""
    players = (
        select(func.count(func.distinct(TeamPlayer.player_id)))
        .where(TeamPlayer.team_id == Team.id)
        .scalar_subquery()
    )
    matches = select(func.count(Match.id)).where(Match.team_id == Team.id).scalar_subquery()
    statement = select(Team, players.label("players"), matches.label("matches")).where(
        Team.club_id == club_id
    )
    if only is not None:
        statement = statement.where(Team.id.in_(only))
    rows = db.session.execute(statement.order_by(Team.created_at, Team.id)).all()
    return [
        {
            "team_id": team.id,
            "name": team.name,
            "age_group": team.age_group,
            "format": team.format,
            "player_count": count or 0,
            "match_count": played or 0,
            "is_default": position == 0,
        }
        for position, (team, count, played) in enumerate(rows)
    ]


def squad_ids(team_id: uuid.UUID, season_id: uuid.UUID) -> list[uuid.UUID]:
    """The players of a team's squad in a season, in a stable order."""
    return sorted(
        db.session.scalars(
            select(TeamPlayer.player_id).where(
                TeamPlayer.team_id == team_id, TeamPlayer.season_id == season_id
            )
        ),
        key=str,
    )


def _match_count() -> Any:
    return select(func.count(Match.id)).where(Match.season_id == Season.id).scalar_subquery()


def _season_item(season: Season, played: int | None, today: date) -> dict:
    return {
        "season_id": season.id,
        "name": season.name,
        "start_date": season.start_date,
        "end_date": season.end_date,
        "match_count": played or 0,
        "is_current": season.start_date <= today <= season.end_date,
    }


def list_seasons(club_id: uuid.UUID, today: date | None = None) -> list[dict]:
    """The club's seasons, newest first, with their match counts (one query)."""
    rows = db.session.execute(
        select(Season, _match_count().label("matches"))
        .where(Season.club_id == club_id)
        .order_by(Season.start_date.desc())
    ).all()
    return [_season_item(season, played, today or date.today()) for season, played in rows]


def season_item(season_id: uuid.UUID) -> dict:
    """One season as the seasons list shows it."""
    season, played = db.session.execute(
        select(Season, _match_count()).where(Season.id == season_id)
    ).one()
    return _season_item(season, played, date.today())
