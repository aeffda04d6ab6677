"""A player's data across providers: his export and erasure find his goals, events and the
names files gave him in every match by his id in that match (his lineup row's), not only by
the first provider's id kept on his squad row."""

from __future__ import annotations

import uuid

import pytest
from provider_files import case_bytes
from sqlalchemy import select
from test_providers_upload import post

from spinta.extensions import db
from spinta.models import Event, Goal, MatchLineup, Player
from spinta.services import privacy
from tests.factories import register_coach

pytestmark = pytest.mark.filterwarnings("ignore")


def _scorer(match_id: uuid.UUID) -> Player:
    """Our squad player who scored in the match (his lineup row links him)."""
    goal = db.session.scalars(
        select(Goal).where(Goal.match_id == match_id, Goal.is_our_goal.is_(True))
    ).first()
    assert goal is not None and goal.scorer_external_id is not None
    lineup = db.session.scalar(
        select(MatchLineup).where(
            MatchLineup.match_id == match_id, MatchLineup.external_id == goal.scorer_external_id
        )
    )
    return db.session.get(Player, lineup.player_id)


def test_export_and_erasure_find_him_by_each_matchs_own_id(client):
    coach = register_coach(client, club_name="Grassroots United")
    _provider, events, meta = case_bytes("statsperform_json")
    body = post(client, coach, events, meta, our_team="home").get_json()
    match_id = uuid.UUID(body["match_id"])
    player = _scorer(match_id)
    own_id = player.external_id
    # As if another provider's file had named him first: his squad row keeps that id.
    player.provider, player.external_id = "statsbomb", 2_000_000_001
    db.session.commit()

    tables = privacy.export_tables(player)
    assert tables["goals"], "his goal in the other provider's match"
    his_events = db.session.scalars(
        select(Event).where(Event.match_id == match_id, Event.player_id == own_id)
    ).all()
    assert len(tables["events"]) == len(his_events) > 0
    spelled = {event.player_name for event in his_events} - {None}
    assert spelled

    assert privacy.erase_player(player)
    db.session.expire_all()
    names = set(
        db.session.scalars(
            select(Event.player_name).where(Event.match_id == match_id, Event.player_id == own_id)
        )
    )
    assert not names & spelled  # the file's spelling of his name is gone from its events
