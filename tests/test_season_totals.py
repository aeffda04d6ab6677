"""Season rows kept one match at a time equal the full recompute (issue 21).

An upload adds its match's share to its team's season rows, a delete takes it away; neither
re-reads the history. A property test runs random sequences of uploads and deletes (matches of
two teams over two seasons, random statistics) and after every step compares each stored row
with what the full recompute (``recompute_club``) writes from every stored match: integers and
texts exactly, floats to 1e-9 relative (sums in another order differ in the last bits).
"""

from __future__ import annotations

import math
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from spinta import analytics
from spinta.analytics.totals import add_totals, club_match_totals, club_season_from_totals
from spinta.extensions import db
from spinta.models import (
    Club,
    ClubSeasonStatistics,
    Match,
    MatchStatistics,
    PlayerMatchStatistics,
    PlayerSeasonStatistics,
)
from spinta.services.seasons import apply_match, match_share, recompute_club, subtract_match
from spinta.services.teams import default_team, new_team, season_for
from tests.factories import add_player, register_coach

SMALL = st.integers(min_value=0, max_value=6)
XG = st.floats(min_value=0, max_value=3, allow_nan=False).map(lambda v: round(v, 3))

team_stats = st.fixed_dictionaries(
    {
        "total_passes": st.integers(0, 600),
        "passes_completed": st.integers(0, 500),
        "total_tackles": SMALL,
        "tackles_won": SMALL,
        "expected_goals": XG,
        "possession_percentage": st.one_of(st.none(), st.floats(20, 80).map(lambda v: round(v, 1))),
    }
)
player_line = st.fixed_dictionaries(
    {
        "is_starter": st.booleans(),
        "minutes_played": st.floats(1, 95).map(lambda v: round(v, 4)),
        "goals": SMALL,
        "assists": SMALL,
        "total_passes": st.integers(0, 80),
        "passes_completed": st.integers(0, 70),
        "interceptions": SMALL,
        "expected_goals": XG,
        "pressures": st.integers(0, 20),
    }
)
match_spec = st.fixed_dictionaries(
    {
        "team": st.integers(0, 1),
        "day": st.integers(0, 500),  # from 2022-06-01: two or three seasons
        "score": st.tuples(SMALL, SMALL),
        "stats": team_stats,
        "players": st.dictionaries(st.integers(0, 5), player_line, min_size=1, max_size=6),
    }
)
# ("up", spec) uploads a match; ("del", n) deletes the n-th stored match (mod their number).
steps = st.lists(
    st.one_of(st.tuples(st.just("up"), match_spec), st.tuples(st.just("del"), st.integers(0, 99))),
    min_size=1,
    max_size=12,
)


def _store(club: Club, team_id, players, spec, n: int) -> uuid.UUID:
    day = date(2022, 6, 1) + timedelta(days=spec["day"])
    ours, theirs = spec["score"]
    result = "W" if ours > theirs else "L" if ours < theirs else "D"
    match = Match(
        id=uuid.uuid4(),
        club_id=club.id,
        team_id=team_id,
        season_id=season_for(club, day).id,
        opponent_name="Them",
        match_date=day,
        our_score=ours,
        opponent_score=theirs,
        result=result,
        derived_our_score=ours,
        derived_opponent_score=theirs,
        our_external_id=1,
        opponent_external_id=2,
        source_fingerprint=f"fp-{n}-{uuid.uuid4().hex}",
        warnings=[],
    )
    db.session.add(match)
    db.session.flush()
    db.session.add(
        MatchStatistics(
            match_id=match.id,
            is_our_team=True,
            team_external_id=1,
            team_name="Us",
            **spec["stats"],
        )
    )
    for index, line in spec["players"].items():
        db.session.add(
            PlayerMatchStatistics(
                match_id=match.id,
                is_our_team=True,
                player_id=players[index],
                external_id=100 + index,
                player_name=f"P{index}",
                **line,
            )
        )
    db.session.flush()
    return match.id


def _snapshot(club_id) -> dict:
    """Every stored season row of the club, keyed, as plain values."""
    rows = {}
    for model in (ClubSeasonStatistics, PlayerSeasonStatistics):
        columns = [c.key for c in model.__table__.c if c.key != "updated_at"]
        for row in db.session.scalars(select(model).where(model.club_id == club_id)):
            key = (model.__tablename__, row.team_id, row.season_id, getattr(row, "player_id", None))
            rows[key] = {name: getattr(row, name) for name in columns}
    return rows


def _same(left: dict, right: dict) -> bool:
    assert left.keys() == right.keys()
    for key, values in left.items():
        for name, value in values.items():
            other = right[key][name]
            if isinstance(value, float) or isinstance(other, float):
                assert value is not None and other is not None, (key, name, value, other)
                assert math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9), (key, name)
            else:
                assert value == other, (key, name, value, other)
    return True


@pytest.fixture
def club_with_two_teams(client, app):
    coach = register_coach(client, club_name="Lions")
    players = [add_player(app, coach.club_id, name=f"Player {n}", jersey=n).id for n in range(6)]
    with app.app_context():
        club = db.session.get(Club, uuid.UUID(coach.club_id))
        teams = [default_team(club.id).id, new_team(club, name="Lions B", age_group="U12").id]
        db.session.commit()
    return uuid.UUID(coach.club_id), teams, players


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_incremental_season_rows_equal_the_full_recompute(app, club_with_two_teams, sequence):
    club_id, teams, players = club_with_two_teams
    with app.app_context():
        club = db.session.get(Club, club_id)
        stored: list[uuid.UUID] = []
        try:
            for n, (kind, value) in enumerate(sequence):
                if kind == "up":
                    stored.append(_store(club, teams[value["team"]], players, value, n))
                    apply_match(stored[-1])
                elif stored:
                    match_id = stored.pop(value % len(stored))
                    share = match_share(match_id)
                    db.session.execute(delete(Match).where(Match.id == match_id))
                    subtract_match(share)
                db.session.flush()
                incremental = _snapshot(club_id)
                savepoint = db.session.begin_nested()
                recompute_club(club_id)
                db.session.flush()
                full = _snapshot(club_id)
                savepoint.rollback()
                assert _same(incremental, full)
        finally:
            db.session.rollback()


@settings(max_examples=200)
@given(
    matches=st.lists(
        st.fixed_dictionaries(
            {
                "match_date": st.dates(date(2022, 1, 1), date(2022, 12, 31)),
                "upload_order": st.integers(0, 10**6),
                "our_score": SMALL,
                "opponent_score": SMALL,
                "assists": SMALL,
                "team_stats": team_stats,
            }
        ),
        max_size=8,
    )
)
def test_season_from_sums_equals_the_season_from_matches(matches):
    """The analytics side alone: adding each match's sums gives the season computed from the
    match list (form comes from the latest results, which sums cannot hold)."""
    expected = analytics.compute_club_season(matches)
    totals: dict[str, float] = {}
    for match in matches:
        totals = add_totals(totals, club_match_totals(match))
    got = club_season_from_totals(totals, expected.team_form)
    for name, value in expected.to_dict().items():
        other = got.to_dict()[name]
        if isinstance(value, float):
            assert math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-12), name
        else:
            assert value == other, name
