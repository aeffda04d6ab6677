"""Find which of the two teams in a file is the club (statistics.md, general rule 4)."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from typing import Final

from .errors import ClubNotFoundError

__all__ = [
    "MATCHED_BY_CONTAINS",
    "MATCHED_BY_EXACT",
    "MATCHED_BY_NORMALIZED",
    "MATCHED_BY_SIMILAR",
    "MATCHED_BY_TEAM_ID",
    "SIMILARITY_THRESHOLD",
    "identify_team",
    "normalize_name",
]

MATCHED_BY_TEAM_ID: Final = "team_id"
MATCHED_BY_EXACT: Final = "exact_name"
MATCHED_BY_NORMALIZED: Final = "normalized_name"
MATCHED_BY_CONTAINS: Final = "contains_name"
MATCHED_BY_SIMILAR: Final = "similar_name"
SIMILARITY_THRESHOLD: Final = 0.8


def normalize_name(name: str) -> str:
    """Case- and accent-insensitive form of a name ("Deportivo Alavés" -> "deportivo alaves")."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _team_list(teams: Sequence[tuple[int, str]], *, with_ids: bool = False) -> str:
    names = [f"{name} (id {team_id})" if with_ids else name for team_id, name in teams]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names)


def _best(
    candidates: list[tuple[int, str]], club: str, club_name: str, teams: Sequence[tuple[int, str]]
) -> int:
    """The candidate most similar to the club name; both equally similar is ambiguous."""
    if len(candidates) == 1:
        return candidates[0][0]
    scored = sorted(
        ((_similarity(club, normalize_name(name)), team_id) for team_id, name in candidates),
        reverse=True,
    )
    if scored[0][0] == scored[1][0]:
        raise ClubNotFoundError(
            f"'{club_name}' matches both teams in this file ({_team_list(teams)}); "
            "set the club's StatsBomb team id to choose one."
        )
    return scored[0][1]


def identify_team(
    teams: Sequence[tuple[int, str]],
    *,
    club_name: str | None = None,
    club_team_id: int | None = None,
) -> tuple[int, str]:
    """Return (team id, matched_by) of the club among `teams` [(id, name), ...].

    Tried in order: the StatsBomb team id, then the name exactly, case- and accent-insensitive,
    one name containing the other, and the highest difflib ratio >= 0.8 on normalised names.
    """
    if club_team_id is not None:
        for team_id, _ in teams:
            if team_id == club_team_id:
                return team_id, MATCHED_BY_TEAM_ID
    if club_name is not None:
        for team_id, name in teams:
            if name == club_name:
                return team_id, MATCHED_BY_EXACT
        club = normalize_name(club_name)
        if club:
            normalized = [(team_id, normalize_name(name)) for team_id, name in teams]
            equal = [(tid, name) for tid, name in normalized if name == club]
            if equal:
                return _best(equal, club, club_name, teams), MATCHED_BY_NORMALIZED
            containing = [
                (tid, name) for tid, name in normalized if name and (club in name or name in club)
            ]
            if containing:
                return _best(containing, club, club_name, teams), MATCHED_BY_CONTAINS
            similar = [
                (tid, name)
                for tid, name in normalized
                if _similarity(club, name) >= SIMILARITY_THRESHOLD
            ]
            if similar:
                return _best(similar, club, club_name, teams), MATCHED_BY_SIMILAR
    if club_name is not None and club_team_id is not None:
        wanted = f"'{club_name}' (StatsBomb team id {club_team_id})"
    elif club_name is not None:
        wanted = f"'{club_name}'"
    else:
        wanted = f"StatsBomb team id {club_team_id}"
    raise ClubNotFoundError(
        f"Could not find {wanted} in this file: the teams are "
        f"{_team_list(teams, with_ids=club_team_id is not None)}."
    )
