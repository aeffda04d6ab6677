"""Spinta analytics: event data (StatsBomb) -> match report and season aggregates.

Pure and typed: standard library only, no Flask, no SQLAlchemy, no I/O (except the CLI in
`__main__`). `statistics.md` is the contract for every number computed here. `analyse_match`
runs a provider (`providers/`: raw file -> neutral events, `domain.py`), the rule families
(`rules/`) and builds the report (`report.py`); `catalogue.py` lists every statistic once.

    report = analyse_match(events, club_name="Barcelona", typed_score=(3, 0))
    report.to_dict()          # the JSON report
    report.our_team_stats     # typed TeamStats (one DB row)
    report.player_stats       # typed PlayerStats, one per player who played
"""

from __future__ import annotations

from .errors import (
    ClubNotFoundError,
    EmptyEventsError,
    EventDataError,
    LineupError,
    MalformedEventError,
    NotAListError,
    TeamsError,
)
from .events import parse_timestamp, prepare_events
from .match import analyse_match, fingerprint_events
from .report import (
    PLAYER_COUNT_FIELDS,
    PLAYER_RATE_FIELDS,
    PLAYER_STAT_FIELDS,
    RATE_PARTS,
    TEAM_COUNT_FIELDS,
    TEAM_RATE_FIELDS,
    TEAM_STAT_FIELDS,
    Goal,
    LineupPlayer,
    MatchReport,
    OurTeam,
    PlayerStats,
    Score,
    Team,
    TeamLineup,
    TeamStats,
    per90,
    rate,
    round_half_up,
)
from .season import (
    CLUB_SEASON_FIELDS,
    PLAYER_SEASON_FIELDS,
    RATING_COMPONENTS,
    RATING_FIELDS,
    RATING_MIN_MINUTES,
    ClubMatch,
    ClubSeason,
    PlayerSeason,
    PlayerTotals,
    compute_club_season,
    compute_player_seasons,
    percentile_ranks,
    player_seasons,
    player_totals,
)
from .teams import identify_team, normalize_name

__all__ = [
    "CLUB_SEASON_FIELDS",
    "PLAYER_COUNT_FIELDS",
    "PLAYER_RATE_FIELDS",
    "PLAYER_SEASON_FIELDS",
    "PLAYER_STAT_FIELDS",
    "RATE_PARTS",
    "RATING_COMPONENTS",
    "RATING_FIELDS",
    "RATING_MIN_MINUTES",
    "TEAM_COUNT_FIELDS",
    "TEAM_RATE_FIELDS",
    "TEAM_STAT_FIELDS",
    "ClubMatch",
    "ClubNotFoundError",
    "ClubSeason",
    "EmptyEventsError",
    "EventDataError",
    "Goal",
    "LineupError",
    "LineupPlayer",
    "MalformedEventError",
    "MatchReport",
    "NotAListError",
    "OurTeam",
    "PlayerSeason",
    "PlayerStats",
    "PlayerTotals",
    "Score",
    "Team",
    "TeamLineup",
    "TeamStats",
    "TeamsError",
    "analyse_match",
    "compute_club_season",
    "compute_player_seasons",
    "fingerprint_events",
    "identify_team",
    "normalize_name",
    "parse_timestamp",
    "per90",
    "percentile_ranks",
    "player_seasons",
    "player_totals",
    "prepare_events",
    "rate",
    "round_half_up",
]
