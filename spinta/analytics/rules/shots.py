"""Shots and goals: shots and their outcomes, xG, saves, goals, own goals, the goal timeline
(with assists) and the penalty shootout."""

from __future__ import annotations

from collections.abc import Mapping

from ..domain import (
    Event,
    EventType,
    OwnGoalForEvent,
    Player,
    Qualifier,
    ShotEvent,
    ShotResult,
    Team,
)
from ..report import Goal
from . import Handler
from .tally import PlayerKey, Tally

__all__ = ["ShotsAndGoals"]

_OFF_TARGET = frozenset({ShotResult.OFF_TARGET, ShotResult.POST})


class ShotsAndGoals:
    __slots__ = (
        "assists",
        "goal_events",
        "opponent_of",
        "own_goals_against",
        "shootout_goals",
        "tally",
    )

    def __init__(
        self, tally: Tally, teams: tuple[Team, Team], assists: Mapping[str, Player | None]
    ) -> None:
        self.tally = tally
        first, second = teams
        self.opponent_of = {first.id: second.id, second.id: first.id}
        self.assists = assists  # goal-assist pass id -> its player (filled by Passing)
        self.goal_events: list[ShotEvent | OwnGoalForEvent] = []  # in event order
        self.own_goals_against: list[ShotEvent] = []
        self.shootout_goals: dict[PlayerKey | int, int] = {}  # by team id and by player

    def handlers(self) -> Mapping[EventType, Handler]:
        return {
            EventType.SHOT: self.on_shot,
            EventType.OWN_GOAL_FOR: self.on_own_goal_for,
            EventType.GOALKEEPER: self.on_goalkeeper,
        }

    def shootout_handlers(self) -> Mapping[EventType, Handler]:
        return {EventType.SHOT: self.on_shootout_shot}

    def on_shot(self, event: ShotEvent) -> None:
        result = event.result
        if result is ShotResult.OWN_GOAL:
            mine = self.tally.player_counts(event)
            if mine is not None:
                mine["own_goals"] += 1
            self.own_goals_against.append(event)
            return
        if event.xg is not None:
            self.tally.add(event, "expected_goals", event.xg)
        if result is ShotResult.GOAL:
            self.tally.count(event, "total_shots", "shots", "shots_on_target", "goals")
            self.goal_events.append(event)
        elif result is ShotResult.SAVED:  # a save by the other team's keeper
            self.tally.count(event, "total_shots", "shots", "shots_on_target")
            self.tally.teams[self.opponent_of[event.team.id]]["goalkeeper_saves"] += 1
        elif result in _OFF_TARGET:
            self.tally.count(event, "total_shots", "shots", "shots_off_target")
        elif result is ShotResult.BLOCKED:
            self.tally.count(event, "total_shots", "shots", "blocked_shots")
        else:
            self.tally.count(event, "total_shots", "shots")

    def on_own_goal_for(self, event: OwnGoalForEvent) -> None:
        self.tally.teams[event.team.id]["goals"] += 1
        self.goal_events.append(event)

    def on_goalkeeper(self, event: Event) -> None:
        if Qualifier.SAVE in event.qualifiers:
            mine = self.tally.player_counts(event)
            if mine is not None:
                mine["goalkeeper_saves"] += 1

    def on_shootout_shot(self, event: ShotEvent) -> None:
        if event.result is ShotResult.GOAL:
            goals = self.shootout_goals
            team_id = event.team.id
            goals[team_id] = goals.get(team_id, 0) + 1
            if event.player is not None:
                key = (team_id, event.player.id)
                goals[key] = goals.get(key, 0) + 1

    def own_goal_scorer(self, event: OwnGoalForEvent) -> Player | None:
        """The player of the other team's own goal nearest by index in the same period."""
        candidates = [
            (abs(against.index - event.index), against.index, against.player)
            for against in self.own_goals_against
            if against.period == event.period and against.team.id != event.team.id
        ]
        return min(candidates, key=lambda item: item[:2])[2] if candidates else None

    def goal(self, event: ShotEvent | OwnGoalForEvent, our_id: int) -> Goal:
        """One goal of the timeline."""
        assist: Player | None = None
        if isinstance(event, OwnGoalForEvent):
            scorer = self.own_goal_scorer(event)
            own_goal, penalty = True, False
        else:
            scorer = event.player
            if event.key_pass_id is not None:
                assist = self.assists.get(event.key_pass_id)
            own_goal, penalty = False, Qualifier.PENALTY in event.qualifiers
        return Goal(
            minute=event.minute,
            second=event.second,
            period=event.period,
            team_id=event.team.id,
            team_name=event.team.name,
            scorer_id=scorer.id if scorer else None,
            scorer_name=scorer.name if scorer else None,
            assist_id=assist.id if assist else None,
            assist_name=assist.name if assist else None,
            is_our_goal=event.team.id == our_id,
            own_goal=own_goal,
            penalty=penalty,
            event_id=event.event_id,
        )

    def goals(self, our_id: int) -> tuple[Goal, ...]:
        return tuple(self.goal(event, our_id) for event in self.goal_events)
