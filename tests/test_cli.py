"""`flask spinta ...` operator commands."""

from sqlalchemy import select

from spinta.extensions import db
from spinta.models import User


def test_create_coach(runner, app):
    result = runner.invoke(
        args=[
            "spinta",
            "create-coach",
            "--email",
            "Ops@Example.com",
            "--full-name",
            "Op Coach",
            "--club-name",
            "Ops FC",
            "--age-group",
            "U12",
        ],
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created coach ops@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ops@example.com"))
        assert user.coach.club.age_group == "U12"


def test_create_coach_rejects_bad_input(runner, app):
    result = runner.invoke(
        args=[
            "spinta",
            "create-coach",
            "--email",
            "nope",
            "--full-name",
            "Op Coach",
            "--club-name",
            "Ops FC",
            "--age-group",
            "",
        ],
        input="secret-pass-1\nsecret-pass-1\n",
    )
    assert result.exit_code != 0
    assert "email" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def _statsbomb(name):
    from tests.conftest import statsbomb_file

    return str(statsbomb_file(name))


def test_import_match_and_recompute_stats(runner, app, client):
    import uuid

    from sqlalchemy import func

    from spinta.models import ClubSeasonStatistics, Match, MatchStatistics
    from tests.factories import register_coach

    coach = register_coach(client, club_name="Argentina")
    path = _statsbomb("argentina-croatia-2022-12-13.json")
    result = runner.invoke(
        args=["spinta", "import-match", path, "--coach", coach.email, "--date", "2022-12-13"]
    )
    assert result.exit_code == 0, result.output
    assert "3-0 (win)" in result.output
    again = runner.invoke(
        args=["spinta", "import-match", path, "--coach", coach.email, "--date", "2022-12-13"]
    )
    assert again.exit_code != 0 and "already uploaded" in again.output
    unknown = runner.invoke(
        args=["spinta", "import-match", path, "--coach", "nobody@x.io", "--date", "2022-12-13"]
    )
    assert unknown.exit_code != 0 and "No coach" in unknown.output

    with app.app_context():
        # Corrupt a derived number: recompute-stats must re-derive it from the stored events.
        row = db.session.scalar(select(MatchStatistics).where(MatchStatistics.is_our_team))
        expected_shots = row.total_shots
        row.total_shots = 999
        db.session.commit()
        detail = f"/api/coach/matches/{row.match_id}"

    def shots_on_screen() -> int:
        body = client.get(detail, headers=coach.headers).get_json()
        return body["statistics"]["attacking"]["total_shots"]["our_team"]

    assert shots_on_screen() == 999  # read (and cached) before the re-analysis
    result = runner.invoke(args=["spinta", "recompute-stats", "--club", coach.club_id])
    assert result.exit_code == 0, result.output
    assert "Re-analysed 1 matches in 1 clubs." in result.output
    assert shots_on_screen() == expected_shots  # the re-analysis invalidated the cached screen
    with app.app_context():
        row = db.session.scalar(select(MatchStatistics).where(MatchStatistics.is_our_team))
        assert row.total_shots == expected_shots
        assert db.session.scalar(select(func.count(Match.id))) == 1
        season = db.session.get(ClubSeasonStatistics, uuid.UUID(coach.club_id))
        assert season.avg_total_shots == expected_shots
    bad = runner.invoke(args=["spinta", "recompute-stats", "--club", "not-a-uuid"])
    assert bad.exit_code != 0


def test_demo_loads_the_shared_matches(runner, app):
    from sqlalchemy import func

    from spinta.models import Match

    _statsbomb("argentina-mexico-2022-11-26.json")
    result = runner.invoke(args=["spinta", "demo"])
    assert result.exit_code == 0, result.output
    assert "Created coach demo@spinta.local" in result.output
    again = runner.invoke(args=["spinta", "demo"])
    assert again.exit_code == 0 and again.output.count("already loaded") == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(Match.id))) == 3
