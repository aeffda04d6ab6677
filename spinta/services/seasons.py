"""Season aggregates: re-derived from the stored per-match rows whenever matches change."""

from __future__ import annotations

import uuid

from sqlalchemy import case, delete, func, select

from spinta import analytics
from spinta.extensions import db
from spinta.models import (
    ClubSeasonStatistics,
    Match,
    MatchStatistics,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
)
from spinta.store.copy import insert_rows

_TEAM_COLUMNS = [getattr(MatchStatistics, name) for name in analytics.TEAM_STAT_FIELDS]
# Summed per player by the database (SUM skips NULLs; a player's all-NULL sum counts as 0).
_PLAYER_SUMS = [
    getattr(PlayerMatchStatistics, name)
    for name in ("minutes_played", *analytics.PLAYER_COUNT_FIELDS)
]


def recompute_club_season(club_id: uuid.UUID) -> None:
    """The club's season row from its matches (our team's rows). Two queries, no commit."""
    assists = (
        select(
            PlayerMatchStatistics.match_id,
            func.sum(PlayerMatchStatistics.assists).label("assists"),
        )
        .where(PlayerMatchStatistics.is_our_team.is_(True))
        .group_by(PlayerMatchStatistics.match_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Match.match_date,
            Match.created_at,
            Match.our_score,
            Match.opponent_score,
            Match.result,
            func.coalesce(assists.c.assists, 0).label("assists"),
            *_TEAM_COLUMNS,
        )
        .join(
            MatchStatistics,
            (MatchStatistics.match_id == Match.id) & MatchStatistics.is_our_team.is_(True),
        )
        .outerjoin(assists, assists.c.match_id == Match.id)
        .where(Match.club_id == club_id)
    ).all()
    season = analytics.compute_club_season(
        analytics.ClubMatch(
            match_date=row.match_date,
            upload_order=row.created_at,
            our_score=row.our_score,
            opponent_score=row.opponent_score,
            result=row.result,
            assists=int(row.assists or 0),
            team_stats={name: getattr(row, name) for name in analytics.TEAM_STAT_FIELDS},
        )
        for row in rows
    )
    values = season.to_dict()
    existing = db.session.get(ClubSeasonStatistics, club_id)
    if existing is None:
        db.session.add(ClubSeasonStatistics(club_id=club_id, **values))
    else:
        for name, value in values.items():
            setattr(existing, name, value)


def recompute_player_seasons(club_id: uuid.UUID) -> None:
    """Every squad member's season row and ratings (ratings rank the whole squad).

    The database adds up each player's matches (one row per player comes back, however long
    the club's history); the ratings are computed from those sums.
    """
    rows = db.session.execute(
        select(
            PlayerMatchStatistics.player_id,
            func.count().label("matches"),
            func.sum(case((PlayerMatchStatistics.is_starter, 1), else_=0)).label("starts"),
            *(func.sum(column).label(column.key) for column in _PLAYER_SUMS),
        )
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(Match.club_id == club_id, PlayerMatchStatistics.player_id.is_not(None))
        .group_by(PlayerMatchStatistics.player_id)
    ).all()
    seasons = analytics.player_seasons(
        {
            row.player_id: analytics.PlayerTotals(
                matches=row.matches,
                starts=int(row.starts or 0),
                minutes=row.minutes_played or 0.0,
                totals={name: getattr(row, name) or 0 for name in analytics.PLAYER_COUNT_FIELDS},
            )
            for row in rows
        }
    )
    db.session.execute(
        delete(PlayerSeasonStatistics).where(PlayerSeasonStatistics.club_id == club_id)
    )
    if not seasons:
        return
    insert_rows(
        PlayerSeasonStatistics.__table__,
        [
            {
                "player_id": season.player_id,
                "club_id": club_id,
                "matches_played": season.matches_played,
                "starts": season.starts,
                "minutes_played": season.minutes_played,
                **season.totals,
                **season.rates,
                **{f"{name}_per90": value for name, value in season.per90.items()},
                **season.ratings(),
            }
            for season in seasons.values()
        ],
    )


def recompute_season(club_id: uuid.UUID) -> None:
    """Club and player seasons; the caller commits (it is part of the caller's transaction)."""
    db.session.flush()
    recompute_club_season(club_id)
    recompute_player_seasons(club_id)
