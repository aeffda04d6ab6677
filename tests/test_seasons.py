"""Teams and seasons (issue 17): every club has a team, every match a team and the season that
contains its date; seasons are created as matches arrive and never overlap."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from spinta.extensions import db
from spinta.models import Match, Season, Team, TeamPlayer
from spinta.services.teams import natural_season, season_for
from tests.factories import register_coach
from tests.world import tiny_match, upload_json


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (date(2022, 12, 18), "08-01", ("2022/23", date(2022, 8, 1), date(2023, 7, 31))),
        (date(2022, 8, 1), "08-01", ("2022/23", date(2022, 8, 1), date(2023, 7, 31))),
        (date(2022, 7, 31), "08-01", ("2021/22", date(2021, 8, 1), date(2022, 7, 31))),
        (date(1999, 12, 31), "08-01", ("1999/00", date(1999, 8, 1), date(2000, 7, 31))),
        (date(2024, 2, 29), "03-01", ("2023/24", date(2023, 3, 1), date(2024, 2, 29))),
        (date(2022, 5, 5), "01-01", ("2022", date(2022, 1, 1), date(2022, 12, 31))),
    ],
)
def test_a_date_falls_in_the_season_named_after_its_years(day, start, expected):
    assert natural_season(day, start) == expected


def test_a_new_club_has_one_team_named_after_it(client, app):
    coach = register_coach(client, club_name="Lions", age_group="U12")
    with app.app_context():
        teams = db.session.scalars(select(Team).where(Team.club_id == uuid.UUID(coach.club_id)))
        assert [(t.name, t.age_group, t.format) for t in teams] == [("Lions", "U12", "11v11")]


def test_matches_get_the_team_and_the_season_of_their_date(client, app):
    coach = register_coach(client, club_name="Home FC")
    for variant, day in enumerate(("2023-07-31", "2023-08-01", "2024-05-05"), start=1):
        response = upload_json(client, coach, tiny_match(variant=variant), match_date=day)
        assert response.status_code == 201, response.get_json()
    with app.app_context():
        club_id = uuid.UUID(coach.club_id)
        (team,) = db.session.scalars(select(Team).where(Team.club_id == club_id))
        rows = db.session.execute(
            select(Match.match_date, Season.name, Match.team_id)
            .join(Season, Season.id == Match.season_id)
            .order_by(Match.match_date)
        ).all()
        assert [(str(d), name) for d, name, _ in rows] == [
            ("2023-07-31", "2022/23"),
            ("2023-08-01", "2023/24"),
            ("2024-05-05", "2023/24"),
        ]
        assert {team_id for *_, team_id in rows} == {team.id}
        seasons = db.session.scalars(select(Season).where(Season.club_id == club_id)).all()
        assert len(seasons) == 2
        # Every lineup player of ours is in the team's squad for the season he played in.
        squad = db.session.execute(select(TeamPlayer.season_id, TeamPlayer.player_id)).all()
        assert squad and {season for season, _ in squad} == {s.id for s in seasons}


def test_an_automatic_season_stops_short_of_its_neighbours(client, app):
    coach = register_coach(client)
    with app.app_context():
        club_id = uuid.UUID(coach.club_id)
        from spinta.models import Club

        club = db.session.get(Club, club_id)
        db.session.add(
            Season(
                club_id=club_id,
                name="Spring",
                start_date=date(2023, 3, 1),
                end_date=date(2023, 9, 30),
            )
        )
        db.session.flush()
        before = season_for(club, date(2023, 1, 10))
        after = season_for(club, date(2023, 12, 1))
        assert (before.name, before.start_date, before.end_date) == (
            "2022/23",
            date(2022, 8, 1),
            date(2023, 2, 28),
        )
        assert (after.name, after.start_date, after.end_date) == (
            "2023/24",
            date(2023, 10, 1),
            date(2024, 7, 31),
        )
        assert season_for(club, date(2023, 6, 1)).name == "Spring"
        db.session.rollback()
