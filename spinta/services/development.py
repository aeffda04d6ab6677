"""Player development (issue 22): trends, percentiles and development goals.

Trends are per real season: each match counts in the club season that holds its date (any of
the club's teams: a player keeps his history when he moves up an age group); `season_id`
narrows them to one season of the club, `all` or none shows every season he played in.
Percentiles rank a player within his position group of the club's squads of one age group in a
season (the team's age group), over their matches for those teams in that season. A
development goal counts the player's matches of its season up to its due date; his dashboard,
the coach's player detail and his training plans show his goals (:func:`with_goals`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from spinta.analytics import trends
from spinta.analytics.advanced import ADVANCED_PLAYER_FIELDS
from spinta.analytics.data_source import missing_names
from spinta.analytics.rules.sequences import possession_sequences
from spinta.errors import NotFound, ValidationFailed
from spinta.extensions import db
from spinta.models import (
    AdvancedMetric,
    Club,
    DevelopmentGoal,
    Match,
    Player,
    PlayerMatchStatistics,
    Season,
    Team,
    TeamPlayer,
)
from spinta.plans.generator import position_group
from spinta.screen_cache import commit_club_write
from spinta.screen_sections import NOT_AVAILABLE
from spinta.services.matches import get_club_match
from spinta.services.seasons import TEAM_NOT_FOUND, scope_for
from spinta.services.teams import club_season, season_for
from spinta.services.training import club_player
from spinta.store.events import stored_match

__all__ = [
    "ALL_SEASON",
    "DEFAULT_METRICS",
    "create_goal",
    "goal_list",
    "has_goals",
    "list_goals",
    "parse_metrics",
    "percentiles",
    "player_trends",
    "possessions",
    "season_advanced",
    "with_goals",
]

ALL_SEASON = "all"
DEFAULT_METRICS = ("progressive_passes", "progressive_carries", "expected_threat")
SEASON_NOT_FOUND = "No such season in this club."


def parse_metrics(text: str | None, field: str = "metrics") -> list[str]:
    """Catalogue keys of a comma-separated list (aliases such as xg accepted), in order, each
    once; the default list when empty. An unknown name: 422 naming it."""
    names = [name for name in (text or "").split(",") if name.strip()]
    if not names:
        return list(DEFAULT_METRICS)
    keys: list[str] = []
    for name in names:
        key = trends.metric_key(name)
        if key is None:
            sentence = (
                f"'{name.strip()[:40]}' is not a metric Spinta tracks per 90 minutes; "
                f"use e.g. goals, xg, progressive_passes, expected_threat."
            )
            raise ValidationFailed(sentence, errors={field: sentence})
        if key not in keys:
            keys.append(key)
    if len(keys) > 20:
        raise ValidationFailed(
            "At most 20 metrics at once.", errors={"metrics": "At most 20 metrics at once."}
        )
    return keys


def _season(club_id: uuid.UUID, season_id: str | None) -> uuid.UUID | None:
    """The club's season asked for (None: every season); another club's or no season: 404."""
    if season_id in (None, "", ALL_SEASON):
        return None
    try:
        wanted = uuid.UUID(str(season_id))
    except ValueError:
        raise NotFound(SEASON_NOT_FOUND) from None
    found = db.session.scalar(
        select(Season.id).where(Season.id == wanted, Season.club_id == club_id)
    )
    if found is None:
        raise NotFound(SEASON_NOT_FOUND)
    return found


def _club_seasons(club_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """The club's seasons, oldest first."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            select(Season.id, Season.name)
            .where(Season.club_id == club_id)
            .order_by(Season.start_date)
        )
    ]


def _match_values(
    club_id: uuid.UUID,
    player_ids: Sequence[uuid.UUID],
    keys: Sequence[str],
    *only: Any,
) -> dict[uuid.UUID, list[trends.MatchValues]]:
    """Each player's matches of the club in date order (ties by upload order), with the
    wanted metrics, his minutes and actions (``only``: further conditions on the matches)."""
    box = [k for k in keys if k not in ADVANCED_PLAYER_FIELDS]
    columns = [getattr(PlayerMatchStatistics, name) for name in (*box, *trends.ACTION_FIELDS)]
    rows = db.session.execute(
        select(
            PlayerMatchStatistics.player_id,
            Match.id,
            Match.match_date,
            Match.season_id,
            PlayerMatchStatistics.minutes_played,
            Match.data_source,
            *columns,
        )
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(Match.club_id == club_id, PlayerMatchStatistics.player_id.in_(player_ids), *only)
        .order_by(Match.match_date, Match.created_at)
    ).all()
    advanced: dict[tuple[Any, Any], dict[str, float]] = defaultdict(dict)
    wanted = [k for k in keys if k in ADVANCED_PLAYER_FIELDS]
    if wanted:
        for player_id, match_id, metric, value in db.session.execute(
            select(
                AdvancedMetric.player_id,
                AdvancedMetric.match_id,
                AdvancedMetric.metric,
                AdvancedMetric.value,
            ).where(AdvancedMetric.player_id.in_(player_ids), AdvancedMetric.metric.in_(wanted))
        ):
            advanced[(player_id, match_id)][metric] = value or 0.0
    result: dict[uuid.UUID, list[trends.MatchValues]] = defaultdict(list)
    for row in rows:
        player_id, match_id, match_date, season_id, minutes, source = row[:6]
        values = dict(zip(box, row[6 : 6 + len(box)], strict=True))
        values.update(advanced.get((player_id, match_id), {}))
        actions = sum(value or 0 for value in row[6 + len(box) :])
        result[player_id].append(
            trends.MatchValues(
                match_id,
                match_date,
                season_id,
                minutes or 0.0,
                actions,
                values,
                missing_names(source),
            )
        )
    return result


def _shown(value: float | None, matches: Sequence[trends.MatchValues], key: str) -> Any:
    """A value over ``matches``: NOT_AVAILABLE (shown null) when none of their files gives
    the metric (each lists it in its data_source.missing_statistics), never a silent 0."""
    if value is None and matches and not trends.giving(matches, key):
        return NOT_AVAILABLE
    return value


def _per_season(
    matches: Sequence[trends.MatchValues], seasons: Sequence[tuple[uuid.UUID, str]], key: str
) -> list[dict[str, Any]]:
    """One entry per season (oldest first) holding at least one of the matches."""
    entries = []
    for season_id, name in seasons:
        in_season = [m for m in matches if m.season_id == season_id]
        if not in_season:
            continue
        total, per90 = trends.season_value(in_season, key)
        entries.append(
            {
                "season_id": str(season_id),
                "season_name": name,
                "value": _shown(total, in_season, key),
                "per90": _shown(per90, in_season, key),
                "qualified": per90 is not None,
            }
        )
    return entries


def player_trends(
    *, club: Club, player: Player, metrics: str | None, season_id: str | None
) -> dict[str, Any]:
    """Per-season and rolling five-match per-90 values of the player's metrics, in the
    season asked for or (None, ``all``) every season of the club he played in."""
    keys = parse_metrics(metrics)
    season = _season(club.id, season_id)
    matches = [
        m
        for m in _match_values(club.id, [player.id], keys).get(player.id, [])
        if season is None or m.season_id == season
    ]
    seasons = _club_seasons(club.id)
    body: dict[str, Any] = {}
    for key in keys:
        rolling = [
            {
                "match_id": match.match_id,
                "match_date": match.match_date,
                "value": NOT_AVAILABLE if key in match.missing else value,
                "qualified": value is not None and key not in match.missing,
            }
            for match, value in trends.rolling(matches, key)
        ]
        body[key] = {"per_season": _per_season(matches, seasons, key), "rolling": rolling}
    return {"player_id": player.id, "metrics": body}


@dataclass(frozen=True)
class _Group:
    """Whom percentiles rank a player among: the club's teams of one age group in a season."""

    team: Team
    season: Season | None  # None: every season
    team_ids: tuple[uuid.UUID, ...]  # the club's teams of the team's age group

    def matches(self) -> list[Any]:
        conditions = [Match.team_id.in_(self.team_ids)]
        if self.season is not None:
            conditions.append(Match.season_id == self.season.id)
        return conditions

    def squad(self) -> Any:
        """The players in a squad of those teams (in the season)."""
        query = select(TeamPlayer.player_id).where(TeamPlayer.team_id.in_(self.team_ids))
        if self.season is not None:
            query = query.where(TeamPlayer.season_id == self.season.id)
        return query


def _group(club: Club, team_id: uuid.UUID | None, season_id: str | None) -> _Group:
    """The team asked for (default: the club's first, a staff coach's first team) and season
    (default: the latest season with a match of the team's age group, ``all``: every season);
    another club's team or season (or a team a staff coach does not coach): 404."""
    scope = scope_for(club.id, team_id, season_id if season_id else ALL_SEASON)
    team = db.session.scalar(select(Team).where(Team.id == scope.team, Team.club_id == club.id))
    if team is None:  # a staff coach who coaches no team
        raise NotFound(TEAM_NOT_FOUND)
    same_age = Team.id == team.id if team.age_group is None else Team.age_group == team.age_group
    team_ids = tuple(
        db.session.scalars(
            select(Team.id).where(Team.club_id == club.id, same_age).order_by(Team.id)
        )
    )
    wanted = scope.season
    if not season_id:  # the age group's latest season with a match (none yet: every season)
        wanted = db.session.scalar(
            select(Match.season_id)
            .where(Match.team_id.in_(team_ids))
            .order_by(Match.match_date.desc(), Match.created_at.desc())
            .limit(1)
        )
    season = None if wanted is None else db.session.get(Season, wanted)
    return _Group(team, season, team_ids)


def percentiles(
    *,
    club: Club,
    player_id: uuid.UUID,
    metrics: str | None,
    team_id: uuid.UUID | None = None,
    season_id: str | None = None,
) -> dict[str, Any]:
    """The player's per-90 percentile within the club's players of his position group in a
    squad of the team's age group that season, counting their matches for those teams in that
    season; members under the minimum rule are left out (coaches only)."""
    player = club_player(club, player_id)
    keys = parse_metrics(metrics)
    group = _group(club, team_id, season_id)
    position = position_group(player.position)
    squad = db.session.scalars(
        select(Player).where(Player.club_id == club.id, Player.id.in_(group.squad()))
    ).all()
    members = [p.id for p in squad if position_group(p.position) == position]
    if player.id not in members:  # ranked among them even when not in their squads
        members.append(player.id)
    values = _match_values(club.id, members, keys, *group.matches())
    body = {}
    for key in keys:
        per90 = {member: trends.season_value(values.get(member, []), key)[1] for member in members}
        ranks = trends.percentiles(per90)
        own = values.get(player.id, [])
        body[key] = {
            "per90": _shown(per90[player.id], own, key),
            "percentile": _shown(ranks[player.id], own, key),
            "qualified": per90[player.id] is not None,
        }
    qualified = sum(
        1
        for member in members
        if trends.qualifies(
            sum(m.minutes for m in values.get(member, [])),
            sum(m.actions for m in values.get(member, [])),
        )
    )
    return {
        "player_id": player.id,
        "position_group": position,
        "group_size": qualified,
        "team_id": group.team.id,
        "age_group": group.team.age_group,
        "season_id": ALL_SEASON if group.season is None else str(group.season.id),
        "season_name": None if group.season is None else group.season.name,
        "metrics": body,
    }


def season_advanced(
    club_id: uuid.UUID, player_id: uuid.UUID, *only: Any
) -> dict[str, tuple[float | None, float | None]]:
    """(total, per 90) of each advanced player metric over his matches of the club (``only``:
    conditions on them, e.g. a screen scope's) whose files give it; per 90 None under the
    minimum rule, both None when none of the files gives the metric."""
    keys = ADVANCED_PLAYER_FIELDS
    matches = _match_values(club_id, [player_id], keys, *only).get(player_id, [])
    return {key: trends.season_value(matches, key) for key in keys}


def _goal_body(goal: DevelopmentGoal, season_name: str | None, current: Any) -> dict:
    known = None if current is NOT_AVAILABLE else current
    progress, achieved = trends.goal_progress(goal.metric, goal.target_per90, known)
    return {
        "goal_id": goal.id,
        "metric": goal.metric,
        "target_per90": goal.target_per90,
        "due_date": goal.due_date,
        "season_id": goal.season_id,
        "season_name": season_name,
        "current_per90": current,
        "progress": progress,
        "achieved": achieved,
    }


def _goal_current(matches: Sequence[trends.MatchValues], goal: DevelopmentGoal) -> Any:
    """Per 90 over the player's matches of the goal's season up to its due date (None under
    the minimum rule, or for a goal without a season; NOT_AVAILABLE when none of their files
    gives the metric)."""
    if goal.season_id is None:
        return None
    counted = [
        m for m in matches if m.season_id == goal.season_id and m.match_date <= goal.due_date
    ]
    return _shown(trends.season_value(counted, goal.metric)[1], counted, goal.metric)


def goal_list(club_id: uuid.UUID, player_id: uuid.UUID) -> list[dict[str, Any]]:
    """The player's goals, nearest due date first, each checked against his current per-90
    value in its season (computed when read, so every upload counts at once): two or three
    queries, one when he has no goal."""
    rows = db.session.execute(
        select(DevelopmentGoal, Season.name)
        .outerjoin(Season, Season.id == DevelopmentGoal.season_id)
        .where(DevelopmentGoal.player_id == player_id)
        .order_by(DevelopmentGoal.due_date, DevelopmentGoal.created_at, DevelopmentGoal.id)
    ).all()
    if not rows:
        return []
    keys = sorted({goal.metric for goal, _ in rows})
    matches = _match_values(club_id, [player_id], keys).get(player_id, [])
    return [_goal_body(goal, name, _goal_current(matches, goal)) for goal, name in rows]


def has_goals(player_id: Any) -> Any:
    """Whether the player has a development goal, as a column for a screen's own query."""
    return select(DevelopmentGoal.id).where(DevelopmentGoal.player_id == player_id).exists()


def with_goals(body: dict[str, Any], club_id: uuid.UUID, player_id: uuid.UUID) -> dict:
    """A player screen's body with `development_goals` added when he has any (absent
    otherwise, so the screens of a player without goals read exactly as before)."""
    goals = goal_list(club_id, player_id)
    if goals:
        body["development_goals"] = goals
    return body


def _goal_season(club: Club, season_id: uuid.UUID | None, due_date: date) -> Season:
    """The season a new goal counts: the one asked for (another club's: 404), by default the
    club's season holding the due date (created on demand, as an upload does)."""
    if season_id is None:
        return season_for(club, due_date)
    season = club_season(club.id, season_id)
    if due_date < season.start_date:
        sentence = f"The due date is before the season {season.name} starts ({season.start_date})."
        raise ValidationFailed(sentence, errors={"due_date": sentence})
    return season


def create_goal(
    *,
    club: Club,
    player_id: uuid.UUID,
    metric: str,
    target_per90: float,
    due_date: date,
    season_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Store a goal and answer it as listed; the player's screens show it at once."""
    player = club_player(club, player_id)
    key = parse_metrics(metric, "metric")[0] if metric.strip() else None
    if key is None or "," in metric:
        raise ValidationFailed("Name one metric.", errors={"metric": "Name one metric."})
    season = _goal_season(club, season_id, due_date)
    goal = DevelopmentGoal(
        id=uuid.uuid4(),
        player_id=player.id,
        metric=key,
        target_per90=target_per90,
        due_date=due_date,
        season_id=season.id,
    )
    db.session.add(goal)
    commit_club_write(club.id)  # the player's dashboard and detail screens show his goals
    return next(g for g in goal_list(club.id, player.id) if g["goal_id"] == goal.id)


def list_goals(*, club_id: uuid.UUID, player_id: uuid.UUID) -> dict[str, Any]:
    """GET .../goals: the player's goals (see :func:`goal_list`)."""
    return {"goals": goal_list(club_id, player_id)}


def possessions(*, club: Any, match_id: uuid.UUID, limit: int, offset: int) -> dict[str, Any]:
    """The match's possession sequences (statistics.md "Possession"), re-read from its stored
    events: a page of them in match order, each with its team, times and pass string."""
    match: Match = get_club_match(club=club, match_id=match_id)
    sequences = possession_sequences(stored_match(match).events)
    page = sequences[offset : offset + limit]
    return {
        "total_count": len(sequences),
        "possessions": [
            {
                **sequence.to_dict(),
                "is_our_team": sequence.team_id == match.our_external_id,
            }
            for sequence in page
        ],
    }
