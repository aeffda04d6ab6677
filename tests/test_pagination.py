"""Every list endpoint pages the same way: ``limit`` (1-100, default 20), ``offset`` (>= 0),
``total_count`` of the whole list (api.md, "Conventions" and "Small additions")."""

from __future__ import annotations

import pytest

from tests.world import seeded_world

# (path, who asks, the list's key in the body): every list endpoint of the API.
LISTS = [
    ("/api/coach/matches", "coach_a", "matches"),
    ("/api/coach/players", "coach_a", "players"),
    ("/api/player/matches", "a1", "matches"),
    ("/api/player/training", "a1", "training_plans"),
    ("/api/chat/sessions/{session_a}/messages", "coach_a", "messages"),
    ("/api/coach/matches/{match_a}/events", "coach_a", "events"),
    ("/api/guardian/children/{a1_id}/matches", "g_a1", "matches"),
    ("/api/guardian/children/{a1_id}/training", "g_a1", "training_plans"),
    ("/api/coach/matches/{match_a}/possessions", "coach_a", "possessions"),
]


@pytest.fixture
def world(client, app):
    return seeded_world(client, app)


def _get(client, world, path: str, who: str, **query):
    account = getattr(world, who)
    return client.get(
        path.format(session_a=world.session_a, match_a=world.match_a, a1_id=world.a1.player_id),
        headers=account.headers,
        query_string=query,
    )


@pytest.mark.parametrize(("path", "who", "key"), LISTS)
def test_every_list_pages_the_same_way(client, world, path, who, key):
    whole = _get(client, world, path, who, limit=100).get_json()
    total = whole["total_count"]
    assert total == len(whole[key]) and total >= 1
    first = _get(client, world, path, who, limit=1).get_json()
    assert len(first[key]) == 1 and first["total_count"] == total
    rest = _get(client, world, path, who, limit=100, offset=1).get_json()
    assert first[key] + rest[key] == whole[key] or rest[key] + first[key] == whole[key]
    assert _get(client, world, path, who, offset=total).get_json()[key] == []
    for query in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "five"}):
        response = _get(client, world, path, who, **query)
        assert response.status_code == 422, (path, query)
        body = response.get_json()
        assert body["detail"] == body["message"] and set(body["errors"]) == set(query)


def test_the_list_endpoints_are_every_paged_list_in_the_document(client):
    """Any operation answering ``total_count`` takes ``limit`` and ``offset`` (a new list
    endpoint without them fails here), and LISTS names every one of them."""
    document = client.get("/openapi.json").get_json()
    paged = set()
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        content = get["responses"]["200"].get("content", {})
        if "application/json" not in content:
            continue  # a picture, a page, a PDF or a file (the data exports' ZIP)
        schema = content["application/json"]["schema"]
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        properties = document["components"]["schemas"].get(ref, {}).get("properties", {})
        if "total_count" not in properties:
            continue
        params = {p["name"]: p["schema"] for p in get.get("parameters", []) if p["in"] == "query"}
        assert params["limit"]["minimum"] == 1 and params["limit"]["maximum"] == 100, path
        assert params["limit"]["default"] == 20 and params["offset"]["minimum"] == 0, path
        paged.add(path)
    listed = {
        p.replace("{session_a}", "{session_id}")
        .replace("{match_a}", "{match_id}")
        .replace("{a1_id}", "{player_id}")
        for p, _who, _key in LISTS
    }
    assert paged == listed
