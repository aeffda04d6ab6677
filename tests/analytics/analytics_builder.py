"""A tiny builder of StatsBomb-like event lists for the analytics unit tests.

Every event gets a unique `id`, an increasing `index`, a timestamp from `at` (seconds into
its period) and the builder's current possession; the two Starting XI events come first.
Players are numbered per team: `player(HOME, 5)` has id 105 and jersey 5.
"""

from __future__ import annotations

from typing import Any

HOME: dict[str, Any] = {"id": 1, "name": "Home FC"}
AWAY: dict[str, Any] = {"id": 2, "name": "Away United"}
PERIOD_START_MINUTE = {1: 0, 2: 45, 3: 90, 4: 105, 5: 120}


def ts(seconds: float) -> str:
    """StatsBomb timestamp "HH:MM:SS.mmm" for a number of seconds."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def player(team: dict[str, Any], number: int) -> dict[str, Any]:
    return {"id": team["id"] * 100 + number, "name": f"{team['name']} #{number}"}


def pid(team: dict[str, Any], number: int) -> int:
    return team["id"] * 100 + number


def lineup_entry(team: dict[str, Any], number: int, jersey: int | None = None) -> dict[str, Any]:
    return {
        "player": player(team, number),
        "position": {"id": number, "name": f"Position {number}"},
        "jersey_number": number if jersey is None else jersey,
    }


class MatchBuilder:
    def __init__(
        self,
        home: dict[str, Any] = HOME,
        away: dict[str, Any] = AWAY,
        *,
        xi_size: int = 11,
    ) -> None:
        self.home = home
        self.away = away
        self.events: list[dict[str, Any]] = []
        self._seq = 0
        self.possession = 1
        self.possession_team = home
        for team in (home, away):
            self.add(
                "Starting XI",
                team,
                tactics={
                    "formation": 442,
                    "lineup": [lineup_entry(team, n) for n in range(1, xi_size + 1)],
                },
            )

    def add(
        self,
        type_name: str,
        team: dict[str, Any],
        *,
        period: int = 1,
        at: float = 0.0,
        player_no: int | None = None,
        position: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Append one event; `fields` become its top-level keys (e.g. pass={...})."""
        self._seq += 1
        event: dict[str, Any] = {
            "id": f"ev-{self._seq:05d}",
            "index": self._seq,
            "period": period,
            "timestamp": ts(at),
            "minute": PERIOD_START_MINUTE[period] + int(at // 60),
            "second": int(at % 60),
            "type": {"id": 0, "name": type_name},
            "team": dict(team),
            "possession": self.possession,
            "possession_team": dict(self.possession_team),
        }
        if player_no is not None:
            event["player"] = player(team, player_no)
        if position is not None:
            event["position"] = {"id": 0, "name": position}
        event.update(fields)
        self.events.append(event)
        return event

    def new_possession(self, team: dict[str, Any]) -> None:
        self.possession += 1
        self.possession_team = team

    def pass_(
        self, team: dict[str, Any], number: int, *, at: float = 0.0, period: int = 1, **detail: Any
    ) -> dict[str, Any]:
        return self.add("Pass", team, period=period, at=at, player_no=number, **{"pass": detail})

    def shot(
        self,
        team: dict[str, Any],
        number: int,
        outcome: str,
        *,
        at: float = 0.0,
        period: int = 1,
        xg: float = 0.1,
        shot_type: str = "Open Play",
        key_pass_id: str | None = None,
    ) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "statsbomb_xg": xg,
            "outcome": {"id": 0, "name": outcome},
            "type": {"id": 0, "name": shot_type},
        }
        if key_pass_id is not None:
            detail["key_pass_id"] = key_pass_id
        return self.add("Shot", team, period=period, at=at, player_no=number, shot=detail)

    def card(
        self,
        team: dict[str, Any],
        number: int,
        card: str,
        *,
        at: float = 0.0,
        period: int = 1,
        foul: bool = False,
    ) -> dict[str, Any]:
        if foul:
            return self.add(
                "Foul Committed",
                team,
                period=period,
                at=at,
                player_no=number,
                foul_committed={"card": {"id": 0, "name": card}},
            )
        return self.add(
            "Bad Behaviour",
            team,
            period=period,
            at=at,
            player_no=number,
            bad_behaviour={"card": {"id": 0, "name": card}},
        )

    def substitution(
        self,
        team: dict[str, Any],
        off: int,
        on: int,
        *,
        at: float,
        period: int = 1,
        position: str = "Center Forward",
    ) -> dict[str, Any]:
        return self.add(
            "Substitution",
            team,
            period=period,
            at=at,
            player_no=off,
            position=position,
            substitution={
                "outcome": {"id": 103, "name": "Tactical"},
                "replacement": player(team, on),
            },
        )

    def tactical_shift(
        self,
        team: dict[str, Any],
        numbers_and_jerseys: list[tuple[int, int]],
        *,
        at: float,
        period: int = 1,
    ) -> dict[str, Any]:
        lineup = [lineup_entry(team, n, jersey) for n, jersey in numbers_and_jerseys]
        return self.add(
            "Tactical Shift",
            team,
            period=period,
            at=at,
            tactics={"formation": 442, "lineup": lineup},
        )

    def end_period(self, period: int, at: float) -> None:
        """Half End events for both teams (they set the period's length)."""
        for team in (self.home, self.away):
            self.add("Half End", team, period=period, at=at)
