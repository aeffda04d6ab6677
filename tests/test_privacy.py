"""Children's data (api.md "Children's data"): guardians, consent, export, erasure, retention.

Every right for every role: the coach, the player, his guardian, a squad mate's guardian and
another club. The erasure scan reads every text and JSON column of every table.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import date, timedelta

import orjson
import pytest
from sqlalchemy import JSON, String, Text, event, select

from spinta import screen_cache
from spinta.extensions import db
from spinta.models import (
    Base,
    Consent,
    ErasureRequest,
    MatchLineup,
    MatchStatistics,
    Player,
    PlayerMatchStatistics,
    User,
    utcnow,
)
from spinta.models import Club as ClubRow
from spinta.services import consent, privacy
from tests.factories import PASSWORD, Account, register_coach
from tests.world import assert_contract, tiny_match, upload_json

CHILD_NAME = "Zorro Minorsson"
CHILD_BIRTH = "2014-03-15"
PHOTO = "https://photos.example.com/minorsson.jpg"
GUARDIAN_NAME = "Mama Minorsson"
SECRET_QUESTION = f"How did {CHILD_NAME} play this season?"


def _signup(client, code: str, *, name: str, birth_date: str, photo: str | None = None) -> Account:
    email = f"kid-{uuid.uuid4().hex[:8]}@example.com"
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": code,
            "player_name": name,
            "email": email,
            "password": PASSWORD,
            "birth_date": birth_date,
            "height": 150,
            **({"profile_image_url": photo} if photo else {}),
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return Account(
        user_id=body["user"]["user_id"],
        email=email,
        token=body["token"],
        club_id=body["user"]["club"]["club_id"],
    )


def _invite_guardian(client, coach: Account, player_id: str, **fields) -> dict:
    body = {
        "full_name": GUARDIAN_NAME,
        "email": f"mama-{uuid.uuid4().hex[:6]}@example.com",
        "relation": "mother",
        "is_primary": True,
        **fields,
    }
    response = client.post(
        f"/api/coach/players/{player_id}/guardians", headers=coach.headers, json=body
    )
    assert response.status_code == 201, response.get_json()
    return {**response.get_json(), "email": body["email"], "full_name": body["full_name"]}


def _register_guardian(client, invite: dict) -> Account:
    response = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": invite["invite_code"],
            "email": invite["email"],
            "password": PASSWORD,
            "full_name": invite["full_name"],
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["user"]["user_type"] == "guardian"
    return Account(user_id=body["user"]["user_id"], email=invite["email"], token=body["token"])


class Club:
    """Coach, one uploaded match, a minor (#5) signed up, his primary guardian signed up."""

    def __init__(self, client, app):
        self.coach = register_coach(client, club_name="Home FC")
        uploaded = upload_json(client, self.coach, tiny_match(), opponent_name="Away United")
        assert uploaded.status_code == 201, uploaded.get_json()
        self.match_id = uploaded.get_json()["match_id"]
        squad = uploaded.get_json()["details"]["our_players"]
        number5 = next(p for p in squad if p["jersey_number"] == 5)
        self.invite_code = number5["invite_code"]
        self.player_id = number5["player_id"]
        self.mate_id = next(p["player_id"] for p in squad if p["jersey_number"] != 5)
        self.child = _signup(
            client, self.invite_code, name=CHILD_NAME, birth_date=CHILD_BIRTH, photo=PHOTO
        )
        self.child.player_id = self.player_id
        self.invite = _invite_guardian(client, self.coach, self.player_id)
        self.guardian = _register_guardian(client, self.invite)


@pytest.fixture
def club(client, app):
    return Club(client, app)


def _consent(client, club: Club, purpose: str, given_by: str | None = None):
    return client.post(
        f"/api/coach/players/{club.player_id}/consents",
        headers=club.coach.headers,
        json={
            "purpose": purpose,
            "given_by": given_by or club.invite["guardian_id"],
            "method": "written",
            "text_version": "2026-01",
        },
    )


def _squad_entry(client, club: Club, player_id: str) -> dict | None:
    squad = client.get("/api/coach/players", headers=club.coach.headers).get_json()
    return next((p for p in squad["players"] if p["player_id"] == player_id), None)


# ---------------------------------------------------------------- consent


def test_minor_without_consent_is_shown_as_consent_missing(client, club):
    entry = _squad_entry(client, club, club.player_id)
    assert entry["consent_missing"] == ["statistics", "training", "assistant", "photos"]
    # Adults and players nobody has joined with keep their entry exactly as before.
    mate = _squad_entry(client, club, club.mate_id)
    assert set(mate) == {
        "player_id",
        "player_name",
        "jersey_number",
        "position",
        "profile_image_url",
        "is_linked",
    }
    status = client.get(
        f"/api/coach/players/{club.player_id}/consents", headers=club.coach.headers
    ).get_json()
    assert status["consent_age"] == 16 and status["is_minor"] is True
    assert status["missing"] == ["statistics", "training", "assistant", "photos"]

    assert _consent(client, club, "assistant").status_code == 201
    entry = _squad_entry(client, club, club.player_id)
    assert entry["consent_missing"] == ["statistics", "training", "photos"]
    status = client.get(
        f"/api/coach/players/{club.player_id}/consents", headers=club.coach.headers
    ).get_json()
    (given,) = status["consents"]
    assert given["given_by"] == club.invite["guardian_id"] and given["withdrawn_at"] is None
    assert given["method"] == "written" and given["text_version"] == "2026-01"


def test_consent_comes_from_a_primary_guardian_for_a_minor(client, club):
    assert_contract(_consent(client, club, "statistics", given_by="player"), 422)
    viewer = _invite_guardian(client, club.coach, club.player_id, is_primary=False)
    assert_contract(_consent(client, club, "statistics", given_by=viewer["guardian_id"]), 422)
    assert_contract(_consent(client, club, "statistics", given_by=str(uuid.uuid4())), 422)
    assert_contract(_consent(client, club, "dancing"), 422)


def test_the_assistant_leaves_out_a_minor_until_consent_is_recorded(client, club):
    def squad_answer() -> str:
        response = client.post(
            "/api/chat/messages", headers=club.coach.headers, json={"message": "Show me the squad"}
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["message"]

    assert CHILD_NAME not in squad_answer()
    assert _consent(client, club, "assistant").status_code == 201
    assert CHILD_NAME in squad_answer()
    withdrawn = client.delete(
        f"/api/guardian/children/{club.player_id}/consents/assistant",
        headers=club.guardian.headers,
    )
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert CHILD_NAME not in squad_answer()


def _photos(client, club: Club) -> set:
    """His photo link on every screen that shows it: the coach's squad and player detail, his
    own dashboard and profile, his guardian's view (each a cached screen)."""
    coach, child, guardian = club.coach.headers, club.child.headers, club.guardian.headers
    pid = club.player_id
    return {
        _squad_entry(client, club, pid)["profile_image_url"],
        client.get(f"/api/coach/players/{pid}", headers=coach).get_json()["player"][
            "profile_image_url"
        ],
        client.get("/api/player/dashboard", headers=child).get_json()["player"][
            "profile_image_url"
        ],
        client.get("/api/player/profile", headers=child).get_json()["player"]["profile_image_url"],
        client.get(f"/api/guardian/children/{pid}/dashboard", headers=guardian).get_json()[
            "player"
        ]["profile_image_url"],
        client.get(f"/api/guardian/children/{pid}/profile", headers=guardian).get_json()["player"][
            "profile_image_url"
        ],
    }


def test_his_photo_is_shown_only_while_photos_consent_stands(client, club):
    assert _photos(client, club) == {None}  # a minor without consent to photos
    assert _consent(client, club, "photos").status_code == 201
    assert _photos(client, club) == {PHOTO}
    withdrawn = client.delete(
        f"/api/guardian/children/{club.player_id}/consents/photos", headers=club.guardian.headers
    )
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert _photos(client, club) == {None}  # from that moment, cached screens included
    assert _consent(client, club, "photos").status_code == 201
    assert _photos(client, club) == {PHOTO}
    response = client.delete(
        f"/api/coach/players/{club.player_id}/consents/photos", headers=club.coach.headers
    )
    assert response.status_code == 200
    assert _photos(client, club) == {None}


def test_a_child_who_comes_of_age_has_his_photo_shown_on_every_screen(client, club, monkeypatch):
    """The consent age's cutoff is a value the screens' statements hold (built once per team
    and season asked for and cutoff): the day he is of age his photo shows without a consent,
    on every screen, for the default and for a team and season asked for."""
    coach, pid = club.coach.headers, club.player_id
    team = client.get("/api/coach/teams", headers=coach).get_json()["teams"][0]["team_id"]
    season = client.get("/api/coach/seasons", headers=coach).get_json()["seasons"][0]["season_id"]
    asked = {"team_id": team, "season_id": season}

    def photos() -> set:
        squad = client.get("/api/coach/players", headers=coach, query_string=asked).get_json()
        detail = client.get(f"/api/coach/players/{pid}", headers=coach, query_string=asked)
        entry = next(p for p in squad["players"] if p["player_id"] == pid)
        shown = {entry["profile_image_url"], detail.get_json()["player"]["profile_image_url"]}
        return _photos(client, club) | shown

    assert photos() == {None}  # a minor without consent to photos

    class ComingOfAge(date):
        @classmethod
        def today(cls):
            return cls(2030, 4, 1)  # 16 after his birth month (CHILD_BIRTH: only its month is kept)

    for module in (consent, screen_cache):
        monkeypatch.setattr(module, "date", ComingOfAge)
    assert photos() == {PHOTO}


def _club_version(app, club_id: str):
    with app.app_context():
        return db.session.scalar(
            select(ClubRow.data_version).where(ClubRow.id == uuid.UUID(club_id))
        )


def test_consent_writes_are_all_or_nothing_with_the_screens(client, app, club):
    """A consent and the club's data version change in one transaction: a write that fails
    leaves neither (no consent row, the cached screens still valid)."""
    before = _club_version(app, club.coach.club_id)
    assert _consent(client, club, "photos").status_code == 201
    recorded = _club_version(app, club.coach.club_id)
    assert recorded != before

    def refuse(session):
        raise RuntimeError("the disk is full")

    factory = db.session.session_factory
    event.listen(factory, "before_commit", refuse)
    try:
        withdrawn = client.delete(
            f"/api/coach/players/{club.player_id}/consents/photos", headers=club.coach.headers
        )
        recorded_again = _consent(client, club, "training")
    finally:
        event.remove(factory, "before_commit", refuse)
    assert withdrawn.status_code == 500 and recorded_again.status_code == 500
    assert _club_version(app, club.coach.club_id) == recorded
    with app.app_context():
        rows = db.session.scalars(
            select(Consent).where(Consent.player_id == uuid.UUID(club.player_id))
        ).all()
    assert [(c.purpose, c.withdrawn_at) for c in rows] == [("photos", None)]


def test_a_minors_birth_date_is_kept_as_month_and_year(client, app, club):
    with app.app_context():
        player = db.session.get(Player, uuid.UUID(club.player_id))
        assert player.birth_date is None and str(player.birth_month) == "2014-03-01"
    profile = client.get("/api/player/profile", headers=club.child.headers).get_json()
    assert profile["player"]["birth_date"] is None
    detail = client.get(f"/api/coach/players/{club.player_id}", headers=club.coach.headers)
    born = date(2014, 3, 31)  # the latest day of his birth month: an age is never overstated
    today = date.today()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    assert detail.get_json()["player"]["age"] == f"{years} years"
    assert (
        client.get(
            f"/api/coach/players/{club.player_id}/consents", headers=club.coach.headers
        ).get_json()["is_minor"]
        is True
    )


@pytest.mark.parametrize(
    ("birth_month", "minor"),
    [("2010-06-01", True), ("2010-05-01", False), ("2010-07-01", True), ("2009-12-01", False)],
)
def test_minority_from_the_birth_month_is_cautious(app, birth_month, minor):
    """On 2026-06-15 the consent age (16) was reached by those born by 2010-06-15: one born in
    June 2010 may not be 16 yet, so he is a minor until the month is over."""
    today = date(2026, 6, 15)
    player = Player(birth_month=date.fromisoformat(birth_month))
    with app.app_context():
        assert consent.is_minor(player, today) is minor
        assert consent.stored_birth(date(2010, 6, 20), today) == {
            "birth_date": None,
            "birth_month": date(2010, 6, 1),
        }
        assert consent.stored_birth(date(2010, 6, 15), today)["birth_date"] == date(2010, 6, 15)


def test_withdrawn_statistics_consent_stops_new_statistics(client, app, club):
    assert _consent(client, club, "statistics").status_code == 201
    response = client.delete(
        f"/api/coach/players/{club.player_id}/consents/statistics", headers=club.coach.headers
    )
    assert response.status_code == 200, response.get_json()
    # Withdrawing twice: nothing left to withdraw.
    again = client.delete(
        f"/api/coach/players/{club.player_id}/consents/statistics", headers=club.coach.headers
    )
    assert_contract(again, 404)
    second = upload_json(
        client,
        club.coach,
        tiny_match(variant=3),
        opponent_name="Away United",
        match_date="2024-04-02",
    )
    assert second.status_code == 201, second.get_json()
    new_match = uuid.UUID(second.get_json()["match_id"])
    with app.app_context():
        player_id = uuid.UUID(club.player_id)
        rows = db.session.scalars(
            select(PlayerMatchStatistics.match_id).where(
                PlayerMatchStatistics.player_id == player_id
            )
        ).all()
        assert rows == [uuid.UUID(club.match_id)]  # the earlier match only
        # He still played: lineup and the team's totals count his goal.
        assert db.session.scalar(
            select(MatchLineup.id).where(
                MatchLineup.match_id == new_match, MatchLineup.player_id == player_id
            )
        )
        ours = db.session.scalar(
            select(MatchStatistics).where(
                MatchStatistics.match_id == new_match, MatchStatistics.is_our_team.is_(True)
            )
        )
        assert ours.goals == 1


def test_withdrawn_training_consent_stops_new_plans(client, club):
    assert _consent(client, club, "training").status_code == 201
    body = {"player_id": club.player_id, "plan_name": "Week plan"}
    created = client.post("/api/coach/training-plans", headers=club.coach.headers, json=body)
    assert created.status_code == 201
    client.delete(
        f"/api/guardian/children/{club.player_id}/consents/training", headers=club.guardian.headers
    )
    refused = client.post("/api/coach/training-plans", headers=club.coach.headers, json=body)
    assert_contract(refused, 409)
    suggested = client.post(
        "/api/coach/training-plans/generate-ai",
        headers=club.coach.headers,
        json={"player_id": club.player_id},
    )
    assert_contract(suggested, 409)


# ---------------------------------------------------------------- guardians


def test_guardian_sees_only_his_childs_screens(client, app, club):
    children = client.get("/api/guardian/children", headers=club.guardian.headers).get_json()
    assert children == {
        "children": [
            {"player_id": club.player_id, "player_name": CHILD_NAME, "club_name": "Home FC"}
        ]
    }
    base = f"/api/guardian/children/{club.player_id}"
    for path in ("dashboard", "matches", f"matches/{club.match_id}", "training", "profile"):
        response = client.get(f"{base}/{path}", headers=club.guardian.headers)
        assert response.status_code == 200, (path, response.get_json())
    player_view = client.get("/api/player/profile", headers=club.child.headers).get_json()
    guardian_view = client.get(f"{base}/profile", headers=club.guardian.headers).get_json()
    assert guardian_view == player_view
    # Another child (a squad mate), another club's player, a random id: 404.
    other = register_coach(client, club_name="Other FC")
    for player_id in (club.mate_id, str(uuid.uuid4())):
        response = client.get(
            f"/api/guardian/children/{player_id}/dashboard", headers=club.guardian.headers
        )
        assert_contract(response, 404)
    # Read-only: coach and player screens and writes answer 403.
    for method, path in (
        ("GET", "/api/coach/players"),
        ("GET", "/api/player/dashboard"),
        ("PUT", f"/api/player/training/exercises/{uuid.uuid4()}/toggle"),
        ("POST", f"/api/coach/players/{club.player_id}/consents"),
    ):
        response = client.open(path, method=method, headers=club.guardian.headers, json={})
        assert_contract(response, 403)
    assert other.club_id


def test_guardian_invite_codes_are_used_once_and_expire(client, app, club):
    again = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": club.invite["invite_code"],
            "email": "someone-else@example.com",
            "password": PASSWORD,
            "full_name": "Someone Else",
        },
    )
    assert_contract(again, 409)
    unknown = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": "GUA-00000000",
            "email": "x@example.com",
            "password": PASSWORD,
            "full_name": "Someone",
        },
    )
    assert_contract(unknown, 404)
    assert not club.invite["invite_code"].startswith("ZOR")  # nothing of the child's name


def test_removing_a_guardian_ends_his_login(client, app, club):
    listed = client.get(
        f"/api/coach/players/{club.player_id}/guardians", headers=club.coach.headers
    ).get_json()
    (entry,) = listed["guardians"]
    assert entry["has_joined"] is True and entry["relation"] == "mother"
    response = client.delete(
        f"/api/coach/players/{club.player_id}/guardians/{entry['guardian_id']}",
        headers=club.coach.headers,
    )
    assert response.status_code == 200
    assert_contract(client.get("/api/guardian/children", headers=club.guardian.headers), 401)


# ---------------------------------------------------------------- export


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_every_table_that_references_a_player_is_exported():
    """A new table pointing at players (or at a table of his) fails until the export has it."""
    exported = set(privacy.EXPORT_TABLES)
    referencing = {
        table.name
        for table in Base.metadata.sorted_tables
        if any(fk.column.table.name in exported - {"matches"} for fk in table.foreign_keys)
        and table.name not in privacy.NOT_ABOUT_THE_PLAYER
    }
    assert referencing <= exported, sorted(referencing - exported)


def test_export_for_player_coach_and_guardian(client, app, club):
    assert _consent(client, club, "statistics").status_code == 201
    client.post("/api/chat/messages", headers=club.coach.headers, json={"message": SECRET_QUESTION})
    paths = (
        ("/api/player/data-export", club.child),
        (f"/api/coach/players/{club.player_id}/data-export", club.coach),
        (f"/api/guardian/children/{club.player_id}/data-export", club.guardian),
    )
    for path, account in paths:
        archive = _zip(client.get(path, headers=account.headers))
        names = set(archive.namelist())
        assert names == {"player.json", *(f"{t}.csv" for t in privacy.EXPORT_TABLES)}
        document = orjson.loads(archive.read("player.json"))
        tables = document["tables"]
        assert tables["players"][0]["player_name"] == CHILD_NAME
        assert tables["users"][0]["email"] == club.child.email
        assert "password_hash" not in tables["users"][0]
        assert tables["guardians"][0]["full_name"] == GUARDIAN_NAME
        assert [c["purpose"] for c in tables["consents"]] == ["statistics"]
        assert len(tables["player_match_statistics"]) == 1
        assert tables["goals"] and tables["events"] and tables["match_lineups"]
        assert any(SECRET_QUESTION in m["message"] for m in tables["chat_messages"])
        rows = list(csv.DictReader(io.StringIO(archive.read("match_lineups.csv").decode())))
        assert rows[0]["player_id"] == club.player_id
    # The exports themselves are in the access log (and in the next export).
    actions = [e["action"] for e in tables["access_log"]]
    assert actions.count("data_export") == 3
    other = register_coach(client, club_name="Other FC")
    response = client.get(f"/api/coach/players/{club.player_id}/data-export", headers=other.headers)
    assert_contract(response, 404)


# ---------------------------------------------------------------- erasure


def _text_values(app) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text and JSON column of every row."""
    found = []
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        text = value if isinstance(value, str) else orjson.dumps(value).decode()
                        found.append((table.name, column.name, text))
        db.session.remove()
    return found


def _team_numbers(app) -> list:
    with app.app_context():
        rows = db.session.scalars(select(MatchStatistics).order_by(MatchStatistics.id)).all()
        team = [
            {c.name: getattr(r, c.key) for c in MatchStatistics.__table__.columns} for r in rows
        ]
        others = db.session.execute(
            select(PlayerMatchStatistics.player_name, PlayerMatchStatistics.goals)
            .where(PlayerMatchStatistics.external_id != 105)
            .order_by(PlayerMatchStatistics.id)
        ).all()
        db.session.remove()
        return [team, [tuple(r) for r in others]]


def test_erasure_leaves_nothing_personal_and_keeps_team_totals(client, app, club, runner):
    assert _consent(client, club, "assistant").status_code == 201
    chat = client.post(
        "/api/chat/messages", headers=club.coach.headers, json={"message": SECRET_QUESTION}
    )
    assert chat.status_code == 200
    before = _team_numbers(app)
    response = client.post("/api/player/erasure-request", headers=club.child.headers)
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending"
    # The coach is told: the squad entry carries the due date.
    assert _squad_entry(client, club, club.player_id)["erasure_due_at"] == body["due_at"]
    # Asking again returns the same request.
    again = client.post(
        f"/api/guardian/children/{club.player_id}/erasure-request", headers=club.guardian.headers
    )
    assert again.get_json()["erasure_id"] == body["erasure_id"]

    # Not due yet: the daily purge leaves him.
    result = runner.invoke(args=["spinta", "purge"])
    assert result.exit_code == 0 and "Erased 0 player(s) on request" in result.output
    result = runner.invoke(args=["spinta", "purge", "--pending"])
    assert result.exit_code == 0 and "Erased 1 player(s) on request" in result.output, result.output

    secrets = {
        CHILD_NAME,
        club.child.email,
        club.invite_code,
        "Minorsson",
        GUARDIAN_NAME,
        club.invite["email"],
        club.invite["invite_code"],
        "Home FC #5",
    }
    leaks = [
        (table, column)
        for table, column, value in _text_values(app)
        for secret in secrets
        if secret.lower() in value.lower()
    ]
    assert not leaks, sorted(set(leaks))
    assert _team_numbers(app) == before
    with app.app_context():
        player = db.session.get(Player, uuid.UUID(club.player_id))
        assert player.player_name == "Player #5 (erased)"
        assert player.birth_date is None and player.birth_month is None
        assert player.height is None and player.user_id is None
        assert db.session.get(User, uuid.UUID(club.child.user_id)) is None
        assert db.session.get(User, uuid.UUID(club.guardian.user_id)) is None
        assert set(
            db.session.scalars(
                select(MatchLineup.player_name).where(MatchLineup.player_id == player.id)
            )
        ) == {"Player #5 (erased)"}
        request = db.session.scalar(select(ErasureRequest))
        assert request.status == "done" and request.completed_at is not None
        db.session.remove()
    assert_contract(client.get("/api/player/profile", headers=club.child.headers), 401)
    assert _squad_entry(client, club, club.player_id) is None
    detail = client.get(f"/api/coach/matches/{club.match_id}", headers=club.coach.headers)
    assert "Player #5 (erased)" in detail.get_data(as_text=True)

    # Idempotent: a second run changes nothing.
    snapshot = _text_values(app)
    result = runner.invoke(args=["spinta", "purge", "--pending"])
    assert "Erased 0 player(s) on request and 0 after" in result.output
    assert _text_values(app) == snapshot


def test_removed_player_is_erased_after_the_retention_period(client, app, club):
    response = client.delete(f"/api/coach/players/{club.player_id}", headers=club.coach.headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["removed"] is True and body["retained_until"]
    # His login ends; the code cannot be used again; he leaves the squad list.
    assert_contract(client.get("/api/player/profile", headers=club.child.headers), 401)
    reuse = client.post("/api/auth/verify-invite", json={"invite_code": club.invite_code})
    assert_contract(reuse, 404)
    assert _squad_entry(client, club, club.player_id) is None
    # A mate removed too but kept by the club.
    client.delete(f"/api/coach/players/{club.mate_id}", headers=club.coach.headers)
    with app.app_context():
        db.session.get(Player, uuid.UUID(club.mate_id)).retention_kept = True
        db.session.commit()
        soon = privacy.purge(now=utcnow() + timedelta(days=30))
        assert soon.erased_after_retention == 0
        later = privacy.purge(now=utcnow() + timedelta(days=24 * 31))
        assert later.erased_after_retention == 1
        assert privacy.purge(now=utcnow() + timedelta(days=24 * 31)).erased_after_retention == 0
        erased = db.session.get(Player, uuid.UUID(club.player_id))
        kept = db.session.get(Player, uuid.UUID(club.mate_id))
        assert erased.erased_at is not None and kept.erased_at is None
        db.session.remove()


def test_another_club_cannot_touch_the_player(client, club):
    other = register_coach(client, club_name="Other FC")
    for method, path in (
        ("DELETE", f"/api/coach/players/{club.player_id}"),
        ("POST", f"/api/coach/players/{club.player_id}/erasure"),
        ("GET", f"/api/coach/players/{club.player_id}/guardians"),
        ("GET", f"/api/coach/players/{club.player_id}/consents"),
        ("GET", f"/api/coach/players/{club.player_id}/access-log"),
    ):
        assert_contract(client.open(path, method=method, headers=other.headers), 404)


# ---------------------------------------------------------------- access log, minimisation


def test_access_log_records_who_read_and_changed_his_data(client, club):
    detail = client.get(f"/api/coach/players/{club.player_id}", headers=club.coach.headers)
    assert detail.status_code == 200
    # A second read comes from the screen cache and is logged all the same.
    client.get(f"/api/coach/players/{club.player_id}", headers=club.coach.headers)
    client.get("/api/player/profile", headers=club.child.headers)
    client.get(f"/api/guardian/children/{club.player_id}/profile", headers=club.guardian.headers)
    client.patch(
        f"/api/coach/players/{club.player_id}",
        headers=club.coach.headers,
        json={"position": "Left Wing"},
    )
    entries = client.get(
        f"/api/coach/players/{club.player_id}/access-log", headers=club.coach.headers
    ).get_json()["entries"]
    seen = [(e["actor_role"], e["action"], e["actor_id"]) for e in reversed(entries)]
    assert seen[-5:] == [
        ("coach", "read", club.coach.user_id),
        ("coach", "read", club.coach.user_id),
        ("player", "read", club.child.user_id),
        ("guardian", "read", club.guardian.user_id),
        ("coach", "changed", club.coach.user_id),
    ]
    assert "email" in entries[2]["fields"] or "profile" in entries[1]["fields"]
    # Nothing but ids, roles, actions and field names.
    text = orjson.dumps(entries).decode()
    assert CHILD_NAME not in text and club.child.email not in text


def test_personal_screens_are_never_cached_by_shared_caches(client, club):
    for path, account in (
        (f"/api/guardian/children/{club.player_id}/profile", club.guardian),
        ("/api/player/profile", club.child),
        (f"/api/coach/players/{club.player_id}", club.coach),
        ("/api/player/data-export", club.child),
    ):
        response = client.get(path, headers=account.headers)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store", path


@pytest.fixture
def all_logs():
    """Every log record of the block, at DEBUG, as the JSON lines production writes."""
    import logging

    from spinta.logging import json_formatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_no_codes_names_or_emails_in_the_logs_of_a_full_scenario(client, app, runner, all_logs):
    club = Club(client, app)
    client.post("/api/auth/verify-invite", json={"invite_code": club.invite_code})
    client.post("/api/auth/login", json={"email": club.child.email, "password": "wrong-one-1"})
    _consent(client, club, "assistant")
    client.post("/api/chat/messages", headers=club.coach.headers, json={"message": SECRET_QUESTION})
    client.patch(
        f"/api/coach/players/{club.player_id}",
        headers=club.coach.headers,
        json={"player_name": CHILD_NAME + " Junior"},
    )
    client.get(f"/api/guardian/children/{club.player_id}/profile", headers=club.guardian.headers)
    client.get("/api/player/data-export", headers=club.child.headers)
    client.post("/api/player/erasure-request", headers=club.child.headers)
    assert runner.invoke(args=["spinta", "purge", "--pending"]).exit_code == 0
    output = all_logs.getvalue()
    assert "player_erased" in output and "erasure_requested" in output  # the log was captured
    secrets = {
        CHILD_NAME,
        "Minorsson",
        club.child.email,
        club.invite_code,
        GUARDIAN_NAME,
        club.invite["email"],
        club.invite["invite_code"],
        "2014-03-15",
    }
    assert not {s for s in secrets if s.lower() in output.lower()}


def test_a_guardian_of_two_children_signs_up_once(client, app, club):
    second = _invite_guardian(client, club.coach, club.mate_id, email=club.guardian.email)
    wrong = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": second["invite_code"],
            "email": club.guardian.email,
            "password": "not-his-password-9",
            "full_name": GUARDIAN_NAME,
        },
    )
    assert_contract(wrong, 409)
    again = _register_guardian(client, {**second, "email": club.guardian.email})
    assert again.user_id == club.guardian.user_id
    children = client.get("/api/guardian/children", headers=again.headers).get_json()["children"]
    assert {c["player_id"] for c in children} == {club.player_id, club.mate_id}
    # A player's or coach's email cannot become a guardian login.
    third = _invite_guardian(client, club.coach, club.mate_id)
    taken = client.post(
        "/api/auth/register/guardian",
        json={
            "invite_code": third["invite_code"],
            "email": club.coach.email,
            "password": PASSWORD,
            "full_name": "Someone",
        },
    )
    assert_contract(taken, 409)
