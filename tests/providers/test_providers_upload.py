"""POST /api/coach/matches with every provider: events_file + meta_file, provider detected or
named, our_team; broken files of every provider -> 422 naming the problem, nothing stored; the
admin panel's StatsBomb upload answers exactly as before; the tagging template endpoint."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from provider_files import CASES, case_bytes
from sqlalchemy import select

from spinta.analytics.providers.csv_tagging import TEMPLATE
from spinta.extensions import db
from spinta.models import Player
from tests.conftest import statsbomb_file
from tests.factories import register_coach
from tests.test_matches import assert_nothing_stored, row_counts

pytestmark = pytest.mark.filterwarnings("ignore")

OLD_ANSWER_KEYS = {"success", "match_id", "message", "summary", "details"}


def post(client, coach, events: bytes, meta: bytes | None = None, **fields):
    form = {"match_date": "2024-05-01", **{k: v for k, v in fields.items() if v is not None}}
    form["events_file"] = (io.BytesIO(events), "events")
    if meta is not None:
        form["meta_file"] = (io.BytesIO(meta), "meta")
    return client.post(
        "/api/coach/matches",
        headers=coach.headers,
        data=form,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_provider_uploads_with_its_provider_detected(client, app, case):
    coach = register_coach(client, club_name="Grassroots United")
    provider, events, meta = case_bytes(case)
    response = post(client, coach, events, meta, our_team="away")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["data_source"]["provider"] == provider
    assert body["data_source"]["detected"] is True
    assert isinstance(body["data_source"]["missing_statistics"], list)
    assert body["summary"]["events_inserted"] > 0
    detail = client.get(f"/api/coach/matches/{body['match_id']}", headers=coach.headers)
    assert detail.status_code == 200
    assert detail.get_json()["data_source"] == body["data_source"]  # the match screen says it too
    assert row_counts(app)["matches"] == 1


def test_the_named_provider_is_used_and_the_answer_says_so(client):
    coach = register_coach(client, club_name="Hamburger SV")  # the club's name is in the file
    _provider, events, meta = case_bytes("statsperform_json")
    body = post(client, coach, events, meta, provider="statsperform").get_json()
    assert body["data_source"] == {**body["data_source"], "provider": "statsperform"}
    assert body["data_source"]["detected"] is False
    missing = {
        item["statistic"]: item["reason"] for item in body["data_source"]["missing_statistics"]
    }
    assert missing.get("pressures")


def test_a_club_not_in_the_file_is_told_about_our_team(client, app):
    coach = register_coach(client, club_name="Nobody FC")
    _provider, events, meta = case_bytes("datafactory")
    response = post(client, coach, events, meta)
    assert response.status_code == 422
    assert "our_team" in response.get_json()["message"]
    assert_nothing_stored(app)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_files_of_every_provider_answer_422_and_store_nothing(client, app, case):
    coach = register_coach(client, club_name="Broken FC")
    provider, events, meta = case_bytes(case)
    for broken, broken_meta in ((events[: len(events) // 2], meta), (events, meta and meta[:50])):
        if (broken, broken_meta) == (events, meta):
            continue
        response = post(client, coach, broken, broken_meta, our_team="home", provider=provider)
        assert response.status_code == 422, response.get_json()
        body = response.get_json()
        assert body["message"].endswith(".") and "events_file" in body["errors"]
    assert_nothing_stored(app)


def test_a_missing_meta_file_and_a_swapped_pair_are_named(client, app):
    coach = register_coach(client, club_name="Swap FC")
    _provider, events, meta = case_bytes("opta")
    response = post(client, coach, events, None, our_team="home")
    assert response.status_code == 422
    assert "F7" in response.get_json()["message"] and "meta_file" in response.get_json()["message"]
    response = post(client, coach, meta, events, our_team="home")
    assert response.status_code == 422
    assert "Opta F7 match sheet" in response.get_json()["message"]
    response = post(client, coach, b"<root/>", None)
    assert response.status_code == 422
    assert "does not recognise" in response.get_json()["message"]
    assert_nothing_stored(app)


def test_an_unknown_provider_name_is_a_422(client, app):
    coach = register_coach(client, club_name="Name FC")
    response = post(client, coach, b"[]", provider="hudl-sportscode")
    assert response.status_code == 422
    assert "provider" in response.get_json()["errors"]
    assert_nothing_stored(app)


def test_the_admin_panels_statsbomb_upload_answers_as_before(client):
    coach = register_coach(client, club_name="Argentina")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    body = post(client, coach, raw, match_date="2022-11-26", opponent_name="Mexico").get_json()
    assert set(body) == OLD_ANSWER_KEYS  # no data_source: byte for byte as before
    assert body["message"].startswith("Match against Mexico on 2022-11-26 uploaded: 2-0 (win)")


def test_a_statsbomb_upload_with_the_new_fields_names_its_source(client):
    coach = register_coach(client, club_name="Somebody Else")
    raw = statsbomb_file("argentina-mexico-2022-11-26.json").read_bytes()
    response = post(client, coach, raw, match_date="2022-11-26", our_team="Argentina")
    assert response.status_code == 201, response.get_json()
    source = response.get_json()["data_source"]
    assert source == {
        "provider": "statsbomb",
        "detected": True,
        "xg_model": False,
        "missing_statistics": [],
    }


def test_the_tagging_template_is_served_and_uploads(client):
    coach = register_coach(client, club_name="Spinta FC")
    response = client.get("/api/coach/templates/tagging.csv", headers=coach.headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == TEMPLATE
    assert "attachment" in response.headers["Content-Disposition"]
    upload = post(client, coach, response.get_data())
    assert upload.status_code == 201, upload.get_json()
    body = upload.get_json()
    assert body["data_source"]["provider"] == "csv"
    assert "1-0 (win)" in body["message"]


def test_a_bad_csv_row_is_named(client, app):
    coach = register_coach(client, club_name="Spinta FC")
    bad = TEMPLATE.replace("1,03:40,", "1,3h40,")
    response = post(client, coach, bad.encode())
    assert response.status_code == 422
    assert response.get_json()["message"].startswith("Row 3: 'clock' must be minutes:seconds")
    assert_nothing_stored(app)


def test_the_command_line_imports_every_provider(app, client, tmp_path):
    from spinta.cli import spinta_cli

    coach = register_coach(client, club_name="Some Club")
    events, meta = tmp_path / "ma3-2021-09-11.json", tmp_path / "ma1.json"
    _, raw, raw_meta = case_bytes("statsperform_json")
    events.write_bytes(raw)
    meta.write_bytes(raw_meta)
    runner = app.test_cli_runner()
    command = ["import-match", str(events), "--coach", coach.email, "--meta", str(meta)]
    result = runner.invoke(spinta_cli, [*command, "--our-team", "Sandhausen"])
    assert result.exit_code == 0, result.output
    assert "1-2" in result.output
    result = runner.invoke(
        spinta_cli, ["import-match", str(events), "--coach", coach.email, "--provider", "opta"]
    )
    assert result.exit_code == 1 and "F7" in result.output


def test_python_m_spinta_analytics_reads_every_provider(capsys):
    import json

    from provider_files import FILES

    from spinta.analytics.__main__ import main

    arguments = [str(FILES / "sportec_events.xml"), "--meta", str(FILES / "sportec_meta.xml")]
    code = main([*arguments, "--our-team", "home"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["our_team"]["name"] == "Sport-Club Freiburg"


def test_the_same_provider_file_twice_is_a_duplicate(client, app):
    coach = register_coach(client, club_name="Twice FC")
    _, events, meta = case_bytes("wyscout_v3")
    first = post(client, coach, events, meta, our_team="home")
    assert first.status_code == 201
    again = post(client, coach, events, meta, our_team="home", allow_same_day="true")
    assert again.status_code == 409
    assert again.get_json()["match_id"] == first.get_json()["match_id"]
    assert row_counts(app)["matches"] == 1


def test_the_openapi_document_describes_the_new_fields(client):
    document = client.get("/openapi.json").get_json()
    upload = document["paths"]["/api/coach/matches"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert {"events_file", "meta_file", "provider", "our_team"} <= set(form)
    assert "csv" in form["provider"]["enum"] and "wyscout" in form["provider"]["enum"]
    result = document["components"]["schemas"]["UploadResult"]["properties"]
    assert "data_source" in result
    source = document["components"]["schemas"]["DataSource"]["properties"]
    assert {"provider", "detected", "xg_model", "missing_statistics"} <= set(source)
    template = document["paths"]["/api/coach/templates/tagging.csv"]["get"]
    assert "text/csv" in template["responses"]["200"]["content"]


def test_reanalysis_of_a_tagging_csv_match_gives_its_upload_rows(client, app):
    from spinta.extensions import db
    from spinta.models import Club, Match
    from spinta.services import matches as matches_service

    coach = register_coach(client, club_name="Spinta FC")
    body = post(client, coach, TEMPLATE.encode()).get_json()
    before = client.get(f"/api/coach/matches/{body['match_id']}", headers=coach.headers)
    with app.app_context():
        match = db.session.get(Match, uuid.UUID(body["match_id"]))
        assert match.provider == "csv"
        club = db.session.get(Club, match.club_id)
        assert matches_service.reanalyse_club(club=club) == 1
    detail = client.get(f"/api/coach/matches/{body['match_id']}", headers=coach.headers)
    assert detail.status_code == 200
    assert detail.get_json()["statistics"] == before.get_json()["statistics"]


def _second_wyscout_file(renamed: str) -> bytes:
    """kloppy's Wyscout v3 file as a later match: other event ids, one player renamed."""
    _provider, events, _meta = case_bytes("wyscout_v3")
    data = json.loads(events.decode().replace("Frabotta", renamed))
    for event in data["events"]:
        event["id"] += 1
    return json.dumps(data).encode()


def _squad(client, coach) -> dict[str, str]:
    body = client.get("/api/coach/players?limit=100", headers=coach.headers).get_json()
    return {p["player_name"]: p["player_id"] for p in body["players"]}


def test_players_are_matched_across_files_of_a_provider_by_its_ids(client, app):
    """The second file names Frabotta "Frabottini": the provider's id keeps him the same player
    (matching by name alone would have made a new one)."""
    coach = register_coach(client, club_name="Juventus")
    _provider, events, _meta = case_bytes("wyscout_v3")
    first = post(client, coach, events)
    assert first.status_code == 201, first.get_json()
    before = _squad(client, coach)
    (frabotta,) = [pid for name, pid in before.items() if "Frabotta" in name]
    second = post(client, coach, _second_wyscout_file("Frabottini"), match_date="2024-05-08")
    assert second.status_code == 201, second.get_json()
    summary = second.get_json()["summary"]
    assert summary["our_players_created"] == 0
    assert summary["our_players_updated"] == first.get_json()["summary"]["our_players_created"]
    assert _squad(client, coach) == before  # the squad keeps his name; nobody new
    lineup = client.get(
        f"/api/coach/matches/{second.get_json()['match_id']}", headers=coach.headers
    ).get_json()["lineup"]["our_team"]
    (renamed,) = [row for row in lineup if "Frabottini" in row["player_name"]]
    assert renamed["player_id"] == frabotta


def test_another_providers_equal_number_is_another_player(client, app):
    """Ids are the provider's: a StatsBomb player with the same number as a Wyscout one is a
    different player (unique per club, provider and id), and Wyscout's next file still finds
    its own."""
    coach = register_coach(client, club_name="Juventus")
    _provider, events, _meta = case_bytes("wyscout_v3")
    assert post(client, coach, events).status_code == 201
    with app.app_context():
        taken = db.session.scalars(
            select(Player).where(
                Player.club_id == uuid.UUID(coach.club_id), Player.external_id.is_not(None)
            )
        ).first()
        assert taken.provider == "wyscout"
        db.session.add(
            Player(
                club_id=taken.club_id,
                player_name="Someone Else",
                provider="statsbomb",
                external_id=taken.external_id,
                invite_code="TWIN-0001",
            )
        )
        db.session.commit()  # no unique clash: another provider's number
    before = _squad(client, coach)
    again = post(client, coach, _second_wyscout_file("Frabotta"), match_date="2024-05-08")
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["summary"]["our_players_created"] == 0
    assert _squad(client, coach) == before


def _is_rate(name: str) -> bool:
    return name.endswith(("_rate", "_percentage"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_statistics_a_provider_cannot_give_are_stored_as_0(client, app, case):
    """A counting statistic listed in missing_statistics is stored as 0 (read "not
    available" through data_source), never null; a rate follows statistics.md rule 3 (null when
    its whole is 0), so it is only checked to be a number or null."""
    from spinta.models import MatchStatistics, PlayerMatchStatistics

    coach = register_coach(client, club_name="Grassroots United")
    _provider, events, meta = case_bytes(case)
    body = post(client, coach, events, meta, our_team="away").get_json()
    missing = {item["statistic"] for item in body["data_source"]["missing_statistics"]}
    match_id = uuid.UUID(body["match_id"])
    with app.app_context():
        for model in (MatchStatistics, PlayerMatchStatistics):
            columns = {c.name for c in model.__table__.columns}
            rows = db.session.scalars(select(model).where(model.match_id == match_id)).all()
            assert rows, model
            for name in sorted(missing & columns):
                values = {getattr(row, name) for row in rows}
                if _is_rate(name):
                    assert all(v is None or isinstance(v, int | float) for v in values), name
                else:
                    assert values == {0}, (case, model.__tablename__, name, values)
