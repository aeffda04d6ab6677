"""The team and season a question is about, resolved to the season rows' keys.

"the U12s" or a team's name picks that team (default: the club's first team; a staff member
with the ``coach`` role knows only his teams, the first he coaches by default); "this season" is
the team's latest season with a match (the screens' default), "last season" the club's season
before it, "2022/23" or "22/23" that season, "all time" every season. A question naming no
season reads every season of the team, as the assistant did before seasons existed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from spinta.assistant.intents import Intent
from spinta.assistant.markdown import md
from spinta.extensions import db
from spinta.security import UNSEEN_ID, visible_teams
from spinta.services.seasons import Scope, default_team_id, latest_season_id

DEFAULT_LABEL = "this season"


@dataclass(frozen=True, slots=True)
class TeamInfo:
    team_id: str
    name: str
    age_group: str | None


@dataclass(frozen=True, slots=True)
class SeasonInfo:
    season_id: str
    name: str


@dataclass(frozen=True, slots=True)
class AskedScope:
    """The rows to read and how the answer names them ("last season (2022/23)")."""

    scope: Scope
    label: str = DEFAULT_LABEL
    team_name: str | None = None  # Markdown-escaped; None: the club's first team, unnamed


class ScopeProblem(Exception):
    """The question names a team or season the club does not have (the sentence says so)."""


def _names(items: Any) -> str:
    return ", ".join(md(item.name) for item in items) or "none yet"


def default_team(club_id: uuid.UUID) -> Any:
    """The team a question naming none is about: the club's first team, or for a staff member
    with the ``coach`` role the first team he coaches (as the screens' default)."""
    seen = visible_teams()
    if seen is None:
        return default_team_id(club_id)
    return seen[0] if seen else UNSEEN_ID


def _team(intent: Intent, club_id: uuid.UUID, teams: tuple[TeamInfo, ...]) -> tuple[Any, Any]:
    if intent.team is None:
        return default_team(club_id), None
    if intent.team.team_id is None:
        raise ScopeProblem(
            f"There is no team **{md(intent.team.text)}** in the club. Its teams: {_names(teams)}."
        )
    name = next((t.name for t in teams if t.team_id == intent.team.team_id), intent.team.text)
    return uuid.UUID(intent.team.team_id), md(name)


def _season_label(kind: str, name: str) -> str:
    """ "this season" as the answers always said it; "last season (2022/23)", "in 2022/23"."""
    return {"this": DEFAULT_LABEL, "last": f"last season ({name})"}.get(kind, f"in {name}")


def asked_scope(
    intent: Intent,
    club_id: uuid.UUID,
    teams: tuple[TeamInfo, ...],
    seasons: tuple[SeasonInfo, ...],
) -> AskedScope:
    """The scope of the question; raises ScopeProblem for a team or season the club lacks.
    ``seasons`` newest first."""
    team, team_name = _team(intent, club_id, teams)
    asked = intent.season
    if asked is None or asked.kind == "all":
        label = "over all seasons" if asked is not None or team_name else DEFAULT_LABEL
        return AskedScope(Scope(team, None), label, team_name)
    if asked.kind == "named":
        if asked.season_id is None:
            raise ScopeProblem(
                f"There is no season **{md(asked.text)}** in the club. Its seasons: "
                f"{_names(seasons)}."
            )
        season_id = asked.season_id
    else:
        latest = db.session.scalar(select(latest_season_id(team)))
        if latest is None:
            raise ScopeProblem(f"**{team_name or 'The team'}** has no matches yet.")
        season_id = str(latest)
        if asked.kind == "last":
            ids = [s.season_id for s in seasons]
            older = ids[ids.index(season_id) + 1 :] if season_id in ids else []
            if not older:
                raise ScopeProblem("There is no season before this one in the club.")
            season_id = older[0]
    name = next((s.name for s in seasons if s.season_id == season_id), asked.text)
    return AskedScope(
        Scope(team, uuid.UUID(season_id)), _season_label(asked.kind, md(name)), team_name
    )


__all__ = ["AskedScope", "ScopeProblem", "SeasonInfo", "TeamInfo", "asked_scope", "default_team"]
