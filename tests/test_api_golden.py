"""The golden set: the complete API answers of every read screen, as the clients see them.

A seeded world (the club "Argentina" with the three World Cup files, "Barcelona" with the
Barcelona-Alavés file, linked players, a bench player, training plans) is built through the real
API, then every read screen of the coach and of the player, every list with its paging, the
upload answers, the plan generator's suggestion and the assistant's answers to a table of
questions are requested. Each answer is stored under ``tests/api_golden/`` as its status, the
headers a client relies on and the body bytes, and compared byte for byte.

Regenerate (only when a change of an answer is intended and justified):
``SPINTA_REGEN_API_GOLDEN=1 .venv/bin/python -m pytest tests/test_api_golden.py``.

Normalised, because they are random or belong to the moment of the run, never to the code:

- UUIDs (row ids: clubs, users, players, matches, plans, chat sessions; all ``uuid4``) and
  invite codes (``secrets``): each distinct value becomes ``<uuid:N>`` / ``<invite:N>``,
  numbered in order of first appearance, so that the same id in two places must stay the same;
- access tokens (``<token>``) and ISO timestamps of the run (``<timestamp>``: created, linked,
  asked, answered, completed at), and a creation date without a time (``"created_at":
  "<date>"``: a training plan in the coach's player detail), which changes with the day of the run;
- a person's age label (``"age": "<age>"``): it follows the calendar of the run (the birth
  dates themselves are fixed and stay in the bodies).

Nothing else is touched: numbers, key order, float formatting, list order and headers are
compared as sent. The set passes unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from spinta.extensions import db, limiter
from spinta.models import Player
from spinta.screen_cache import screen_cache
from tests.conftest import statsbomb_file, truncate_all

GOLDEN_DIR = Path(__file__).parent / "api_golden"
REGEN = os.environ.get("SPINTA_REGEN_API_GOLDEN") == "1"
PASSWORD = "correct-horse-9"

MEXICO = "argentina-mexico-2022-11-26.json"
NETHERLANDS = "netherlands-argentina-2022-12-09.json"
CROATIA = "argentina-croatia-2022-12-13.json"
BARCELONA = "barcelona-alaves-2018-08-18.json"
DATES = {
    MEXICO: "2022-11-26",
    NETHERLANDS: "2022-12-09",
    CROATIA: "2022-12-13",
    BARCELONA: "2018-08-18",
}
MESSI = 5503  # StatsBomb player id (plays in all four files)
DI_MARIA = 6909
HEADERS = ("Content-Type", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options")

# The assistant's question table: asked one by one in fresh conversations, then a conversation
# of follow-ups in one session.
QUESTIONS = (
    "How many goals has Messi scored?",
    "how many goals has mesi scored this season",
    "Lionel Mesi assists",
    "What is Leo's xG?",
    "Di María assists",
    "di maria minutes",
    "How many shots did Julian Alvarez take?",
    "Álvarez pass completion",
    "otamendy tackles",
    "How many matches has Enzo Fernandez played?",
    "Lautaro Martinez minutes",
    "number 10 goals",
    "Tell me about Lionel Messi",
    "messi's goals per 90",
    "Who are our top scorers?",
    "who has the most assists",
    "Who has the best pass completion?",
    "most tackles",
    "who played the fewest minutes?",
    "who had the most shots against mexico?",
    "who has the most interceptions?",
    "most dribbles per 90",
    "who made the most key passes?",
    "How did we do in the last match?",
    "what was the score vs Croatia",
    "previous game",
    "the match before last",
    "result of the first match",
    "the game on 9 December",
    "what happened on 2022-11-26?",
    "Who scored against the Netherlands?",
    "penalty shootout vs holland",
    "which matches have we played?",
    "How did Messi play against Croatia?",
    "Enzo in the first match",
    "Di Maria against Croatia",
    "compare Messi and Di Maria",
    "Messi vs Alvarez goals",
    "How is our season going?",
    "what's our form?",
    "How many clean sheets do we have?",
    "Show me the squad",
    "Martinez goals",
    "How many goals has Neymar scored?",
    "How did Messi play against France?",
    "What's the weather in Paris?",
    "what was our possession against the Netherlands?",
    "how many yellow cards did we get?",
    "Messi's xG against Mexico",
)
FOLLOW_UPS = (
    "How many goals has Messi scored?",
    "and his assists?",
    "what about Di Maria?",
    "against Croatia?",
    "and Alvarez",
    "compare them",
)


@dataclass
class Account:
    user_id: str
    token: str
    club_id: str | None = None
    player_id: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Recorder:
    """The answers in request order, as (name, text) pairs."""

    answers: list[tuple[str, str]] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)

    def record(self, name: str, method: str, path: str, response) -> None:
        lines = [f"{method} {self.normalise(path)}", f"status: {response.status_code}"]
        lines += [f"{h}: {response.headers.get(h)}" for h in HEADERS]
        body = self.normalise(response.get_data(as_text=True))
        self.answers.append((name, "\n".join(lines) + "\n\n" + body + "\n"))

    def normalise(self, text: str) -> str:
        text = _TOKEN.sub("<token>", text)
        text = _TIMESTAMP.sub("<timestamp>", text)
        text = _CREATED_DATE.sub(r'\1"<date>"', text)
        text = _AGE.sub(r'\1"<age>"', text)
        text = _UUID.sub(lambda m: _label(self.ids, m.group(0).lower(), "uuid"), text)
        return _INVITE.sub(lambda m: _label(self.codes, m.group(0), "invite"), text)


def _label(seen: dict[str, str], value: str, kind: str) -> str:
    if value not in seen:
        seen[value] = f"<{kind}:{len(seen) + 1}>"
    return seen[value]


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TOKEN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
_CREATED_DATE = re.compile(r'("created_at":\s*)"\d{4}-\d{2}-\d{2}"')
_AGE = re.compile(r'("age":\s*)"\d+ years?"')
# generate_invite_code: a name prefix, a dash and random letters/digits.
_INVITE = re.compile(r'(?<="invite_code":")[^"]+(?=")')


# ---------------------------------------------------------------- the world and the requests


def _upload(client, rec: Recorder, coach: Account, name: str) -> str:
    response = client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data={
            "match_date": DATES[name],
            "events_file": (io.BytesIO(statsbomb_file(name).read_bytes()), "events.json"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    rec.record(f"upload-{name.removesuffix('.json')}", "POST", "/api/coach/matches", response)
    return response.get_json()["match_id"]


def _coach(client, club_name: str, n: int) -> Account:
    response = client.post(
        "/api/auth/register/coach",
        json={
            "email": f"golden-coach{n}@example.com",
            "password": PASSWORD,
            "full_name": f"Golden Coach{n}",
            "club": {"club_name": club_name, "country": "Argentina", "stadium": "Golden Arena"},
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(body["user"]["user_id"], body["token"], body["user"]["club"]["club_id"])


def _link(client, app, club_id: str, statsbomb_id: int | None, n: int, **extra) -> Account:
    """Sign up a squad entry (an uploaded player, or a new bench entry) with its invite code."""
    from spinta.services.invites import generate_invite_code

    with app.app_context():
        if statsbomb_id is None:
            player = Player(
                club_id=uuid.UUID(club_id),
                player_name="Benchy Reserve",
                jersey_number=33,
                position="Goalkeeper",
                invite_code=generate_invite_code("Benchy Reserve"),
            )
            db.session.add(player)
            db.session.commit()
        else:
            player = db.session.scalar(
                select(Player).where(
                    Player.external_id == statsbomb_id,
                    Player.club_id == uuid.UUID(club_id),
                )
            )
        code, name, player_id = player.invite_code, player.player_name, str(player.id)
        db.session.remove()
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": code,
            "player_name": name,
            "email": f"golden-player{n}@example.com",
            "password": PASSWORD,
            "birth_date": "1987-06-24",
            "height": 170,
            **extra,
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(body["user"]["user_id"], body["token"], club_id, player_id)


def _get(client, rec: Recorder, name: str, account: Account, path: str, **query) -> dict:
    response = client.get(path, headers=account.headers, query_string=query)
    shown = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    rec.record(name, "GET", shown, response)
    assert response.status_code == 200, (name, response.get_json())
    return response.get_json()


def _post(client, rec: Recorder, name: str, account: Account, path: str, body: dict) -> dict:
    response = client.post(path, headers=account.headers, json=body)
    rec.record(name, "POST", path, response)
    assert response.status_code in (200, 201), (name, response.get_json())
    return response.get_json()


def _plans(client, rec: Recorder, coach: Account, player: Account) -> list[str]:
    plan_ids = []
    for n, exercises in enumerate((("Rondo", "Sprints"), ("Finishing",)), start=1):
        created = _post(
            client,
            rec,
            f"plan-create-{n}",
            coach,
            "/api/coach/training-plans",
            {
                "player_id": player.player_id,
                "plan_name": f"Golden plan {n}",
                "duration": "2 weeks",
                "coach_notes": "Work on the weak foot",
                "exercises": [
                    {"exercise_name": e, "description": f"{e} text", "sets": 3, "reps": "10"}
                    for e in exercises
                ],
            },
        )
        plan_ids.append(created["plan_id"])
    return plan_ids


def _coach_screens(client, rec: Recorder, coach: Account, tag: str, plan_ids) -> None:
    base = "/api/coach"
    _get(client, rec, f"{tag}-profile", coach, f"{base}/profile")
    _get(client, rec, f"{tag}-dashboard", coach, f"{base}/dashboard")
    for limit, offset in ((1, 0), (1, 1), (2, 2), (5, 10)):
        _get(
            client,
            rec,
            f"{tag}-dashboard-page-{limit}-{offset}",
            coach,
            f"{base}/dashboard",
            matches_limit=limit,
            matches_offset=offset,
        )
    matches = _get(client, rec, f"{tag}-matches", coach, f"{base}/matches")
    for limit, offset in ((1, 0), (2, 1), (3, 3)):
        _get(
            client,
            rec,
            f"{tag}-matches-page-{limit}-{offset}",
            coach,
            f"{base}/matches",
            limit=limit,
            offset=offset,
        )
    for n, match in enumerate(matches["matches"]):
        _get(client, rec, f"{tag}-match-{n}", coach, f"{base}/matches/{match['match_id']}")
    squad = _get(client, rec, f"{tag}-players", coach, f"{base}/players", limit=100)
    for limit, offset in ((5, 0), (5, 5), (10, 20), (3, 100)):
        _get(
            client,
            rec,
            f"{tag}-players-page-{limit}-{offset}",
            coach,
            f"{base}/players",
            limit=limit,
            offset=offset,
        )
    for n, player in enumerate(squad["players"]):
        detail = _get(
            client, rec, f"{tag}-player-{n}", coach, f"{base}/players/{player['player_id']}"
        )
        for m, match in enumerate(matches["matches"]):
            response = client.get(
                f"{base}/players/{player['player_id']}/matches/{match['match_id']}",
                headers=coach.headers,
            )
            if response.status_code == 200 or n < 3:  # a few "did not play" 404s as well
                rec.record(
                    f"{tag}-player-{n}-match-{m}",
                    "GET",
                    f"{base}/players/{player['player_id']}/matches/{match['match_id']}",
                    response,
                )
        if n == 0:
            for limit, offset in ((1, 0), (1, 1), (2, 1)):
                _get(
                    client,
                    rec,
                    f"{tag}-player-0-page-{limit}-{offset}",
                    coach,
                    f"{base}/players/{player['player_id']}",
                    limit=limit,
                    offset=offset,
                )
        del detail
    for n, plan_id in enumerate(plan_ids):
        _get(client, rec, f"{tag}-plan-{n}", coach, f"{base}/training-plans/{plan_id}")


def _player_screens(client, rec: Recorder, player: Account, tag: str) -> None:
    base = "/api/player"
    _get(client, rec, f"{tag}-profile", player, f"{base}/profile")
    _get(client, rec, f"{tag}-dashboard", player, f"{base}/dashboard")
    matches = _get(client, rec, f"{tag}-matches", player, f"{base}/matches")
    for limit, offset in ((1, 0), (1, 1), (2, 2), (5, 10)):
        _get(
            client,
            rec,
            f"{tag}-matches-page-{limit}-{offset}",
            player,
            f"{base}/matches",
            limit=limit,
            offset=offset,
        )
    for n, match in enumerate(matches["matches"]):
        _get(client, rec, f"{tag}-match-{n}", player, f"{base}/matches/{match['match_id']}")
    plans = _get(client, rec, f"{tag}-training", player, f"{base}/training")
    for limit, offset in ((1, 0), (1, 1)):
        _get(
            client,
            rec,
            f"{tag}-training-page-{limit}-{offset}",
            player,
            f"{base}/training",
            limit=limit,
            offset=offset,
        )
    for n, plan in enumerate(plans["training_plans"]):
        _get(client, rec, f"{tag}-training-{n}", player, f"{base}/training/{plan['plan_id']}")


def _assistant(client, rec: Recorder, coach: Account) -> None:
    for n, question in enumerate(QUESTIONS):
        _post(client, rec, f"chat-{n:02d}", coach, "/api/chat/messages", {"message": question})
    session_id = None
    for n, question in enumerate(FOLLOW_UPS):
        body = {"message": question}
        if session_id:
            body["session_id"] = session_id
        answer = _post(client, rec, f"chat-follow-up-{n}", coach, "/api/chat/messages", body)
        session_id = answer["session_id"]
    path = f"/api/chat/sessions/{session_id}/messages"
    _get(client, rec, "chat-history", coach, path)
    for limit, offset in ((2, 0), (3, 2), (5, 10)):
        _get(
            client,
            rec,
            f"chat-history-page-{limit}-{offset}",
            coach,
            path,
            limit=limit,
            offset=offset,
        )


def record_everything(app) -> Recorder:
    client = app.test_client()
    rec = Recorder()
    argentina = _coach(client, "Argentina", 1)
    barcelona = _coach(client, "Barcelona", 2)
    for name in (MEXICO, NETHERLANDS, CROATIA):
        _upload(client, rec, argentina, name)
    _upload(client, rec, barcelona, BARCELONA)
    with app.app_context():
        limiter.reset()
    messi = _link(client, app, argentina.club_id, MESSI, 1)
    di_maria = _link(client, app, argentina.club_id, DI_MARIA, 2)
    bench = _link(client, app, argentina.club_id, None, 3)
    barca_messi = _link(client, app, barcelona.club_id, MESSI, 4)
    plan_ids = _plans(client, rec, argentina, messi)
    toggled = _get(client, rec, "plan-before-toggle", messi, f"/api/player/training/{plan_ids[0]}")
    exercise_id = toggled["exercises"][0]["exercise_id"]
    response = client.put(
        f"/api/player/training/exercises/{exercise_id}/toggle", headers=messi.headers, json={}
    )
    rec.record(
        "plan-toggle", "PUT", f"/api/player/training/exercises/{exercise_id}/toggle", response
    )
    for n, player in enumerate((messi, di_maria, bench)):
        _post(
            client,
            rec,
            f"plan-suggestion-{n}",
            argentina,
            "/api/coach/training-plans/generate-ai",
            {"player_id": player.player_id},
        )
    with app.app_context():
        limiter.reset()
    _coach_screens(client, rec, argentina, "argentina", plan_ids)
    _coach_screens(client, rec, barcelona, "barcelona", [])
    for tag, player in (
        ("messi", messi),
        ("di-maria", di_maria),
        ("bench", bench),
        ("barca-messi", barca_messi),
    ):
        _player_screens(client, rec, player, tag)
    # The same screens again: now served from the screen cache, byte for byte the same.
    _get(client, rec, "argentina-dashboard-again", argentina, "/api/coach/dashboard")
    _get(client, rec, "argentina-players-again", argentina, "/api/coach/players", limit=100)
    _get(client, rec, "messi-dashboard-again", messi, "/api/player/dashboard")
    _get(client, rec, "messi-profile-again", messi, "/api/player/profile")
    with app.app_context():
        limiter.reset()
    _assistant(client, rec, argentina)
    return rec


def _file_name(n: int, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80]
    return f"{n:03d}-{slug}.txt"


@pytest.fixture
def recorded(app) -> Recorder:
    for name in DATES:
        statsbomb_file(name)  # skip early when the shared files are absent
    with app.app_context():
        truncate_all()
        limiter.reset()
        screen_cache(app).clear()
    return record_everything(app)


def test_every_answer_is_byte_identical_to_the_golden_set(recorded: Recorder):
    files = {_file_name(n, name): text for n, (name, text) in enumerate(recorded.answers)}
    if REGEN:
        GOLDEN_DIR.mkdir(exist_ok=True)
        for old in GOLDEN_DIR.glob("*.txt"):
            old.unlink()
        for name, text in files.items():
            (GOLDEN_DIR / name).write_text(text, encoding="utf-8")
    stored = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN_DIR.glob("*.txt"))}
    assert sorted(stored) == sorted(files), "the set of recorded answers changed"
    differing = [name for name in files if files[name] != stored[name]]
    if differing:
        first = differing[0]
        diff = difflib.unified_diff(
            stored[first].splitlines(), files[first].splitlines(), "golden", "now", lineterm=""
        )
        shown = "\n".join(line[:400] for line in diff)
        pytest.fail(f"{len(differing)} answers differ: {differing[:10]}\n{shown}")
