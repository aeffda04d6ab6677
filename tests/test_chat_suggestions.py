"""The app's four quick suggestions get real answers, requests the assistant cannot serve get
the list of what it can do (issue 15, item 19), and text users wrote is shown as text inside
the Markdown answers (item 15)."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import select, update

from spinta.analytics import RATING_MIN_MINUTES, round_half_up
from spinta.assistant.markdown import md
from spinta.assistant.stats import RATING_KEYS
from spinta.extensions import db
from spinta.models import Club, Match, Player, PlayerSeasonStatistics
from spinta.plans.generator import is_goalkeeper
from tests.factories import PASSWORD
from tests.test_chat import (
    ALVAREZ,
    CROATIA,
    DI_MARIA,
    HELP_MARK,
    MESSI,
    Chat,
    argentina,
    rate,
    report,
    season_players,
)

# The suggestions exactly as the app sends them.
SUGGESTIONS = (
    "Who are the top scorers?",
    "How did we perform last match?",
    "Which players need improvement?",
    "Analyze team statistics",
)
# A renderer as the app's (CommonMark, tables, strikethrough, raw HTML allowed).
RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def lowest_rated_outfield(app, club_id: str) -> tuple[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(PlayerSeasonStatistics, Player.player_name, Player.position)
            .join(Player, Player.id == PlayerSeasonStatistics.player_id)
            .where(
                Player.club_id == uuid.UUID(club_id),
                PlayerSeasonStatistics.minutes_played >= RATING_MIN_MINUTES,
            )
        ).all()
        overall = sorted(
            (sum(getattr(row, key) for key in RATING_KEYS) / len(RATING_KEYS), name)
            for row, name, position in rows
            if not is_goalkeeper(position)
        )
        db.session.remove()
    value, name = overall[0]
    return name, round_half_up(value)


def test_the_four_quick_suggestions_get_real_answers(client, app):
    coach, _uploads = argentina(client)
    players = season_players()
    answers = {question: Chat(client, coach).ask(question) for question in SUGGESTIONS}
    assert not any(HELP_MARK in answer for answer in answers.values()), answers

    top = max(players, key=lambda name: players[name]["goals"])
    assert top == MESSI
    scorers = answers["Who are the top scorers?"]
    assert f"1. {MESSI}: {players[MESSI]['goals']}" in scorers
    assert f"2. {ALVAREZ}: {players[ALVAREZ]['goals']}" in scorers

    last = answers["How did we perform last match?"]
    ours = report(CROATIA).our_team_stats
    assert "**Argentina 3-0 Croatia** (2022-12-13): Win" in last
    assert f"| Possession | {rate(ours.possession_percentage, 100)} |" in last

    improve = answers["Which players need improvement?"]
    name, overall = lowest_rated_outfield(app, coach.club_id)
    assert "**Players who need improvement most**" in improve
    assert f"1. {name}: overall {overall}, weakest " in improve
    assert "Damián Emiliano Martínez" not in improve  # the goalkeeper is not ranked

    team = answers["Analyze team statistics"]
    assert "**Argentina, season so far** (3 matches):" in team
    assert "- Record: 2 W, 1 D, 0 L" in team and "- Goals: 7 scored, 2 conceded (+5)" in team


def test_one_players_improvement(client, app):
    coach, _uploads = argentina(client)
    answer = Chat(client, coach).ask("What should Messi improve?")
    with app.app_context():
        row = db.session.scalar(
            select(PlayerSeasonStatistics)
            .join(Player, Player.id == PlayerSeasonStatistics.player_id)
            .where(Player.club_id == uuid.UUID(coach.club_id), Player.external_id == 5503)
        )
        weakest = min(RATING_KEYS, key=lambda key: (getattr(row, key), RATING_KEYS.index(key)))
        value = getattr(row, weakest)
        db.session.remove()
    assert f"**{MESSI}** should work most on **{weakest.split('_')[0]}** ({value}/100)" in answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("show me a shot map", ["cannot show maps", 'For shots, ask "who has the most shots?"']),
        ("Show me the heatmap of Messi", ["cannot show maps"]),
        ("pass network of the last match", ["cannot show maps"]),
        ("how many goals has neymar scored", ['I did not understand "neymar"']),
        ("asdf qwerty", ["I did not understand that one."]),
    ],
)
def test_what_it_cannot_answer_gets_the_list_of_what_it_can(client, app, question, expected):
    coach, _uploads = argentina(client)
    answer = Chat(client, coach).ask(question)
    assert "not found in your squad" not in answer
    for part in (*expected, HELP_MARK, *(f'"{s}"' for s in SUGGESTIONS[2:])):
        assert part in answer, (part, answer)


# ---------------------------------------------------------------- item 15: escaping

HOSTILE = "[x](https://evil) ![y](https://evil/i.png) <b>Leo</b> **loud** | pipe_ & www.evil.io"


def visible(markdown: str) -> str:
    """The text a reader sees once the Markdown is rendered (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", RENDERER.render(markdown)))


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "Ángel Fabián Di María Hernández",
        "Jean-Pierre O'Neil Jr., 1. FC Köln",
        "`code` ~~gone~~ # heading > quote <img src=x onerror=alert(1)> &amp; \\ {curly}",
        "mail@evil.io http://evil.io ftp://evil.io",
    ],
)
def test_md_renders_as_the_text_itself(text):
    rendered = RENDERER.renderInline(md(text))
    assert not re.search(r"<(a|img|b|strong|em|code|del|script)\b", rendered), rendered
    assert visible(md(text)).strip() == text


def test_accented_names_are_left_readable():
    for name in (MESSI, DI_MARIA, ALVAREZ, "Nicolás Hernán Otamendi", "Müller-Wohlfahrt"):
        assert md(name) == name


def test_user_text_inside_chat_answers_is_shown_as_text(client, app):
    coach, uploads = argentina(client)
    messi = next(p for p in uploads[0]["details"]["our_players"] if p["player_name"] == MESSI)
    signup = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": messi["invite_code"],
            "player_name": HOSTILE,  # a player picks his own name
            "email": f"leo-{uuid.uuid4().hex[:6]}@example.com",
            "password": PASSWORD,
            "birth_date": "2008-06-24",
            "height": 170,
        },
    )
    assert signup.status_code == 201, signup.get_json()
    hostile_opponent = "<b>Rivals</b> [click](https://evil)"
    hostile_club = "**Club** <i>FC</i> [c](https://evil) | x"
    # A coach types the opponent at upload and his club's name at signup (set here directly:
    # the files' teams must match the club to upload them).
    with app.app_context():
        db.session.execute(
            update(Match)
            .where(Match.club_id == uuid.UUID(coach.club_id), Match.opponent_name == "Croatia")
            .values(opponent_name=hostile_opponent)
        )
        db.session.execute(
            update(Club).where(Club.id == uuid.UUID(coach.club_id)).values(club_name=hostile_club)
        )
        db.session.commit()
        db.session.remove()

    questions = [
        "show the squad",
        "Who are the top scorers?",
        "How many goals has Leo scored?",
        "compare Leo and Di Maria",
        "How did we perform last match?",
        "who scored in the last match?",
        "Which players need improvement?",
        "What should Leo improve?",
        "Analyze team statistics",
        "which matches have we played?",
        "How many goals has [x](https://evil) Neymar scored?",
        "Who scored against <b>Nobody</b>?",
        "help",
    ]
    chat = Chat(client, coach)
    for question in questions:
        answer = chat.ask(question)
        rendered = RENDERER.render(answer)
        assert not re.search(r"<(a|img|b|i|script)\b", rendered), (question, answer)
        assert "](https://evil" not in answer.replace("\\]\\(", ""), (question, answer)
    # The names are still there, shown as typed.
    squad = chat.ask("show the squad")
    assert HOSTILE in visible(squad) and DI_MARIA in squad
    assert hostile_club in visible(chat.ask("Analyze team statistics"))
    assert hostile_opponent in visible(chat.ask("How did we perform last match?"))
