"""The assistant's question parser and intent rules, without a database or an app."""

from __future__ import annotations

from datetime import date

import pytest

from spinta.assistant.intents import (
    AMBIGUOUS,
    CANNOT_SHOW,
    CLUB_SEASON,
    COMPARE,
    HELP,
    IMPROVEMENT,
    LEADERBOARD,
    MATCH_GOALS,
    MATCH_LIST,
    MATCH_SUMMARY,
    NOT_FOUND,
    PLAYER_MATCH,
    PLAYER_SEASON,
    SQUAD,
    UNKNOWN_OPPONENT,
    decide,
    next_context,
)
from spinta.assistant.parser import (
    MatchRef,
    SquadName,
    Vocabulary,
    normalize,
    parse_question,
)
from spinta.services.chat.answers import MatchInfo, resolve_match

SQUAD_NAMES = {
    "messi": ("Lionel Andrés Messi Cuccittini", 10),
    "dimaria": ("Ángel Fabián Di María Hernández", 11),
    "correa": ("Ángel Martín Correa", None),
    "alvarez": ("Julián Álvarez", 9),
    "enzo": ("Enzo Fernandez", 24),
    "lautaro": ("Lautaro Javier Martínez", 22),
    "lisandro": ("Lisandro Martínez", 25),
    "dibu": ("Damián Emiliano Martínez", 23),
    "otamendi": ("Nicolás Hernán Otamendi", 19),
    "macallister": ("Alexis Mac Allister", 20),
    "depaul": ("Rodrigo Javier De Paul", 7),
    "romero": ("Cristian Gabriel Romero", 13),
}
VOCABULARY = Vocabulary(
    players=tuple(SquadName(key, name, number) for key, (name, number) in SQUAD_NAMES.items()),
    opponents=("Mexico", "Netherlands", "Croatia", "Deportivo Alavés"),
    club_name="Argentina",
)


def parse(question: str):
    return parse_question(question, VOCABULARY)


def ask(question: str, context: dict | None = None):
    return decide(parse(question), context)


@pytest.mark.parametrize(
    ("question", "players"),
    [
        ("How many goals has Messi scored?", ["messi"]),
        ("how many goals has mesi scored", ["messi"]),
        ("Lionel Mesi", ["messi"]),
        ("LIONEL MESSI", ["messi"]),
        ("Leo's goals", ["messi"]),
        ("Messi's assists", ["messi"]),
        ("di maria", ["dimaria"]),
        ("Di María", ["dimaria"]),
        ("dimaria passes", ["dimaria"]),
        ("Angel Di Maria", ["dimaria"]),
        ("julian alvares", ["alvarez"]),
        ("Álvarez", ["alvarez"]),
        ("otamendy tackles", ["otamendi"]),
        ("Lautaro Martinez", ["lautaro"]),
        ("Emiliano Martinez saves", ["dibu"]),
        ("Dibu saves", ["dibu"]),
        ("Mac Allister passes", ["macallister"]),
        ("macallister passes", ["macallister"]),
        ("De Paul tackles", ["depaul"]),
        ("number 10 goals", ["messi"]),
        ("#24 minutes", ["enzo"]),
        ("compare Messi and Alvarez", ["messi", "alvarez"]),
        ("Messi vs Di Maria", ["messi", "dimaria"]),
        ("who has more tackles, Romero or Otamendi?", ["romero", "otamendi"]),
    ],
)
def test_player_names_are_found_despite_typos_accents_and_case(question, players):
    assert list(parse(question).players) == players


@pytest.mark.parametrize(
    ("question", "mention", "candidates"),
    [
        ("Martinez goals", "Martinez", {"lautaro", "lisandro", "dibu"}),
        ("martines", "martines", {"lautaro", "lisandro", "dibu"}),
        ("Angel's minutes", "Angel", {"dimaria", "correa"}),
    ],
)
def test_a_shared_name_is_ambiguous_not_guessed(question, mention, candidates):
    parsed = parse(question)
    assert parsed.players == ()
    assert parsed.ambiguous[0].mention == mention
    assert set(parsed.ambiguous[0].candidates) == candidates
    assert ask(question).kind == AMBIGUOUS


def test_common_words_never_match_a_player():
    for question in (
        "who has more tackles?",
        "what was the score?",
        "the last match",
        "who passed the most?",
        "show me the squad",
        "who scored the most goals this season?",
        "how many matches have we played",
    ):
        parsed = parse(question)
        assert parsed.players == () and parsed.ambiguous == (), question


@pytest.mark.parametrize(
    ("question", "ref"),
    [
        ("in the last match", MatchRef("recent", text="the last match")),
        ("the previous game", MatchRef("recent", text="the last match")),
        ("most recent game", MatchRef("recent", text="the last match")),
        ("the match before last", MatchRef("recent", offset=1, text="the match before last")),
        ("second to last game", MatchRef("recent", offset=1, text="the match before last")),
        ("the first match", MatchRef("ordinal", offset=1, text="match 1")),
        ("our 2nd game", MatchRef("ordinal", offset=2, text="match 2")),
        ("against Croatia", MatchRef("opponent", opponent="croatia", text="Croatia")),
        ("vs croatia", MatchRef("opponent", opponent="croatia", text="Croatia")),
        ("the Netherlands game", MatchRef("opponent", opponent="netherlands", text="Netherlands")),
        ("against holland", MatchRef("opponent", opponent="netherlands", text="Netherlands")),
        (
            "against the netherland",
            MatchRef("opponent", opponent="netherlands", text="Netherlands"),
        ),
        (
            "against Alaves",
            MatchRef("opponent", opponent="deportivo alaves", text="Deportivo Alavés"),
        ),
        ("on 2022-12-13", MatchRef("date", dates=(date(2022, 12, 13),), text="2022-12-13")),
        (
            "on 13 December 2022",
            MatchRef("date", dates=(date(2022, 12, 13),), text="December 13, 2022"),
        ),
        ("on December 13th", MatchRef("date", month_day=(12, 13), text="December 13")),
        ("on dec 9", MatchRef("date", month_day=(12, 9), text="December 9")),
        ("on 13/12/2022", MatchRef("date", dates=(date(2022, 12, 13),), text="13/12/2022")),
        ("in that match", MatchRef("context", text="that match")),
    ],
)
def test_match_references(question, ref):
    assert parse(question).match_ref == ref


def test_an_opponent_is_more_precise_than_last():
    assert parse("our last game against Croatia").match_ref.opponent == "croatia"


def test_a_number_after_last_is_the_form_not_one_match():
    assert parse("our last 5 matches").match_ref is None


def test_unknown_opponent_and_unknown_player():
    parsed = parse("How did Messi play against France?")
    assert parsed.unknown_opponent == "France" and parsed.players == ("messi",)
    assert ask("How did Messi play against France?").kind == UNKNOWN_OPPONENT
    intent = ask("How many goals has Neymar scored?")
    assert intent.kind == NOT_FOUND and intent.names == ("Neymar",)
    assert ask("How many goals has Julián Álvarez Junior scored?").players == ("alvarez",)
    assert ask("Kylian Mbappé assists").names == ("Kylian Mbappé",)


@pytest.mark.parametrize(
    ("question", "stats"),
    [
        ("Messi's xG", ("expected_goals",)),
        ("Messi expected goals", ("expected_goals",)),
        ("shots on target", ("shots_on_target",)),
        ("pass completion", ("pass_completion_rate",)),
        ("passing accuracy", ("pass_completion_rate",)),
        ("goals and assists", ("goals", "assists")),
        ("tackle success rate", ("tackle_success_rate",)),
        ("cards", ("yellow_cards", "red_cards")),
        ("own goals", ("own_goals",)),
        ("minutes played", ("minutes",)),
        ("appearances", ("matches_played",)),
    ],
)
def test_statistics_longest_phrase_first(question, stats):
    assert parse(question).stats == stats


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many goals has Messi scored?", PLAYER_SEASON),
        ("Tell me about Enzo", PLAYER_SEASON),
        ("How did Messi play in the last match?", PLAYER_MATCH),
        ("Alvarez against Croatia", PLAYER_MATCH),
        ("compare Messi and Alvarez", COMPARE),
        ("Who are our top scorers?", LEADERBOARD),
        ("who scored the most?", LEADERBOARD),
        ("who has the best pass completion?", LEADERBOARD),
        ("fewest minutes", LEADERBOARD),
        ("who is the best player?", LEADERBOARD),
        ("who had the most shots against Mexico?", LEADERBOARD),
        ("How did we do in the last match?", MATCH_SUMMARY),
        ("what was the score vs Croatia", MATCH_SUMMARY),
        ("who scored against the Netherlands?", MATCH_GOALS),
        ("penalty shootout", MATCH_GOALS),
        ("goals timeline of the first match", MATCH_GOALS),
        ("how is our season going?", CLUB_SEASON),
        ("what's our form?", CLUB_SEASON),
        ("how many clean sheets do we have", CLUB_SEASON),
        ("which matches have we played", MATCH_LIST),
        ("show the squad", SQUAD),
        ("who has joined the app?", SQUAD),
        ("hello", HELP),
        ("what can you do?", HELP),
        ("what's the weather like?", HELP),
        ("asdf", HELP),
    ],
)
def test_intents(question, kind):
    assert ask(question).kind == kind


def test_leaderboard_direction_and_default_statistic():
    intent = ask("who scored the most?")
    assert intent.stats == ("goals",) and intent.direction == "most"
    intent = ask("who has the worst pass completion?")
    assert intent.stats == ("pass_completion_rate",) and intent.direction == "worst"
    assert ask("who has the fewest fouls").direction == "fewest"
    assert ask("who is the best player?").stats == ("overall_rating",)
    assert ask("top scorers per 90").per90


def test_follow_ups_reuse_the_context():
    context: dict = {}

    def turn(question: str, match_id: str | None = None):
        nonlocal context
        intent = decide(parse(question), context)
        context = next_context(intent, match_id=match_id, context=context)
        return intent

    intent = turn("How many goals has Messi scored?")
    assert (intent.kind, intent.players, intent.stats) == (PLAYER_SEASON, ("messi",), ("goals",))
    intent = turn("and his assists?")
    assert (intent.kind, intent.players, intent.stats) == (PLAYER_SEASON, ("messi",), ("assists",))
    intent = turn("what about in the last match?", match_id="m3")
    assert (intent.kind, intent.players, intent.stats) == (PLAYER_MATCH, ("messi",), ("assists",))
    assert intent.match_ref.kind == "recent"
    intent = turn("and Di Maria?", match_id="m3")
    assert (intent.kind, intent.players, intent.stats) == (PLAYER_MATCH, ("dimaria",), ("assists",))
    assert intent.match_ref.kind == "context"
    intent = turn("and his season?")
    assert intent.kind == PLAYER_SEASON and intent.players == ("dimaria",)
    intent = turn("what about Neymar?")
    assert intent.kind == NOT_FOUND
    assert context["players"] == ["dimaria"]  # an unanswerable question keeps the context

    context = {}
    assert turn("who has the most tackles?").kind == LEADERBOARD
    intent = turn("and interceptions?")
    assert (intent.kind, intent.stats, intent.direction) == (
        LEADERBOARD,
        ("interceptions",),
        "most",
    )
    intent = turn("compare Messi and Enzo")
    assert intent.kind == COMPARE
    intent = turn("and their assists?")
    assert (intent.kind, intent.players, intent.stats) == (
        COMPARE,
        ("messi", "enzo"),
        ("assists",),
    )

    context = {}
    turn("who scored against the Netherlands?", match_id="m2")
    intent = turn("and against Croatia?", match_id="m3")
    assert intent.kind == MATCH_GOALS and intent.match_ref.opponent == "croatia"
    intent = turn("what was the possession?", match_id="m3")
    assert intent.kind == MATCH_SUMMARY and intent.match_ref.kind == "context"


def test_a_new_full_question_does_not_inherit():
    context = next_context(ask("How did Messi play in the last match?"), match_id="m3")
    intent = decide(parse("Who are our top scorers?"), context)
    assert intent.kind == LEADERBOARD and intent.match_ref is None
    intent = decide(parse("How many goals has Alvarez scored?"), context)
    assert intent.kind == PLAYER_SEASON and intent.players == ("alvarez",)


MATCHES = (
    MatchInfo("m1", "Mexico", date(2022, 11, 26), 2, 0, "W", None, None, raw_opponent="Mexico"),
    MatchInfo("m2", "Netherlands", date(2022, 12, 9), 2, 2, "D", 4, 3, raw_opponent="Netherlands"),
    MatchInfo("m3", "Croatia", date(2022, 12, 13), 3, 0, "W", None, None, raw_opponent="Croatia"),
)


@pytest.mark.parametrize(
    ("question", "match_id"),
    [
        ("the last match", "m3"),
        ("the match before last", "m2"),
        ("the first match", "m1"),
        ("against the Netherlands", "m2"),
        ("on 9 December", "m2"),
        ("on 2022-11-26", "m1"),
        ("on 26/11/2022", "m1"),
        ("on 11/26/2022", "m1"),
    ],
)
def test_resolve_match(question, match_id):
    found, problem = resolve_match(parse(question).match_ref, MATCHES)
    assert problem is None and found.match_id == match_id


def test_resolve_match_explains_what_is_missing():
    assert resolve_match(MatchRef("ordinal", offset=5), MATCHES)[1] == (
        "You have played only 3 matches."
    )
    found, problem = resolve_match(parse("the game on 1 January 2023").match_ref, MATCHES)
    assert found is None and "no match on **January 1, 2023**" in problem
    assert "Croatia (2022-12-13)" in problem
    assert resolve_match(None, ())[0] is None
    assert resolve_match(None, MATCHES)[0].match_id == "m3"
    assert resolve_match(MatchRef("context"), MATCHES, "m1")[0].match_id == "m1"


def test_normalize():
    assert normalize("  Ángel  Di MARÍA ") == "angel di maria"


def test_a_follow_up_without_anyone_to_talk_about_never_needs_a_player():
    context = next_context(ask("How many goals has Messi scored?"), match_id=None)
    intent = decide(parse("who are the worst tacklers"), context)
    assert intent.kind == LEADERBOARD and intent.stats == ("tackles",)
    intent = decide(parse("compare them"), {})
    assert intent.kind == HELP
    for question in ("and his assists?", "his xG", "and their goals?"):
        assert decide(parse(question), {}).kind == HELP, question
    assert decide(parse("what about in the last match?"), {}).kind == MATCH_SUMMARY


@pytest.mark.parametrize(
    ("question", "kind", "players"),
    [
        ("Which players need improvement?", IMPROVEMENT, ()),
        ("who needs to improve", IMPROVEMENT, ()),
        ("What should Messi improve?", IMPROVEMENT, ("messi",)),
        ("what should di maria work on", IMPROVEMENT, ("dimaria",)),
        ("show me a shot map", CANNOT_SHOW, ()),
        ("Messi heatmap", CANNOT_SHOW, ()),
        ("a chart of our goals", CANNOT_SHOW, ()),
        ("Analyze team statistics", CLUB_SEASON, ()),
    ],
)
def test_improvement_and_what_cannot_be_shown(question, kind, players):
    intent = ask(question)
    assert (intent.kind, intent.players) == (kind, players)


def test_a_lowercase_unknown_word_is_not_taken_for_a_name():
    intent = ask("how many goals has neymar scored")
    assert (intent.kind, intent.names) == (HELP, ("neymar",))
    assert ask("How many goals has Neymar scored?").kind == NOT_FOUND


def test_an_improvement_follow_up_stays_on_improvement():
    first = ask("What should Messi improve?")
    context = next_context(first, match_id=None)
    intent = decide(parse("and Di Maria?"), context)
    assert (intent.kind, intent.players) == (IMPROVEMENT, ("dimaria",))
