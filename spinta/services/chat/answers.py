"""Answer an :class:`Intent` from the club's own rows, in short Markdown with the real numbers.

Every query is filtered by the club (``Match.club_id`` / ``club_id``); a question can only ever
reach the coach's own squad and matches. An answer costs two small queries for the squad and
match list (the vocabulary) plus one or two indexed queries for the numbers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select

from spinta.analytics import RATING_MIN_MINUTES, round_half_up
from spinta.analytics.data_source import season_gaps
from spinta.assistant import intents as kinds
from spinta.assistant.intents import Intent
from spinta.assistant.markdown import md
from spinta.assistant.parser import (
    MatchRef,
    SeasonName,
    SquadName,
    TeamName,
    Vocabulary,
    normalize,
)
from spinta.assistant.stats import (
    APPEARANCES,
    COUNT,
    MINUTES,
    RATE,
    RATING,
    RATING_KEYS,
    STATS_BY_KEY,
    XG,
    Stat,
)
from spinta.extensions import db
from spinta.models import (
    Club,
    Goal,
    Match,
    MatchStatistics,
    Player,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
    Season,
    Team,
    TeamPlayer,
)
from spinta.plans.generator import is_goalkeeper
from spinta.screen_sections import reported_minute
from spinta.security import visible_teams
from spinta.services.chat.advanced import with_advanced
from spinta.services.chat.scope import (
    AskedScope,
    ScopeProblem,
    SeasonInfo,
    TeamInfo,
    asked_scope,
    default_team,
)
from spinta.services.consent import excluded_condition
from spinta.services.seasons import Scope, club_row, player_rows

TOP_N = 5
RESULT_WORDS = {"W": "Win", "D": "Draw", "L": "Loss"}


# ---------------------------------------------------------------- what the club knows


# Every text a user wrote (names, positions) is kept twice below: raw for the parser and for
# comparisons, and escaped with md() for the answers, so no answer can show it unescaped.


@dataclass(frozen=True, slots=True)
class SquadMember:
    player_id: str
    name: str  # Markdown-escaped, for answers
    jersey_number: int | None
    position: str | None  # Markdown-escaped
    is_linked: bool
    raw_name: str = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class MatchInfo:
    match_id: str
    opponent_name: str  # Markdown-escaped, for answers
    match_date: date
    our_score: int
    opponent_score: int
    result: str
    our_penalty_score: int | None
    opponent_penalty_score: int | None
    raw_opponent: str = field(kw_only=True)
    team_id: str | None = field(default=None, kw_only=True)
    season_id: str | None = field(default=None, kw_only=True)

    @property
    def label(self) -> str:
        return f"{self.opponent_name} ({self.match_date.isoformat()})"


@dataclass(frozen=True, slots=True)
class ClubData:
    club_id: uuid.UUID
    club_name: str  # Markdown-escaped, for answers
    squad: tuple[SquadMember, ...]
    matches: tuple[MatchInfo, ...]  # oldest first (date, then upload order)
    raw_club_name: str = field(kw_only=True)
    teams: tuple[TeamInfo, ...] = field(default=(), kw_only=True)  # the first is the default
    seasons: tuple[SeasonInfo, ...] = field(default=(), kw_only=True)  # newest first
    asked: AskedScope | None = field(default=None, kw_only=True)  # set by answer()

    def vocabulary(self) -> Vocabulary:
        return Vocabulary(
            players=tuple(SquadName(m.player_id, m.raw_name, m.jersey_number) for m in self.squad),
            opponents=tuple(dict.fromkeys(m.raw_opponent for m in self.matches)),
            club_name=self.raw_club_name,
            teams=tuple(TeamName(t.team_id, t.name, t.age_group) for t in self.teams),
            seasons=tuple(SeasonName(s.season_id, s.name) for s in self.seasons),
        )

    @property
    def scope(self) -> Scope:
        return self.asked.scope if self.asked else Scope(default_team(self.club_id), None)

    @property
    def label(self) -> str:
        """How the answer names its team and season: "this season" unless the question named
        them ("for the U12s last season (2022/23)")."""
        if self.asked is None:
            return "this season"
        team = f"for {self.asked.team_name} " if self.asked.team_name else ""
        return team + self.asked.label

    def member(self, player_id: str) -> SquadMember | None:
        return next((m for m in self.squad if m.player_id == player_id), None)


def load_club_data(club: Club) -> ClubData:
    """The squad and the match list: the names the parser needs (two indexed queries).

    Players the assistant must leave out (consent withdrawn, a minor without consent, erased,
    removed from the club) are not in the squad it knows, so no answer or comparison shows
    them (spinta.services.consent). A staff member with the ``coach`` role knows only his
    teams: their squads' players, their matches, their names."""
    seen = visible_teams()
    mine_only: list[Any] = []  # conditions: his teams' players
    their_matches: list[Any] = []  # and matches
    if seen is not None:
        squads = select(TeamPlayer.player_id).where(TeamPlayer.team_id.in_(seen))
        mine_only, their_matches = [Player.id.in_(squads)], [Match.team_id.in_(seen)]
    squad = db.session.execute(
        select(
            Player.id, Player.player_name, Player.jersey_number, Player.position, Player.is_linked
        ).where(
            Player.club_id == club.id,
            Player.left_at.is_(None),
            ~excluded_condition("assistant"),
            *mine_only,
        )
    ).all()
    matches = db.session.execute(
        select(
            Match.id,
            Match.opponent_name,
            Match.match_date,
            Match.our_score,
            Match.opponent_score,
            Match.result,
            Match.our_penalty_score,
            Match.opponent_penalty_score,
            Match.team_id,
            Match.season_id,
        )
        .where(Match.club_id == club.id, *their_matches)
        .order_by(Match.match_date, Match.created_at)
    ).all()
    members = sorted(
        (
            SquadMember(
                str(r.id),
                md(r.player_name),
                r.jersey_number,
                md(r.position) if r.position else None,
                r.is_linked,
                raw_name=r.player_name,
            )
            for r in squad
        ),
        key=lambda m: (m.jersey_number is None, m.jersey_number or 0, m.raw_name),
    )
    teams = db.session.execute(
        select(Team.id, Team.name, Team.age_group)
        .where(Team.club_id == club.id, *([Team.id.in_(seen)] if seen is not None else []))
        .order_by(Team.created_at, Team.id)
    ).all()
    seasons = db.session.execute(
        select(Season.id, Season.name)
        .where(Season.club_id == club.id)
        .order_by(Season.start_date.desc())
    ).all()
    return ClubData(
        club_id=club.id,
        club_name=md(club.club_name),
        raw_club_name=club.club_name,
        teams=tuple(TeamInfo(str(t.id), t.name, t.age_group) for t in teams),
        seasons=tuple(SeasonInfo(str(r.id), r.name) for r in seasons),
        squad=tuple(members),
        matches=tuple(
            MatchInfo(
                str(r.id),
                md(r.opponent_name),
                r.match_date,
                r.our_score,
                r.opponent_score,
                r.result,
                r.our_penalty_score,
                r.opponent_penalty_score,
                raw_opponent=r.opponent_name,
                team_id=str(r.team_id),
                season_id=str(r.season_id),
            )
            for r in matches
        ),
    )


# ---------------------------------------------------------------- numbers


def fmt_count(value: float | None) -> str:
    return str(int(value or 0))


def fmt_rate(value: float | None) -> str:
    return "n/a" if value is None else f"{round_half_up(value, 1):.1f}%"


def fmt_xg(value: float | None) -> str:
    return f"{round_half_up(value or 0.0, 2):.2f}"


def fmt_minutes(value: float | None) -> str:
    return str(round_half_up(value or 0.0))


def fmt_per90(value: float | None) -> str:
    return "n/a" if value is None else f"{round_half_up(value, 2):.2f}"


def stat_value(stat: Stat, row: Any, *, per90: bool = False) -> float | None:
    """The statistic's value in a player row (season or match); None when it has none."""
    if stat.key == "overall_rating":
        ratings = [getattr(row, key, None) for key in RATING_KEYS]
        return None if any(r is None for r in ratings) else sum(ratings) / len(ratings)
    if stat.player is None or not hasattr(row, stat.player):
        return None
    if per90 and stat.has_per90:
        return getattr(row, f"{stat.player}_per90", None)
    return getattr(row, stat.player)


def fmt_stat(stat: Stat, value: float | None, *, per90: bool = False) -> str:
    if per90 and stat.has_per90:
        return fmt_per90(value)
    if stat.kind == RATE:
        return fmt_rate(value)
    if stat.kind == XG:
        return fmt_xg(value)
    if stat.kind == MINUTES:
        return fmt_minutes(value)
    if stat.kind == RATING:
        return "not rated yet" if value is None else str(round_half_up(value))
    return fmt_count(value)


def _parts(stat: Stat, row: Any) -> str:
    if stat.parts is None:
        return ""
    part, whole = (getattr(row, name, None) for name in stat.parts)
    return f" ({fmt_count(part)}/{fmt_count(whole)})" if whole else ""


def unavailable(stat: Stat, row: Any) -> str | None:
    """Why the files of the row's matches cannot give the statistic (None: they can): the
    match's, or for a season every one of his matches', data_source.missing_statistics."""
    missing = getattr(row, "missing_statistics", None) or {}
    return missing.get(stat.player) if stat.player else None


NOT_AVAILABLE = "not available from the file"


def cap(label: str) -> str:
    """Capitalise a label for the start of a line ("xG" stays "xG")."""
    return label if label[:1] == "x" else label[:1].upper() + label[1:]


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def join_names(names: Sequence[str], word: str = "and") -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def _name(member: SquadMember | None, fallback: str = "This player") -> str:
    return member.name if member else fallback


def _shirt(member: SquadMember) -> str:
    bits = [f"#{member.jersey_number}" if member.jersey_number is not None else None]
    bits.append(member.position)
    shown = [b for b in bits if b]
    return f" ({', '.join(shown)})" if shown else ""


def _score_line(data: ClubData, match: MatchInfo) -> str:
    line = (
        f"**{data.club_name} {match.our_score}-{match.opponent_score} {match.opponent_name}** "
        f"({match.match_date.isoformat()}): {RESULT_WORDS.get(match.result, match.result)}"
    )
    if match.our_penalty_score is not None and match.opponent_penalty_score is not None:
        won = "won" if match.our_penalty_score > match.opponent_penalty_score else "lost"
        line += f", {won} {match.our_penalty_score}-{match.opponent_penalty_score} on penalties"
    return line


# ---------------------------------------------------------------- match references


def resolve_match(
    ref: MatchRef | None, matches: Sequence[MatchInfo], context_match_id: str | None = None
) -> tuple[MatchInfo | None, str | None]:
    """The match a reference points at, or a sentence saying why there is none (pure)."""
    if not matches:
        return None, "No matches have been uploaded yet, so I have no match numbers."
    if ref is None:
        ref = MatchRef("context") if context_match_id else MatchRef("recent")
    if ref.kind == "context":
        found = next((m for m in matches if m.match_id == context_match_id), None)
        return (found, None) if found else (matches[-1], None)
    if ref.kind == "recent":
        if ref.offset >= len(matches):
            return None, f"You have played only {plural(len(matches), 'match', 'matches')}."
        return matches[-1 - ref.offset], None
    if ref.kind == "ordinal":
        if ref.offset > len(matches):
            return None, f"You have played only {plural(len(matches), 'match', 'matches')}."
        return matches[ref.offset - 1], None
    if ref.kind == "opponent":
        found = [m for m in matches if normalize(m.raw_opponent) == ref.opponent]
        if found:
            return found[-1], None
        return None, f"You have no match against **{md(ref.text)}**. {_match_names(matches)}"
    if ref.kind == "date":
        found = [
            m
            for m in matches
            if m.match_date in ref.dates
            or (ref.month_day and (m.match_date.month, m.match_date.day) == ref.month_day)
        ]
        if found:
            return found[-1], None
        return None, f"You have no match on **{md(ref.text)}**. {_match_names(matches)}"
    return matches[-1], None


def _match_names(matches: Sequence[MatchInfo]) -> str:
    names = ", ".join(m.label for m in reversed(matches[-6:]))
    return f"Your matches: {names}."


# ---------------------------------------------------------------- answers


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    intent: Intent
    match_id: str | None = None


def answer(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    """The Markdown reply to one intent (never another club's rows), about the team and season
    the question named."""
    handler = HANDLERS.get(intent.kind, _help)
    if intent.team is not None or intent.season is not None:
        try:
            asked = asked_scope(intent, data.club_id, data.teams, data.seasons)
        except ScopeProblem as problem:
            return Answer(str(problem), intent)
        data = replace(data, asked=asked, matches=_matches_of(data, asked))
    return handler(intent, data, context)


def _matches_of(data: ClubData, asked: AskedScope) -> tuple[MatchInfo, ...]:
    """The matches of the question's team (default: the first team) and season: "the last
    match" and "vs Croatia" are found among them."""
    scope = asked.scope
    team = str(scope.team) if isinstance(scope.team, uuid.UUID) else None
    team = team or (data.teams[0].team_id if data.teams else None)  # the first: the default
    season = str(scope.season) if scope.season is not None else None
    return tuple(
        m for m in data.matches if m.team_id == team and (season is None or m.season_id == season)
    )


def _help(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    opener = None
    if intent.names:
        words = join_names([f'"{md(name)}"' for name in intent.names])
        opener = f"I did not understand {words}: it is not a player of your squad or a "
        opener += "statistic I know. "
    return Answer(help_text(data, greeting=intent.greeting, opener=opener), intent)


def _cannot_show(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    opener = "I answer in words and numbers, so I cannot show maps, charts or videos. "
    stat = next(iter(_requested(intent)), None)
    if stat is not None and stat.player is not None:
        opener += (
            f'For {stat.label}, ask "who has the most {stat.label}?" or "{stat.label} in the '
            'last match". '
        )
    return Answer(help_text(data, opener=opener), intent)


def help_text(
    data: ClubData | None = None, *, greeting: bool = False, opener: str | None = None
) -> str:
    names = [m.name.split()[-1] for m in (data.squad if data else ())][:2]
    first = names[0] if names else "Messi"
    second = names[1] if len(names) > 1 else "Di María"
    if opener is None:
        opener = "Hi! " if greeting else "I did not understand that one. "
    return (
        f"{opener}I answer questions about your club's matches and players, for example:\n"
        '- "Who are our top scorers?"\n'
        f'- "How many goals has {first} scored?"\n'
        '- "How did we do in the last match?"\n'
        '- "Which players need improvement?"\n'
        f'- "Compare {first} and {second}"\n'
        '- "Analyze team statistics"\n\n'
        "I also know a player's numbers in one match, goals and shootouts of a match, the "
        'season record and form, the squad list and the leaders in any statistic ("who has '
        'the best pass completion?"). Follow-ups like "and his assists?" work too.'
    )


def _not_found(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    name = md(intent.names[0]) if intent.names else "that player"
    return Answer(
        f"**{name}** was not found in your squad ({plural(len(data.squad), 'player')}). "
        'Ask "show the squad" to see who is in it.',
        intent,
    )


def _ambiguous(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    listed = join_names([_name(data.member(pid)) for pid in intent.candidates], "or")
    return Answer(f"Which **{md(intent.names[0])}** do you mean: {listed}?", intent)


def _unknown_opponent(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    if not data.matches:
        return Answer("No matches have been uploaded yet.", intent)
    return Answer(
        f"You have no match against **{md(intent.names[0])}**. {_match_names(data.matches)}",
        intent,
    )


def _squad(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    if not data.squad:
        return Answer("Your squad is empty: upload a match or add players first.", intent)
    joined = [m for m in data.squad if m.is_linked]
    lines = [
        f"**Squad: {len(data.squad)} players**, {len(joined)} joined, "
        f"{plural(len(data.squad) - len(joined), 'invite')} pending."
    ]
    shown = joined if intent.joined_focus else list(data.squad)
    if intent.joined_focus:
        lines.append("Joined the app:" if joined else "Nobody has joined the app yet.")
    for member in shown:
        number = f"#{member.jersey_number}" if member.jersey_number is not None else "#-"
        status = "joined" if member.is_linked else "invite pending"
        position = f", {member.position}" if member.position else ""
        lines.append(f"- {number} {member.name}{position} ({status})")
    return Answer("\n".join(lines), intent)


def _season_rows(data: ClubData, player_ids: Sequence[str]) -> dict[str, PlayerSeasonStatistics]:
    ids = {uuid.UUID(pid) for pid in player_ids}
    rows = [row for pid, row in player_rows(data.scope).items() if pid in ids]
    return {str(row.player_id): row for row in _with_advanced(data, rows)}


def _with_advanced(data: ClubData, rows: Sequence[Any]) -> list[Any]:
    """Season rows of the question's team and season with their advanced metrics."""
    return with_advanced(data.club_id, rows, matches=data.scope.matches())


def _match_rows(
    data: ClubData, match: MatchInfo, player_ids: Sequence[str] | None = None
) -> list[PlayerMatchStatistics]:
    stmt = (
        select(PlayerMatchStatistics)
        .join(Match, Match.id == PlayerMatchStatistics.match_id)
        .where(
            Match.club_id == data.club_id,
            Match.id == uuid.UUID(match.match_id),
            PlayerMatchStatistics.player_id.is_not(None),
        )
    )
    if player_ids is not None:
        stmt = stmt.where(PlayerMatchStatistics.player_id.in_([uuid.UUID(p) for p in player_ids]))
    return with_advanced(data.club_id, db.session.scalars(stmt).all(), match.match_id)


def _requested(intent: Intent) -> list[Stat]:
    return [STATS_BY_KEY[key] for key in intent.stats if key in STATS_BY_KEY]


def _player_season(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    member = data.member(intent.players[0]) if intent.players else None
    if member is None:
        return _not_found(replace(intent, names=("that player",)), data, _context)
    row = _season_rows(data, [member.player_id]).get(member.player_id)
    if row is None or not row.matches_played:
        return Answer(f"**{member.name}** has not played a match yet {data.label}.", intent)
    stats = _requested(intent)
    matches = plural(row.matches_played, "match", "matches")
    played = f"{matches}, {fmt_minutes(row.minutes_played)} minutes"
    if stats:
        lines = [f"**{member.name}** {data.label} ({played}):"]
        for stat in stats:
            lines.append(_stat_line(stat, row, per90=intent.per90, season=True))
        return Answer("\n".join(lines), intent)
    return Answer(_player_card(member, row, heading=f"{_shirt(member)} {data.label}"), intent)


def _stat_line(stat: Stat, row: Any, *, per90: bool, season: bool) -> str:
    if stat.player is None:
        return f"- {cap(stat.label)}: only measured for the team"
    if stat.kind == APPEARANCES and not season:
        return f"- {cap(stat.label)}: {'started' if row.is_starter else 'came on'}"
    value = stat_value(stat, row, per90=per90)
    label = f"{stat.label} per 90" if per90 and stat.has_per90 else stat.label
    reason = unavailable(stat, row)
    if reason is not None:
        return f"- {cap(label)}: {NOT_AVAILABLE} ({reason})"
    if stat.kind == RATING and stat.key == "overall_rating" and value is not None:
        ratings = ", ".join(f"{key.split('_')[0]} {getattr(row, key)}" for key in RATING_KEYS)
        return f"- Overall rating: **{fmt_stat(stat, value)}** ({ratings})"
    if stat.kind == RATING and value is None:
        return f"- {cap(label)}: not rated yet (under {int(RATING_MIN_MINUTES)} minutes)"
    return f"- {cap(label)}: **{fmt_stat(stat, value, per90=per90)}**{_parts(stat, row)}"


def _player_card(member: SquadMember, row: Any, *, heading: str) -> str:
    lines = [f"**{member.name}**{heading}:"]
    if hasattr(row, "matches_played"):
        lines.append(
            f"- Matches: {row.matches_played} ({row.starts} starts), "
            f"minutes: {fmt_minutes(row.minutes_played)}"
        )
    else:
        lines.append(
            f"- Minutes: {fmt_minutes(row.minutes_played)} "
            f"({'started' if row.is_starter else 'came on'})"
        )
    missing = getattr(row, "missing_statistics", None) or {}

    def shown(column: str, text: Any) -> str:  # "n/a" where the files cannot give it
        return "n/a" if column in missing else str(text)

    lines += [
        f"- Goals: {row.goals}, assists: {shown('assists', row.assists)}, "
        f"xG: {shown('expected_goals', fmt_xg(row.expected_goals))}",
        f"- Shots: {row.total_shots} ({row.shots_on_target} on target), "
        f"key passes: {shown('key_passes', row.key_passes)}",
        f"- Passes: {row.passes_completed}/{row.total_passes} completed "
        f"({fmt_rate(row.pass_completion_rate)})",
        f"- Dribbles: {shown('total_dribbles', f'{row.successful_dribbles}/{row.total_dribbles}')}"
        f"{'' if 'total_dribbles' in missing else ' successful'}, tackles: "
        f"{shown('total_tackles', f'{row.total_tackles} ({row.tackles_won} won)')}, "
        f"interceptions: {shown('interceptions', row.interceptions)}",
    ]
    card = ("assists", "expected_goals", "key_passes", "total_dribbles", "total_tackles")
    reasons = dict.fromkeys(missing[c] for c in (*card, "interceptions") if c in missing)
    if reasons:
        lines.append(f"- n/a: {NOT_AVAILABLE} ({'; '.join(reasons)})")
    if getattr(row, "goalkeeper_saves", 0) and "goalkeeper_saves" not in missing:
        lines.append(f"- Saves: {row.goalkeeper_saves}")
    if hasattr(row, "attacking_rating"):
        if row.attacking_rating is None:
            lines.append(f"- Ratings: not rated yet (under {int(RATING_MIN_MINUTES)} minutes)")
        else:
            ratings = ", ".join(f"{key.split('_')[0]} {getattr(row, key)}" for key in RATING_KEYS)
            lines.append(f"- Ratings: {ratings}")
    return "\n".join(lines)


def _player_match(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    member = data.member(intent.players[0]) if intent.players else None
    if member is None:
        return _not_found(replace(intent, names=("that player",)), data, context)
    match, problem = resolve_match(intent.match_ref, data.matches, context.get("match_id"))
    if match is None:
        return Answer(problem or "I could not find that match.", intent)
    rows = _match_rows(data, match, [member.player_id])
    if not rows:
        return Answer(
            f"**{member.name}** did not play against {match.label}.", intent, match.match_id
        )
    row = rows[0]
    stats = _requested(intent)
    where = f"against {match.label}, {match.result} {match.our_score}-{match.opponent_score}"
    if stats:
        lines = [f"**{member.name}** {where} ({fmt_minutes(row.minutes_played)} minutes):"]
        lines += [_stat_line(stat, row, per90=False, season=False) for stat in stats]
        return Answer("\n".join(lines), intent, match.match_id)
    return Answer(_player_card(member, row, heading=f" {where}"), intent, match.match_id)


COMPARE_DEFAULT = (
    "minutes",
    "goals",
    "assists",
    "expected_goals",
    "shots",
    "key_passes",
    "pass_completion_rate",
    "dribbles",
    "tackles",
    "interceptions",
)


def _compare(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    members = [m for m in (data.member(pid) for pid in intent.players[:4]) if m is not None]
    match = None
    if intent.match_ref is not None:
        match, problem = resolve_match(intent.match_ref, data.matches, context.get("match_id"))
        if match is None:
            return Answer(problem or "I could not find that match.", intent)
        rows: dict[str, Any] = {
            str(r.player_id): r for r in _match_rows(data, match, [m.player_id for m in members])
        }
        scope = f"against {match.label}"
    else:
        rows = _season_rows(data, [m.player_id for m in members])
        scope = data.label
    keys = list(intent.stats) or list(COMPARE_DEFAULT)
    if "minutes" not in keys:
        keys.insert(0, "minutes")
    stats = [STATS_BY_KEY[k] for k in keys if k in STATS_BY_KEY]
    header = " vs ".join(f"**{m.name}**" for m in members)
    lines = [
        f"{header} ({scope}):",
        "",
        "| | " + " | ".join(m.name for m in members) + " |",
        "|---|" + "---|" * len(members),
    ]
    for stat in stats:
        per90 = intent.per90 and match is None
        cells = []
        for member in members:
            row = rows.get(member.player_id)
            if row is None:
                cells.append("did not play")
            elif stat.player is None or (stat.kind == APPEARANCES and match is not None):
                cells.append("-")
            elif unavailable(stat, row) is not None:
                cells.append("not available")
            else:
                value = stat_value(stat, row, per90=per90)
                cells.append(fmt_stat(stat, value, per90=per90) + _parts(stat, row))
        label = f"{stat.label} per 90" if per90 and stat.has_per90 else stat.label
        lines.append(f"| {cap(label)} | " + " | ".join(cells) + " |")
    return Answer("\n".join(lines), intent, match.match_id if match else None)


def _leaderboard(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    stat = next(iter(_requested(intent)), STATS_BY_KEY["goals"])
    if stat.player is None:
        return _club_season(replace(intent, kind=kinds.CLUB_SEASON), data, context)
    direction = intent.direction or "most"
    descending = direction == "most" or (direction == "best") != stat.lower_is_better
    if direction in ("fewest",):
        descending = False
    per90 = intent.per90 and stat.has_per90
    match = None
    if intent.match_ref is not None:
        match, problem = resolve_match(intent.match_ref, data.matches, context.get("match_id"))
        if match is None:
            return Answer(problem or "I could not find that match.", intent)
        rows: list[Any] = _match_rows(data, match)
        per90 = False
        scope = f"against {match.label}"
    else:
        played = [row for row in player_rows(data.scope).values() if row.matches_played > 0]
        rows = _with_advanced(data, played)
        scope = data.label
    # Rates, per-90 values, ratings and "fewest" lists only mean something with enough
    # minutes: otherwise a substitute with one pass in two minutes tops the chart.
    needs_minutes = match is None and (
        stat.kind in (RATE, RATING)
        or per90
        or (not descending and stat.kind != MINUTES and stat.kind != APPEARANCES)
    )
    min_minutes = RATING_MIN_MINUTES if needs_minutes else 0.0
    ranked = []
    reasons = {}
    for row in rows:
        if row.minutes_played < min_minutes:
            continue
        reason = unavailable(stat, row)
        if reason is not None:  # his files cannot give it: not ranked, never a 0
            reasons[reason] = True
            continue
        value = stat_value(stat, row, per90=per90)
        if value is None:
            continue
        member = data.member(str(row.player_id))
        if member is None:
            continue
        ranked.append((value, member, row))
    if descending and stat.kind in (COUNT, XG):
        ranked = [item for item in ranked if item[0] > 0]
    label = f"{stat.label} per 90" if per90 else stat.label
    rule = (
        f" Only players with at least {int(min_minutes)} minutes are ranked." if min_minutes else ""
    )
    if not ranked and reasons:
        return Answer(
            f"{cap(label)} {scope}: {NOT_AVAILABLE} ({'; '.join(reasons)}).",
            intent,
            match.match_id if match else None,
        )
    if not ranked:
        return Answer(
            f"No player has any {label} {scope} yet.{rule}",
            intent,
            match.match_id if match else None,
        )
    ranked.sort(key=lambda item: (-item[0] if descending else item[0], item[1].raw_name))
    best_value = ranked[0][0]
    leaders = [member.name for value, member, _row in ranked if value == best_value]
    if stat.kind in (RATE, RATING, XG) or per90:
        word = "highest" if descending else "lowest"
    else:
        word = "most" if descending else "fewest"
    lead_names = join_names([f"**{name}**" for name in leaders[:3]])
    verb = "has" if len(leaders) == 1 else "share"
    lines = [
        f"{lead_names} {verb} the {word} {label} {scope}: "
        f"**{fmt_stat(stat, best_value, per90=per90)}**.{rule}"
    ]
    for position, (value, member, row) in enumerate(ranked[:TOP_N], start=1):
        extra = _parts(stat, row)
        minutes = (
            f", {fmt_minutes(row.minutes_played)} min"
            if stat.kind != MINUTES and (min_minutes or per90)
            else ""
        )
        lines.append(
            f"{position}. {member.name}: {fmt_stat(stat, value, per90=per90)}{extra}{minutes}"
        )
    return Answer("\n".join(lines), intent, match.match_id if match else None)


TEAM_ROWS = (
    ("Possession", "possession_percentage", RATE),
    ("xG", "expected_goals", XG),
    ("Shots", "total_shots", COUNT),
    ("Shots on target", "shots_on_target", COUNT),
    ("Passes", "total_passes", COUNT),
    ("Pass completion", "pass_completion_rate", RATE),
    ("Tackles", "total_tackles", COUNT),
    ("Saves", "goalkeeper_saves", COUNT),
)


def _team_value(kind: str, value: Any) -> str:
    if kind == RATE:
        return fmt_rate(value)
    if kind == XG:
        return fmt_xg(value)
    return fmt_count(value)


def _goal_line(goal: Goal, data: ClubData, match: MatchInfo) -> str:
    team = data.club_name if goal.is_our_goal else match.opponent_name
    notes = []
    if goal.own_goal:
        notes.append("own goal")
    if goal.penalty:
        notes.append("penalty")
    if goal.assist_name:
        notes.append(f"assist {md(goal.assist_name)}")
    extra = f", {', '.join(notes)}" if notes else ""
    return f"- {_goal_minute(goal)} {_scorer(goal)} ({team}{extra})"


def _scorer(goal: Goal) -> str:
    return md(goal.scorer_name) if goal.scorer_name else "Unknown"


def _goal_minute(goal: Goal) -> str:
    """ "23'", "90+8'": as the match screens and football report it (the clock is stored)."""
    return reported_minute(goal.period, goal.minute)[1]


def _goals(match: MatchInfo) -> list[Goal]:
    return list(
        db.session.scalars(
            select(Goal).where(Goal.match_id == uuid.UUID(match.match_id)).order_by(Goal.sequence)
        ).all()
    )


def _match_summary(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    match, problem = resolve_match(intent.match_ref, data.matches, context.get("match_id"))
    if match is None:
        return Answer(problem or "I could not find that match.", intent)
    rows = db.session.execute(
        select(MatchStatistics, Match.data_source)
        .join(Match, Match.id == MatchStatistics.match_id)
        .where(Match.club_id == data.club_id, Match.id == uuid.UUID(match.match_id))
    ).all()
    teams = {row.is_our_team: row for row, _source in rows}
    missing = _missing_reasons(rows[0][1] if rows else None)
    goals = _goals(match)
    lines = [_score_line(data, match)]
    ours = [g for g in goals if g.is_our_goal]
    theirs = [g for g in goals if not g.is_our_goal]
    lines.append(f"- Our goals: {_scorer_list(ours)}")
    if theirs:
        lines.append(f"- {match.opponent_name} goals: {_scorer_list(theirs)}")
    our_row, their_row = teams.get(True), teams.get(False)
    asked = [s for s in _requested(intent) if s.team]
    if our_row is not None and their_row is not None:
        for stat in asked:
            if stat.team in missing:
                lines.append(f"- {cap(stat.label)}: {NOT_AVAILABLE} ({missing[stat.team]})")
                continue
            kind = _team_kind(stat)
            ours_value = _team_value(kind, getattr(our_row, stat.team))
            theirs_value = _team_value(kind, getattr(their_row, stat.team))
            lines.append(
                f"- {cap(stat.label)}: **{data.club_name} {ours_value}**, "
                f"{match.opponent_name} {theirs_value}"
            )
        lines += ["", f"| | {data.club_name} | {match.opponent_name} |", "|---|---|---|"]
        for label, column, kind in TEAM_ROWS:
            ours_cell, theirs_cell = (
                "n/a" if column in missing else _team_value(kind, getattr(row, column))
                for row in (our_row, their_row)
            )
            lines.append(f"| {label} | {ours_cell} | {theirs_cell} |")
    return Answer("\n".join(lines), intent, match.match_id)


def _missing_reasons(source: Any) -> dict[str, str]:
    """A match's statistics its file cannot give, with their reasons (its data_source): shown
    as not available, never as their stored 0."""
    items = (source or {}).get("missing_statistics") or ()
    return {item["statistic"]: item["reason"] for item in items}


def _team_kind(stat: Stat) -> str:
    return stat.kind if stat.kind in (RATE, XG) else COUNT


def _scorer_list(goals: Sequence[Goal]) -> str:
    if not goals:
        return "none"
    parts = []
    for goal in goals:
        notes = [n for n, on in (("pen", goal.penalty), ("own goal", goal.own_goal)) if on]
        note = f" ({', '.join(notes)})" if notes else ""
        parts.append(f"{_scorer(goal)} {_goal_minute(goal)}{note}")
    return ", ".join(parts)


def _match_goals(intent: Intent, data: ClubData, context: dict[str, Any]) -> Answer:
    match, problem = resolve_match(intent.match_ref, data.matches, context.get("match_id"))
    if match is None:
        return Answer(problem or "I could not find that match.", intent)
    goals = _goals(match)
    lines = [f"{_score_line(data, match)}. Goals:"]
    lines += [_goal_line(goal, data, match) for goal in goals] or ["- No goals."]
    if match.our_penalty_score is not None and match.opponent_penalty_score is not None:
        shooters = db.session.execute(
            select(PlayerMatchStatistics.player_name, PlayerMatchStatistics.is_our_team)
            .join(Match, Match.id == PlayerMatchStatistics.match_id)
            .where(
                Match.club_id == data.club_id,
                Match.id == uuid.UUID(match.match_id),
                PlayerMatchStatistics.penalty_shootout_goals > 0,
            )
            .order_by(PlayerMatchStatistics.player_name)
        ).all()
        ours = ", ".join(md(r.player_name) for r in shooters if r.is_our_team) or "none"
        theirs = ", ".join(md(r.player_name) for r in shooters if not r.is_our_team) or "none"
        lines.append(
            f"\nPenalty shootout: **{data.club_name} {match.our_penalty_score}-"
            f"{match.opponent_penalty_score} {match.opponent_name}**. "
            f"Scored for {data.club_name}: {ours}; for {match.opponent_name}: {theirs}."
        )
    return Answer("\n".join(lines), intent, match.match_id)


CLUB_AVERAGES = {
    "possession": ("avg_possession_percentage", RATE),
    "expected_goals": ("avg_expected_goals", XG),
    "shots": ("avg_total_shots", None),
    "shots_on_target": ("avg_shots_on_target", None),
    "passes": ("avg_total_passes", None),
    "passes_completed": ("avg_passes_completed", None),
    "pass_completion_rate": ("pass_completion_rate", RATE),
    "crosses": ("avg_crosses", None),
    "corners": ("avg_corners", None),
    "dribbles": ("avg_total_dribbles", None),
    "successful_dribbles": ("avg_successful_dribbles", None),
    "tackles": ("avg_total_tackles", None),
    "tackles_won": ("avg_tackles_won", None),
    "tackle_success_rate": ("tackle_success_rate", RATE),
    "interceptions": ("avg_interceptions", None),
    "interception_success_rate": ("interception_success_rate", RATE),
    "ball_recoveries": ("avg_ball_recoveries", None),
    "clearances": ("avg_clearances", None),
    "fouls": ("avg_fouls_committed", None),
    "yellow_cards": ("avg_yellow_cards", None),
    "red_cards": ("avg_red_cards", None),
    "saves": ("avg_goalkeeper_saves", None),
    "long_passes": ("avg_long_passes", None),
    "final_third_passes": ("avg_final_third_passes", None),
}


def _club_season(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    season = club_row(data.scope)
    name = data.asked.team_name if data.asked and data.asked.team_name else data.club_name
    if season is None or not season.matches_played:
        if data.asked is not None:
            return Answer(f"**{name}** has no matches {data.asked.label}.", intent)
        return Answer(
            f"**{data.club_name}** has no matches yet: upload one to see the season.", intent
        )
    played = season.matches_played
    none, having = _club_gaps(data, played)

    def average(column: str, kind: str | None) -> str:  # the screens' rule (_season_gaps)
        key = column.removeprefix("avg_")
        if key in none:
            return f"{NOT_AVAILABLE} ({none[key]})"
        value = getattr(season, column)
        if key in having and column.startswith("avg_") and value is not None:
            value = value * played / having[key]  # the mean over the matches that give it
        if kind == RATE:
            return fmt_rate(value)
        return fmt_xg(value) if kind == XG else _avg(value)

    heading = f"{name}, {data.asked.label}" if data.asked else f"{data.club_name}, season so far"
    lines = [
        f"**{heading}** ({plural(played, 'match', 'matches')}):",
        f"- Record: {season.wins} W, {season.draws} D, {season.losses} L",
        f"- Goals: {season.goals_scored} scored, {season.goals_conceded} conceded "
        f"({season.goals_scored - season.goals_conceded:+d}), clean sheets: "
        f"{season.clean_sheets}",
        f"- Form (most recent first): **{season.team_form or '-'}**",
        f"- Per match: possession {average('avg_possession_percentage', RATE)}, "
        f"xG {average('avg_expected_goals', XG)}, shots {_avg(season.avg_total_shots)}, "
        f"pass completion {fmt_rate(season.pass_completion_rate)}",
    ]
    for stat in _requested(intent):
        if stat.key in CLUB_AVERAGES and stat.key not in ("possession", "expected_goals"):
            column, kind = CLUB_AVERAGES[stat.key]
            shown = average(column, kind)
            suffix = "" if kind == RATE or shown.startswith(NOT_AVAILABLE) else " per match"
            lines.append(f"- {cap(stat.label)}: {shown}{suffix}")
    if any(m.our_penalty_score is not None for m in data.matches):
        lines.append("- A match decided on penalties counts as a draw.")
    return Answer("\n".join(lines), intent)


def _club_gaps(data: ClubData, played: int) -> tuple[dict[str, str], dict[str, int]]:
    """The question's matches: what none of their files gives (with the reason) and, of what
    some lack, how many give each (data_source.season_gaps, the screens' rule; one query)."""
    sources = db.session.scalars(
        select(Match.data_source).where(Match.club_id == data.club_id, *data.scope.matches())
    ).all()
    return season_gaps(sources, played)


def _avg(value: float | None) -> str:
    return "0.0" if value is None else f"{round_half_up(value, 1):.1f}"


def _match_list(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    if not data.matches:
        return Answer("No matches have been uploaded yet.", intent)
    lines = [f"**{plural(len(data.matches), 'match', 'matches')}**, most recent first:"]
    for match in reversed(data.matches):
        pens = (
            f" ({match.our_penalty_score}-{match.opponent_penalty_score} pens)"
            if match.our_penalty_score is not None
            else ""
        )
        lines.append(
            f"- {match.match_date.isoformat()}: {data.club_name} {match.our_score}-"
            f"{match.opponent_score} {match.opponent_name}{pens} ({match.result})"
        )
    return Answer("\n".join(lines), intent)


def _overall(row: PlayerSeasonStatistics) -> float | None:
    return stat_value(STATS_BY_KEY["overall_rating"], row)


def _ratings_low_first(row: PlayerSeasonStatistics) -> list[tuple[str, int]]:
    ratings = [(key.split("_")[0], getattr(row, key)) for key in RATING_KEYS]
    return sorted(ratings, key=lambda item: (item[1], RATING_KEYS.index(f"{item[0]}_rating")))


def _improvement_line(member: SquadMember, row: PlayerSeasonStatistics) -> str:
    low = _ratings_low_first(row)
    weakest = ", ".join(f"{area} {value}" for area, value in low[:2])
    return (
        f"{member.name}: overall {fmt_stat(STATS_BY_KEY['overall_rating'], _overall(row))}, "
        f"weakest {weakest} ({fmt_minutes(row.minutes_played)} min)"
    )


def _improvement(intent: Intent, data: ClubData, _context: dict[str, Any]) -> Answer:
    """The squad's lowest-rated players, or the named players' weakest ratings."""
    rule = f"at least {int(RATING_MIN_MINUTES)} minutes"
    if intent.players:
        rows = _season_rows(data, list(intent.players))
        lines = []
        for member in filter(None, (data.member(pid) for pid in intent.players)):
            row = rows.get(member.player_id)
            if row is None or _overall(row) is None:
                lines.append(f"**{member.name}** is not rated yet (ratings need {rule}).")
                continue
            low = _ratings_low_first(row)
            lines.append(
                f"**{member.name}** should work most on **{low[0][0]}** ({low[0][1]}/100), "
                f"then {low[1][0]} ({low[1][1]}); strongest: {low[-1][0]} ({low[-1][1]})."
            )
        return Answer("\n".join(lines), intent)
    rows = [
        row for row in player_rows(data.scope).values() if row.minutes_played >= RATING_MIN_MINUTES
    ]
    # Goalkeepers are left out: the attribute ratings measure outfield play.
    ranked = sorted(
        (
            (_overall(row), member, row)
            for row in rows
            if _overall(row) is not None
            and (member := data.member(str(row.player_id)))
            and not is_goalkeeper(member.position)
        ),
        key=lambda item: (item[0], item[1].raw_name),
    )
    if not ranked:
        return Answer(f"No player is rated yet: ratings need {rule} {data.label}.", intent)
    lines = [
        "**Players who need improvement most** (lowest overall rating, the mean of the five "
        f"attribute ratings 0-100; outfield players with {rule}):"
    ]
    lines += [
        f"{n}. {_improvement_line(member, row)}"
        for n, (_value, member, row) in enumerate(ranked[:TOP_N], start=1)
    ]
    lines.append(
        '\nAsk "what should <player> improve?" for one player, or generate a training plan '
        "from his player screen."
    )
    return Answer("\n".join(lines), intent)


HANDLERS = {
    kinds.HELP: _help,
    kinds.CANNOT_SHOW: _cannot_show,
    kinds.IMPROVEMENT: _improvement,
    kinds.NOT_FOUND: _not_found,
    kinds.AMBIGUOUS: _ambiguous,
    kinds.UNKNOWN_OPPONENT: _unknown_opponent,
    kinds.SQUAD: _squad,
    kinds.PLAYER_SEASON: _player_season,
    kinds.PLAYER_MATCH: _player_match,
    kinds.COMPARE: _compare,
    kinds.LEADERBOARD: _leaderboard,
    kinds.MATCH_SUMMARY: _match_summary,
    kinds.MATCH_GOALS: _match_goals,
    kinds.CLUB_SEASON: _club_season,
    kinds.MATCH_LIST: _match_list,
}
