"""Decide what a parsed question asks for, using the conversation's context for follow-ups.

Pure: :func:`decide` maps a :class:`ParsedQuestion` and the session context (a JSON dict the
service stores) to an :class:`Intent`; :func:`next_context` is what to remember afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final

from spinta.assistant.parser import MatchRef, ParsedQuestion, SeasonRef, TeamRef

HELP: Final = "help"
SQUAD: Final = "squad"
PLAYER_SEASON: Final = "player_season"
PLAYER_MATCH: Final = "player_match"
COMPARE: Final = "compare"
LEADERBOARD: Final = "leaderboard"
MATCH_SUMMARY: Final = "match_summary"
MATCH_GOALS: Final = "match_goals"
CLUB_SEASON: Final = "club_season"
MATCH_LIST: Final = "match_list"
IMPROVEMENT: Final = "improvement"
CANNOT_SHOW: Final = "cannot_show"
NOT_FOUND: Final = "not_found"
AMBIGUOUS: Final = "ambiguous"
UNKNOWN_OPPONENT: Final = "unknown_opponent"

PLAYER_KINDS: Final = frozenset({PLAYER_SEASON, PLAYER_MATCH, COMPARE})
MATCH_KINDS: Final = frozenset({PLAYER_MATCH, MATCH_SUMMARY, MATCH_GOALS, COMPARE, LEADERBOARD})
# Topics that name something other than a player: they stop a follow-up from reusing one.
NON_PLAYER_TOPICS: Final = frozenset(
    {
        "squad",
        "joined",
        "scorers",
        "timeline",
        "shootout",
        "match",
        "season",
        "list_matches",
        "improve",
    }
)


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    players: tuple[str, ...] = ()
    match_ref: MatchRef | None = None
    stats: tuple[str, ...] = ()
    direction: str | None = None
    per90: bool = False
    names: tuple[str, ...] = ()  # unknown names, the ambiguous mention or the unknown opponent
    candidates: tuple[str, ...] = ()  # player ids of an ambiguous mention
    joined_focus: bool = False
    greeting: bool = False
    team: TeamRef | None = None  # None: the club's first team
    season: SeasonRef | None = None  # None: every season of the team (as before seasons)


def _context_match(context: dict[str, Any]) -> MatchRef | None:
    return MatchRef("context", text="that match") if context.get("match_id") else None


def _ranked_intent(parsed: ParsedQuestion, base: Intent) -> Intent | None:
    """A ranking of players ("who scored most?", "best players") or a match's scorers."""
    topics, stats, ref = parsed.topics, parsed.stats, parsed.match_ref
    if (
        parsed.direction in ("best", "worst")
        and not stats
        and {"player", "players"} & set(parsed.tokens)
    ):
        stats = ("overall_rating",)
    if "scorers" in topics and parsed.direction is None and ref is not None:
        return replace(base, kind=MATCH_GOALS)
    if "scorers" in topics and not stats:
        stats = ("goals",)
    if (parsed.direction is not None or "who" in topics) and stats:
        return replace(base, kind=LEADERBOARD, stats=stats, direction=parsed.direction or "most")
    if "scorers" in topics:
        return replace(base, kind=LEADERBOARD, stats=("goals",), direction="most")
    return None


def _own_intent(parsed: ParsedQuestion, players: tuple[str, ...]) -> Intent | None:
    """What the question asks on its own (None: it needs the conversation to make sense)."""
    topics = parsed.topics
    stats = parsed.stats
    ref = parsed.match_ref
    per90 = "per90" in topics
    base = Intent(HELP, players=players, match_ref=ref, stats=stats, per90=per90)

    if "help" in topics and not players and not stats and ref is None:
        return base
    if ("squad" in topics or "joined" in topics) and not players and not stats:
        return replace(base, kind=SQUAD, joined_focus="joined" in topics)
    if "improve" in topics and not stats:
        return replace(base, kind=IMPROVEMENT)
    if len(players) >= 2:
        return replace(base, kind=COMPARE)
    if len(players) == 1:
        return replace(base, kind=PLAYER_MATCH if ref is not None else PLAYER_SEASON)

    ranked = _ranked_intent(parsed, base)
    if ranked is not None:
        return ranked
    if "timeline" in topics or "shootout" in topics:
        return replace(base, kind=MATCH_GOALS)
    if ref is not None:
        return replace(base, kind=MATCH_SUMMARY)
    if "match" in topics and parsed.season is None and parsed.team is None:
        return replace(base, kind=MATCH_SUMMARY)
    if "list_matches" in topics:
        return replace(base, kind=MATCH_LIST)
    if topics & {"season", "club", "match"} or parsed.team is not None:
        return replace(base, kind=CLUB_SEASON)  # "how many goals did the U12s score?"
    return None


def _unknown_name_intent(parsed: ParsedQuestion, players: tuple[str, ...]) -> Intent | None:
    """A question about someone or something Spinta does not know (None: nothing unknown)."""
    topics = parsed.topics
    player_talk = bool(parsed.stats or parsed.followup or "player_talk" in topics or parsed.pronoun)
    if (
        not players
        and parsed.unknown_names
        and player_talk
        and not topics & {"club", "squad", "joined", "list_matches", "help", "season", "match"}
    ):
        # A capitalised word is most likely a name ("Neymar"); a lowercase one may be anything
        # ("a shot map"): say which word was not understood and what can be asked.
        if any(name[:1].isupper() for name in parsed.unknown_names):
            return Intent(NOT_FOUND, names=parsed.unknown_names)
        return Intent(HELP, names=parsed.unknown_names)
    if parsed.unknown_opponent and parsed.match_ref is None:
        return Intent(UNKNOWN_OPPONENT, names=(parsed.unknown_opponent,), players=players)
    return None


def _is_weak(own: Intent, parsed: ParsedQuestion, previous: str | None) -> bool:
    """A bare match reference or "our ..." continues the previous kind of answer."""
    topics = parsed.topics
    return (
        (
            own.kind == MATCH_SUMMARY
            and "match" not in topics
            and previous in (MATCH_GOALS, LEADERBOARD, MATCH_SUMMARY)
        )
        or (
            own.kind == CLUB_SEASON
            and "season" not in topics
            and previous in (MATCH_SUMMARY, MATCH_GOALS)
        )
        or (  # "and Di Maria?" after "what should Messi improve?"
            own.kind == PLAYER_SEASON
            and previous == IMPROVEMENT
            and not parsed.stats
            and parsed.match_ref is None
        )
    )


def _continued(
    previous: str, parsed: ParsedQuestion, players: tuple[str, ...], context: dict[str, Any]
) -> Intent:
    """A follow-up: the previous kind of answer, adjusted to what the question names."""
    topics = parsed.topics
    intent = Intent(
        previous,
        players=players,
        match_ref=parsed.match_ref,
        stats=parsed.stats,
        direction=parsed.direction or context.get("direction"),
        per90="per90" in topics or bool(context.get("per90")),
    )
    if players and previous not in PLAYER_KINDS | {IMPROVEMENT}:
        kind = COMPARE if len(players) > 1 else PLAYER_SEASON
        intent = replace(intent, kind=kind)
    if parsed.match_ref is not None and intent.kind == PLAYER_SEASON:
        intent = replace(intent, kind=PLAYER_MATCH)
    if parsed.match_ref is not None and intent.kind in (CLUB_SEASON, MATCH_LIST):
        intent = replace(intent, kind=MATCH_SUMMARY)
    if parsed.stats and intent.kind == MATCH_GOALS:
        intent = replace(intent, kind=MATCH_SUMMARY)  # "what was the possession?"
    return intent


def _kept_from_context(
    intent: Intent, previous: str, parsed: ParsedQuestion, context: dict[str, Any]
) -> Intent:
    """Follow-ups keep what the question does not replace (statistics, match, direction)."""
    topics = parsed.topics
    if not intent.stats and context.get("stats") and _same_family(previous, intent.kind):
        intent = replace(intent, stats=tuple(context["stats"]))
    keeps_match = intent.kind in MATCH_KINDS or (
        intent.kind == PLAYER_SEASON and previous == PLAYER_MATCH and "season" not in topics
    )
    if (
        intent.match_ref is None
        and keeps_match
        and previous in MATCH_KINDS
        and context.get("match_id")
    ):
        intent = replace(intent, match_ref=_context_match(context))
    if intent.kind == LEADERBOARD and intent.direction is None:
        intent = replace(intent, direction=context.get("direction") or "most")
    return intent


def _answered_at_once(parsed: ParsedQuestion) -> Intent | None:
    """A greeting, a request for a picture or an ambiguous name: answered without context."""
    if parsed.greeting_only:
        return Intent(HELP, greeting=True)
    if "visual" in parsed.topics:
        return Intent(CANNOT_SHOW, stats=parsed.stats)
    if parsed.ambiguous and not parsed.players:
        first = parsed.ambiguous[0]
        return Intent(AMBIGUOUS, names=(first.mention,), candidates=first.candidates)
    return None


def _named_or_remembered(
    parsed: ParsedQuestion, remembered: tuple[str, ...], *, previous: str | None, followup: bool
) -> tuple[str, ...]:
    """The players the question is about: those it names, else those the conversation had."""
    players, topics = parsed.players, parsed.topics
    reuse_player = (
        not players
        and remembered
        and (
            parsed.pronoun
            or parsed.plural_pronoun
            or (followup and previous in PLAYER_KINDS and not topics & NON_PLAYER_TOPICS)
        )
        and not (parsed.unknown_names and not parsed.pronoun)
    )
    if reuse_player:
        players = remembered if parsed.plural_pronoun or previous == COMPARE else remembered[:1]
        if parsed.plural_pronoun and len(players) < 2:
            players = remembered
    return players


def decide(parsed: ParsedQuestion, context: dict[str, Any] | None = None) -> Intent:
    """The answer to give, about the team and season the question names; a follow-up ("and
    Messi?") keeps the ones the conversation was about."""
    context = context or {}
    intent = _decide(parsed, context)
    team, season = parsed.team, parsed.season
    if team is None and season is None and parsed.followup:
        team = TeamRef(**context["team"]) if context.get("team") else None
        season = SeasonRef(**context["season"]) if context.get("season") else None
    return replace(intent, team=team, season=season)


def _decide(parsed: ParsedQuestion, context: dict[str, Any]) -> Intent:
    """The question's own intent, completed from the context if needed."""
    previous = context.get("kind")
    remembered = tuple(context.get("players") or ())
    topics = parsed.topics
    players = parsed.players

    early = _answered_at_once(parsed)
    if early is not None:
        return early

    # A short question that asks nothing on its own ("assists?") continues the conversation.
    followup = parsed.followup or (
        previous is not None
        and len(parsed.tokens) <= 5
        and not players
        and _own_intent(parsed, players) is None
        and bool(parsed.stats or parsed.match_ref or parsed.direction or parsed.pronoun)
    )
    players = _named_or_remembered(parsed, remembered, previous=previous, followup=followup)
    unknown = _unknown_name_intent(parsed, players)
    if unknown is not None:
        return unknown

    own = _own_intent(parsed, players)
    weak = own is not None and _is_weak(own, parsed, previous)
    if own is not None and not (followup and weak):
        intent = own
    elif previous is not None and followup:
        intent = _continued(previous, parsed, players, context)
    elif own is not None:
        intent = own
    elif parsed.unknown_names and all(name[:1].isupper() for name in parsed.unknown_names):
        # "Neymar?" on its own: capitalised unknown words are most likely a name.
        return Intent(NOT_FOUND, names=parsed.unknown_names)
    elif parsed.pronoun or parsed.plural_pronoun:
        return Intent(HELP)  # "his assists?" with nobody named before
    elif parsed.stats:
        intent = Intent(LEADERBOARD, stats=parsed.stats, direction=parsed.direction or "most")
    else:
        return Intent(HELP)

    if followup and previous is not None:
        intent = _kept_from_context(intent, previous, parsed, context)
    if intent.kind in PLAYER_KINDS and not intent.players:
        # Nobody to talk about: a ranking when the question ranks, else the help reply.
        if intent.stats and (parsed.direction or "who" in topics):
            intent = replace(intent, kind=LEADERBOARD, direction=parsed.direction or "most")
        else:
            return Intent(HELP)
    if intent.kind == COMPARE and len(intent.players) == 1:
        intent = replace(intent, kind=PLAYER_MATCH if intent.match_ref else PLAYER_SEASON)
    if intent.kind == PLAYER_SEASON and intent.match_ref is not None:
        intent = replace(intent, kind=PLAYER_MATCH)
    if intent.kind == LEADERBOARD and not intent.stats:
        intent = replace(intent, stats=("goals",))
    return intent


def _same_family(previous: str, kind: str) -> bool:
    player_like = PLAYER_KINDS | {LEADERBOARD}
    return (previous in player_like and kind in player_like) or previous == kind


def next_context(
    intent: Intent, *, match_id: str | None, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What to remember after answering: the subject of this answer (else the previous one)."""
    context = dict(context or {})
    if intent.kind in (HELP, NOT_FOUND, AMBIGUOUS, UNKNOWN_OPPONENT, CANNOT_SHOW):
        return context
    remembered: dict[str, Any] = {"kind": intent.kind}
    remembered["players"] = list(intent.players) or (
        context.get("players", []) if intent.kind not in PLAYER_KINDS else []
    )
    remembered["match_id"] = match_id or (
        context.get("match_id") if intent.kind not in MATCH_KINDS else None
    )
    remembered["stats"] = list(intent.stats)
    remembered["direction"] = intent.direction
    remembered["per90"] = intent.per90
    if intent.team is not None:
        remembered["team"] = {"team_id": intent.team.team_id, "text": intent.team.text}
    if intent.season is not None:
        remembered["season"] = {
            "kind": intent.season.kind,
            "season_id": intent.season.season_id,
            "text": intent.season.text,
        }
    return remembered
