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
