"""The screen cache (spinta.screen_cache) never answers what a fresh read would not.

Every write route of the authorization matrix, done by its owner on the seeded world, is
followed by a read of every coach and player screen of club A; each answer must equal the one
computed with the cache emptied. The screens are those of the registry (every ``screen(...)``
declaration), not a list kept here. A write that committed without ``commit_club_write`` fails
here as soon as it changes anything a screen shows.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import itertools
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from spinta import screen_cache as screen_cache_module
from spinta.extensions import db
from spinta.models import User
from spinta.screen_cache import SCREENS, ScreenCache, cached_screen_rules, screen_cache
from spinta.services import screens as screens_module
from tests.conftest import is_login_read, recorded_statements, requires_postgres, writes_access_log
from tests.factories import PASSWORD, Account, register_coach, register_player
from tests.test_authorization_matrix import MATRIX, bad_token, call, owner_of, revoke
from tests.world import ROUTE_APP, World, assert_contract, seeded_world, url, write_routes


# Values for the path arguments of the screens of club A; a new argument fails here until it
# gets its values.
def path_values(w: World) -> dict[str, list[str]]:
    return {
        "match_id": [w.match_a],
        "player_id": [w.a1.player_id, w.a2.player_id],
        "team_id": [w.team_a],
    }


def paged(view) -> list[str]:
    """A query string that pages the screen, from the view's own parameters."""
    parameters = inspect.signature(view).parameters
    if "matches_limit" in parameters:
        return ["?matches_limit=1&matches_offset=1"]
    if "limit" in parameters:
        return ["?limit=1&offset=1"]
    return []


def screen_paths(w: World, rule) -> list[str]:
    values = path_values(w)
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule}: give path_values a value for {sorted(missing)}"
    names = sorted(rule.arguments)
    return [
        url(rule.endpoint, **dict(zip(names, combination, strict=True)))
        for combination in itertools.product(*(values[name] for name in names))
    ]


def screens(w: World) -> list[tuple[str, str]]:
    """(token, path) of every cached screen of the registry (spinta.screen_cache.SCREENS) for
    club A's coach or both its players, plain and paged; paths that do not answer 200 for that
    reader (a player who did not play the match) are left out by :func:`readable_screens`."""
    readers = {"coach": [w.coach_a.token], "player": [w.a1.token, w.a2.token]}
    found = []
    for declared, rule in cached_screen_rules(ROUTE_APP):
        for path in screen_paths(w, rule):
            for query in ["", *paged(declared.view)]:
                found += [(token, path + query) for token in readers[declared.role]]
    return found


def readable_screens(client, w: World) -> list[tuple[str, str]]:
    readable = [
        (token, path)
        for token, path in screens(w)
        if client.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    ]
    served = {path.split("?")[0] for _token, path in readable}
    for _declared, rule in cached_screen_rules(ROUTE_APP):
        assert any(path in served for path in screen_paths(w, rule)), rule.rule
    return readable


def test_the_registry_holds_every_cached_screen():
    """Each declared screen is served by exactly one GET route, and every view that reads the
    screen cache is declared (it cannot be cached without ``screen(...)``)."""
    rules = cached_screen_rules(ROUTE_APP)
    assert len(rules) == len(SCREENS) == 11
    assert {declared.role for declared, _ in rules} == {"coach", "player"}
    assert all(rule.methods >= {"GET"} and "POST" not in rule.methods for _, rule in rules)
    assert sorted(rule.endpoint for _, rule in rules) == [
        "coach.dashboard",
        "coach.list_players",
        "coach.match_detail",
        "coach.player_detail",
        "coach.player_match",
        "coach.profile",
        "coach.team_playing_time",
        "player.dashboard",
        "player.list_matches",
        "player.match_detail",
        "player.profile",
    ]


def read_all(client, w: World, paths) -> dict[str, tuple[int, object]]:
    """Status and body of every screen (error bodies by status only)."""
    answers = {}
    for token, path in paths:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        body = response.get_json() if response.status_code == 200 else None
        answers[f"{token[-8:]} {path}"] = (response.status_code, body)
    return answers


WRITES = [
    pytest.param(endpoint, method, id=f"{endpoint}-{method}")
    for endpoint, method, _rule in write_routes()
    if endpoint in MATRIX
]


@pytest.mark.parametrize(("endpoint", "method"), WRITES)
def test_no_screen_is_stale_after_a_write(client, app, endpoint, method):
    w = seeded_world(client, app)
    paths = readable_screens(client, w)
    before = read_all(client, w, paths)
    assert all(status == 200 for status, _ in before.values()), before

    case = MATRIX[endpoint]
    body = case.body(w) if case.body else None
    response = call(client, method, url(endpoint, **case.params(w)), owner_of(case, w).token, body)
    assert response.status_code == case.owner, response.get_json()
    if endpoint == "auth.change_password":  # the old token is revoked; read with the new one
        w.coach_a.token = response.get_json()["token"]

    served = read_all(client, w, paths)
    screen_cache(app).clear()
    assert served == read_all(client, w, paths)


def test_a_player_signing_up_refreshes_the_coach_screens(client, app):
    """The one public write that changes a club's screens: an invite code redeemed."""
    w = seeded_world(client, app)
    headers = w.coach_a.headers
    squad = client.get("/api/coach/players", headers=headers).get_json()
    pending = next(p for p in squad["players"] if not p["is_linked"])
    code = next(p["invite_code"] for p in w.squad_a if p["player_id"] == pending["player_id"])
    response = client.post(
        "/api/auth/register/player",
        json={
            "invite_code": code,
            "player_name": "Newly Joined",
            "email": "newly-joined@example.com",
            "password": "a-long-password-1",
            "birth_date": "2011-01-01",
            "height": 160,
        },
    )
    assert response.status_code == 201, response.get_json()
    after = client.get("/api/coach/players", headers=headers).get_json()
    assert after["summary"]["joined"] == squad["summary"]["joined"] + 1
    joined = next(p for p in after["players"] if p["player_id"] == pending["player_id"])
    assert joined["is_linked"] and joined["player_name"] == "Newly Joined"


def test_a_squad_correction_refreshes_the_cached_screens(client, app):
    w = seeded_world(client, app)
    headers = w.coach_a.headers
    squad = client.get("/api/coach/players", headers=headers).get_json()  # now cached
    assert next(p for p in squad["players"] if p["player_id"] == w.a1.player_id)
    response = client.patch(
        f"/api/coach/players/{w.a1.player_id}", headers=headers, json={"jersey_number": 88}
    )
    assert response.status_code == 200, response.get_json()
    after = client.get("/api/coach/players", headers=headers).get_json()
    assert (
        next(p for p in after["players"] if p["player_id"] == w.a1.player_id)["jersey_number"] == 88
    )
    card = client.get("/api/player/dashboard", headers=w.a1.headers).get_json()["player"]
    assert card["jersey_number"] == 88


def test_a_cached_age_changes_on_the_birthday(client, app, monkeypatch):
    """The key holds the date: "15 years" is not served from the cache on the 16th birthday."""
    w = seeded_world(client, app)  # A1 was born on 2010-05-01

    def today_is(day: date) -> None:
        class Today(date):
            @classmethod
            def today(cls) -> date:
                return day

        monkeypatch.setattr(screen_cache_module, "date", Today)
        monkeypatch.setattr(screens_module, "date", Today)

    path = f"/api/coach/players/{w.a1.player_id}"
    today_is(date(2026, 4, 30))
    assert client.get(path, headers=w.coach_a.headers).get_json()["player"]["age"] == "15 years"
    assert client.get(path, headers=w.coach_a.headers).get_json()["player"]["age"] == "15 years"
    today_is(date(2026, 5, 1))
    assert client.get(path, headers=w.coach_a.headers).get_json()["player"]["age"] == "16 years"


def test_the_cache_is_bounded_and_can_be_turned_off():
    bounded = ScreenCache(entries=2)
    for n in range(3):
        bounded.put(("key", n), b"%d" % n)
    assert bounded.get(("key", 0)) is None  # the least recently used entry went first
    assert bounded.get(("key", 2)) == b"2"
    off = ScreenCache(entries=0)  # SCREEN_CACHE_ENTRIES=0
    off.put(("key",), b"body")
    assert off.get(("key",)) is None


# ---------------------------------------------------------------- the fast path never over-serves


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def cache_read(client, app, path: str, account: Account) -> None:
    """Read ``path`` twice with a valid token: the second answer is a cache hit (the fast-path
    check is its only read; a personal screen also writes its access-log entry)."""
    first = client.get(path, headers=account.headers)
    assert first.status_code == 200, (path, first.get_json())
    with recorded_statements(app) as statements:
        again = client.get(path, headers=account.headers)
    assert again.status_code == 200 and again.get_data() == first.get_data(), path
    reads = [s for s in statements if not s.startswith("INSERT INTO access_log")]
    assert len(reads) == 1, (path, statements)


def coach_and_player_screens(w: World) -> list[tuple[Account, str]]:
    return [
        (w.coach_a, "/api/coach/dashboard"),
        (w.coach_a, f"/api/coach/players/{w.a1.player_id}"),
        (w.a1, "/api/player/dashboard"),
        (w.a1, f"/api/player/matches/{w.match_a}"),
    ]


def test_a_revoked_token_is_refused_on_a_cached_screen(client, app):
    w = seeded_world(client, app)
    for account, path in coach_and_player_screens(w):
        cache_read(client, app, path, account)
    old = {"coach": w.coach_a.token, "player": w.a1.token}
    revoke(client, w.coach_a)  # change-password: no screen changes, only the token version
    revoke(client, w.a1)
    for account, path in coach_and_player_screens(w):
        token = old["coach" if account is w.coach_a else "player"]
        response = client.get(path, headers=bearer(token))
        assert_contract(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def login_again(client, account: Account) -> str:
    response = client.post("/api/auth/login", json={"email": account.email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def test_a_logged_out_token_is_refused_on_a_cached_screen(client, app):
    w = seeded_world(client, app)
    for account, path in coach_and_player_screens(w):
        cache_read(client, app, path, account)
    second = {  # another session of each account, not logged out
        account.user_id: login_again(client, account) for account in (w.coach_a, w.a1)
    }
    for account in (w.coach_a, w.a1):
        assert client.post("/api/auth/logout", headers=account.headers).status_code == 200
    for account, path in coach_and_player_screens(w):
        response = client.get(path, headers=account.headers)
        assert_contract(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert client.get(path, headers=bearer(second[account.user_id])).status_code == 200


def test_a_reissued_invite_code_shows_on_the_cached_player_screen(client, app):
    w = seeded_world(client, app)
    pending = next(p for p in w.squad_a if p["player_id"] != w.a1.player_id)
    path = f"/api/coach/players/{pending['player_id']}"
    cache_read(client, app, path, w.coach_a)
    before = client.get(path, headers=w.coach_a.headers).get_json()
    assert before["invite_code"] == pending["invite_code"]
    issued = client.post(f"{path}/invite-code", headers=w.coach_a.headers)
    assert issued.status_code == 201, issued.get_json()
    after = client.get(path, headers=w.coach_a.headers).get_json()
    assert after["invite_code"] == issued.get_json()["invite_code"] != pending["invite_code"]
    assert after["invite_expires_at"] == issued.get_json()["expires_at"]


def test_the_wrong_role_is_refused_on_a_cached_screen(client, app):
    w = seeded_world(client, app)
    for account, path in coach_and_player_screens(w):
        cache_read(client, app, path, account)
        intruder = w.a1 if account is w.coach_a else w.coach_a
        assert_contract(client.get(path, headers=intruder.headers), 403)


@pytest.mark.parametrize("kind", ["expired", "bad_signature", "alg_none", "malformed"])
def test_a_bad_token_is_refused_on_a_cached_screen(client, app, kind):
    w = seeded_world(client, app)
    for account, path in coach_and_player_screens(w):
        cache_read(client, app, path, account)
        response = client.get(path, headers=bearer(bad_token(app, kind, account)))
        assert_contract(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_deleted_users_token_is_refused_on_a_cached_screen(client, app):
    w = seeded_world(client, app)
    doomed_coach = register_coach(client, club_name="Doomed FC")
    doomed_player = register_player(client, app, w.coach_a.club_id, name="Doomed Player", jersey=99)
    screens_read = [
        (doomed_coach, "/api/coach/dashboard"),
        (doomed_coach, "/api/coach/profile"),
        (doomed_player, "/api/player/dashboard"),
        (doomed_player, "/api/player/profile"),
    ]
    for account, path in screens_read:
        cache_read(client, app, path, account)
    with app.app_context():
        for account in (doomed_coach, doomed_player):
            db.session.delete(db.session.get(User, uuid.UUID(account.user_id)))
        db.session.commit()
    for account, path in screens_read:
        response = client.get(path, headers=account.headers)
        assert_contract(response, 401)
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_with_the_cache_off_every_read_is_computed(client, app, monkeypatch):
    """SCREEN_CACHE_ENTRIES=0: no fast-path query, every read runs the guard and the screen."""
    w = seeded_world(client, app)
    path = "/api/coach/dashboard"
    monkeypatch.setitem(app.extensions, "spinta.screen_cache", ScreenCache(entries=0))
    first = client.get(path, headers=w.coach_a.headers)
    with recorded_statements(app) as statements:
        again = client.get(path, headers=w.coach_a.headers)
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert len(statements) > 1
    assert not any(is_login_read(sql) for sql in statements)  # no fast path


@contextlib.contextmanager
def sessions_begun() -> Iterator[list[object]]:
    """The ORM sessions that began a transaction inside the block."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    begun: list[object] = []

    def record(session, _transaction, _connection):
        begun.append(session)

    event.listen(Session, "after_begin", record)
    try:
        yield begun
    finally:
        event.remove(Session, "after_begin", record)


def test_a_hit_reads_the_login_outside_the_session(client, app):
    """A cache hit reads the login on a connection of its own: the request's ORM session never
    begins (no transaction to start and roll back); a miss renders in the session."""
    w = seeded_world(client, app)
    path = "/api/coach/dashboard"
    with sessions_begun() as begun:
        first = client.get(path + "?x=1", headers=w.coach_a.headers)  # a miss
    assert first.status_code == 200 and begun
    with sessions_begun() as begun, recorded_statements(app) as statements:
        hit = client.get(path + "?x=1", headers=w.coach_a.headers)
    assert hit.status_code == 200 and hit.get_data() == first.get_data()
    assert [sql for sql in statements if is_login_read(sql)]
    assert begun == []


def test_an_audited_hit_writes_its_access_log_entry_outside_the_session(client, app):
    """A personal screen read from the cache: the login read and the access-log entry each
    run on a connection of their own, the ORM session never begins, and the entry is there."""
    from sqlalchemy import func, select

    from spinta.models import AccessLogEntry

    w = seeded_world(client, app)
    path = f"/api/coach/players/{w.a1.player_id}"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200  # cached now
    with app.app_context():
        before = db.session.scalar(select(func.count(AccessLogEntry.id)))
    with sessions_begun() as begun, recorded_statements(app) as statements:
        assert client.get(path, headers=w.coach_a.headers).status_code == 200
    assert begun == []
    assert [sql for sql in statements if writes_access_log(sql)]
    with app.app_context():
        assert db.session.scalar(select(func.count(AccessLogEntry.id))) == before + 1


@requires_postgres
@pytest.mark.parametrize("prepared", [True, False])
@pytest.mark.parametrize("reader", ["coach", "player"])
def test_an_audited_hit_reads_the_login_and_writes_its_entry_in_one_statement(
    client, app, monkeypatch, reader, prepared
):
    """On PostgreSQL a cached personal screen costs one statement: the login read and its
    access-log entry together (it was two round trips, and half the screen's throughput),
    prepared or (DB_PREPARED_STATEMENTS=false) plain."""
    monkeypatch.setitem(app.config, "DB_PREPARED_STATEMENTS", prepared)
    w = seeded_world(client, app)
    account, path = (
        (w.coach_a, f"/api/coach/players/{w.a1.player_id}")
        if reader == "coach"
        else (w.a1, "/api/player/dashboard")
    )
    assert client.get(path, headers=account.headers).status_code == 200  # cached now
    before = _access_log_count(app, w.a1.player_id)
    with recorded_statements(app) as statements:
        assert client.get(path, headers=account.headers).status_code == 200
    assert _access_log_count(app, w.a1.player_id) == before + 1
    login = "FROM users JOIN " + {"coach": "coaches", "player": "players"}[reader]
    [statement] = [sql for sql in statements if "access_log" in sql or "spinta_login" in sql]
    if prepared:  # the server holds the statement's text
        assert statement.startswith(f"EXECUTE spinta_login_{reader}_audited")
        with app.app_context(), db.engine.connect() as connection:
            defined = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_prepared_statements WHERE name = %(name)s "
                "AND statement LIKE %(text)s",
                {
                    "name": statement.split()[1].split("(")[0],
                    "text": f"%{login}%INSERT INTO access_log%",
                },
            )
            assert defined.scalar() == 1
    else:
        assert login in statement and "INSERT INTO access_log" in statement


def _access_log_count(app, player_id: str) -> int:
    from sqlalchemy import func, select

    from spinta.models import AccessLogEntry

    with app.app_context():
        counted = select(func.count(AccessLogEntry.id))
        return db.session.scalar(counted.where(AccessLogEntry.player_id == uuid.UUID(player_id)))


@pytest.mark.parametrize(
    ("query", "status"),
    [("?limit=abc", 422), (f"?team_id={uuid.uuid4()}", 404), ("?season_id=x", 422)],
)
def test_a_personal_screen_answered_with_an_error_leaves_no_access_log_entry(
    client, app, query, status
):
    """The fast path may write the entry before the view answers (PostgreSQL): an answer
    other than 2xx takes it back, so the log holds exactly the reads that were answered."""
    w = seeded_world(client, app)
    path = f"/api/coach/players/{w.a1.player_id}"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200
    before = _access_log_count(app, w.a1.player_id)
    with recorded_statements(app) as statements:
        assert client.get(path + query, headers=w.coach_a.headers).status_code == status
    assert _access_log_count(app, w.a1.player_id) == before
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):  # written, taken back
        assert [sql for sql in statements if writes_access_log(sql)]
        assert [sql for sql in statements if sql.startswith("DELETE FROM access_log")]


def test_a_personal_screen_whose_view_fails_leaves_no_access_log_entry(client, app, monkeypatch):
    w = seeded_world(client, app)
    path = f"/api/coach/players/{w.a1.player_id}"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200
    before = _access_log_count(app, w.a1.player_id)

    def fails(**_kwargs):
        raise RuntimeError("the view failed")

    monkeypatch.setattr(screens_module, "player_detail", fails)
    with contextlib.suppress(RuntimeError):  # a 500, or raised where the app propagates
        assert client.get(path + "?limit=5", headers=w.coach_a.headers).status_code == 500
    assert _access_log_count(app, w.a1.player_id) == before


@requires_postgres
def test_a_failed_take_back_keeps_the_entry_and_the_answer(client, app, monkeypatch):
    """Taking an entry back can fail too (the database went away): the answer stays the view's,
    and the entry stays (an attempted read logged, never a read lost)."""
    from sqlalchemy import text

    from spinta.services import privacy

    class Failing:
        def where(self, *_clauses):
            return text("SELECT 1 / 0")

    w = seeded_world(client, app)
    path = f"/api/coach/players/{w.a1.player_id}"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200
    before = _access_log_count(app, w.a1.player_id)
    monkeypatch.setattr(privacy, "delete", lambda _table: Failing())
    assert client.get(path + "?limit=abc", headers=w.coach_a.headers).status_code == 422
    assert _access_log_count(app, w.a1.player_id) == before + 1


def test_a_coach_reading_a_player_outside_his_teams_writes_no_entry_at_all(client, app):
    """A staff member with the ``coach`` role asking for a player of another team of his
    club: 404, and the fast path's statement never wrote an entry to take back."""
    w = seeded_world(client, app)
    path = f"/api/coach/players/{w.a1.player_id}"  # a first-team player
    before = _access_log_count(app, w.a1.player_id)
    with recorded_statements(app) as statements:
        assert client.get(path, headers=w.coach_reserves.headers).status_code == 404
    assert _access_log_count(app, w.a1.player_id) == before
    assert not [sql for sql in statements if sql.startswith("DELETE FROM access_log")]


@contextlib.contextmanager
def transaction_states(app, wanted=lambda _sql: True) -> Iterator[list[tuple[object, int]]]:
    """(psycopg2 connection, its transaction status) right after each ``wanted`` statement."""
    from sqlalchemy import event

    seen: list[tuple[object, int]] = []

    def record(conn, _cursor, statement, *_args):
        if wanted(statement):
            raw = conn.connection.dbapi_connection
            seen.append((raw, raw.get_transaction_status()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", record)


@requires_postgres
def test_the_login_read_opens_no_transaction_and_leaves_none_behind(client, app):
    """On PostgreSQL the fast path's read runs in autocommit (no BEGIN, no ROLLBACK), and the
    connection goes back to the pool transactional: a later write stays all-or-nothing."""
    from psycopg2.extensions import TRANSACTION_STATUS_IDLE

    w = seeded_world(client, app)
    path = "/api/coach/dashboard"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200  # cached now
    with transaction_states(app, is_login_read) as seen:
        assert client.get(path, headers=w.coach_a.headers).status_code == 200
    [(raw, status)] = seen
    assert status == TRANSACTION_STATUS_IDLE  # no transaction was begun for the read
    assert raw.autocommit is False


@requires_postgres
@pytest.mark.parametrize("reader", ["coach", "player"])
def test_a_miss_reads_outside_a_transaction_and_leaves_none_behind(client, app, reader):
    """On PostgreSQL a miss renders the screen in autocommit: no statement of the request runs
    inside a transaction (no BEGIN, no ROLLBACK), and the connection goes back to the pool
    transactional, so a later write stays all-or-nothing."""
    from psycopg2.extensions import TRANSACTION_STATUS_IDLE

    w = seeded_world(client, app)
    path, headers = {
        "coach": ("/api/coach/dashboard", w.coach_a.headers),
        "player": ("/api/player/dashboard", w.a1.headers),
    }[reader]
    with transaction_states(app) as seen:
        assert client.get(path + "?miss=1", headers=headers).status_code == 200
    assert len(seen) > 2  # the login read, the guard's and the screen's own
    assert {status for _raw, status in seen} == {TRANSACTION_STATUS_IDLE}
    assert {raw.autocommit for raw, _status in seen} == {False}
    with app.app_context(), db.engine.connect() as connection:  # LIFO: the one just used
        assert connection.connection.dbapi_connection is seen[-1][0]
        connection.exec_driver_sql("SELECT 1")
        assert connection.connection.dbapi_connection.get_transaction_status() != (
            TRANSACTION_STATUS_IDLE
        )


@requires_postgres
def test_a_closed_autocommit_connection_returns_to_the_pool_quietly(client, app):
    """A miss whose connection was closed after its last statement: the request still answers
    (the pool's reset finds it closed and drops it before the check-in that would set it back
    from autocommit), and the next request gets a working connection."""
    w = seeded_world(client, app)
    path = "/api/coach/dashboard"

    def close_after(response):
        db.session.connection().connection.dbapi_connection.close()
        return response

    app.after_request_funcs.setdefault(None, []).append(close_after)
    try:
        first = client.get(path + "?closed=1", headers=w.coach_a.headers)
    finally:
        app.after_request_funcs[None].remove(close_after)
    assert first.status_code == 200 and first.is_json
    again = client.get(path + "?closed=2", headers=w.coach_a.headers)
    assert again.status_code == 200 and again.get_json() == first.get_json()


@requires_postgres
def test_the_login_read_is_prepared_once_per_connection(client, app):
    """On PostgreSQL the login read runs as a prepared statement: prepared once per pooled
    connection (the server holds it once), executed by every request, and prepared again on a
    fresh connection (after a reconnect the pool has forgotten it)."""
    w = seeded_world(client, app)
    path = "/api/coach/dashboard"
    assert client.get(path, headers=w.coach_a.headers).status_code == 200
    for _ in range(2):
        with recorded_statements(app) as statements:
            assert client.get(path, headers=w.coach_a.headers).status_code == 200
        assert [sql for sql in statements if sql.startswith("EXECUTE spinta_login_coach(")]
    with app.app_context(), db.engine.connect() as connection:  # LIFO: the one just used
        names = connection.exec_driver_sql("SELECT name FROM pg_prepared_statements")
        assert names.scalars().all().count("spinta_login_coach") == 1
    with app.app_context():
        db.engine.dispose()  # every pooled connection closed, as in a database restart
    again = client.get(path, headers=w.coach_a.headers)
    assert again.status_code == 200 and again.is_json


@requires_postgres
def test_without_prepared_statements_the_login_read_is_an_ordinary_one(client, app, monkeypatch):
    """DB_PREPARED_STATEMENTS=false (a pooler in transaction mode): no PREPARE or EXECUTE."""
    monkeypatch.setitem(app.config, "DB_PREPARED_STATEMENTS", False)
    w = seeded_world(client, app)
    path = "/api/coach/dashboard"
    first = client.get(path, headers=w.coach_a.headers)
    with recorded_statements(app) as statements:
        hit = client.get(path, headers=w.coach_a.headers)
    assert hit.status_code == 200 and hit.get_data() == first.get_data()
    assert [sql for sql in statements if "FROM users JOIN coaches" in sql]
    assert not [sql for sql in statements if "spinta_login" in sql]


# ---------------------------------------------------------------- no write can forget the version

# The only functions that commit with a plain ``db.session.commit()``: none of them changes what
# a cached screen shows (accounts and tokens, the chat history, a new club with a fresh version).
PLAIN_COMMITS = {
    ("spinta/services/auth.py", "_commit_or_conflict"),  # commit_club_write when given a club
    ("spinta/services/auth.py", "authenticate"),  # a password rehash
    ("spinta/services/auth.py", "change_password"),  # token version: the login loader checks it
    ("spinta/services/auth.py", "logout"),  # a revoked token: the login loader checks it
    ("spinta/services/chat/service.py", "ask"),  # the chat history is not a cached screen
    ("spinta/services/chat/service.py", "delete_session"),
    ("spinta/screen_cache.py", "commit_club_write"),
    # Job rows (queued, running, failed) are not a cached screen; a job's work commits through
    # commit_club_write (its "done" is written in that transaction).
    ("spinta/services/jobs.py", "create_job"),
    ("spinta/services/jobs.py", "start"),
    ("spinta/services/jobs.py", "fail"),
    # Children's data that changes no cached screen: guardians, the access log, retention of
    # the log (consents, erasure requests, removals and erasures go through commit_club_write).
    ("spinta/services/consent.py", "add_guardian"),
    ("spinta/services/consent.py", "delete_guardian"),
    ("spinta/services/privacy.py", "export_for"),
    ("spinta/services/privacy.py", "log_access"),
    ("spinta/services/privacy.py", "purge"),
    # A staff invite code: on no screen until a coach registers with it (that commits through
    # commit_club_write, as does removing a staff member).
    ("spinta/services/staff.py", "issue_invite"),
}


def plain_commits() -> set[tuple[str, str]]:
    """(file, function) of every ``db.session.commit()`` call in spinta/."""
    root = Path(__file__).resolve().parents[1]
    found = set()
    for path in sorted((root / "spinta").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "commit"
                    and ast.unparse(node.func.value) == "db.session"
                ):
                    found.add((path.relative_to(root).as_posix(), function.name))
    return found


def test_every_screen_changing_write_commits_through_commit_club_write():
    """A new ``db.session.commit()`` fails here: end the write with ``commit_club_write`` (or,
    when it truly changes no screen, list it above with the reason)."""
    assert plain_commits() == PLAIN_COMMITS


# ---------------------------------------------------------------- a miss adopts the login row

GUARD_READ = "FROM users LEFT OUTER JOIN"  # the guard's own query (security._guard_statement)


def test_a_miss_answers_as_the_guarded_view_without_the_guards_query(client, app, monkeypatch):
    """On a miss the guard takes the user, his profile and club from the fast path's login row
    (security.adopt_login) instead of its own query: every screen of club A's admin, staff
    coaches and players answers as it does with the cache off (the guard's own query)."""
    w = seeded_world(client, app)
    extra = [w.coach_team_a, w.coach_reserves]
    paths = readable_screens(client, w)
    paths += [(coach.token, path) for coach in extra for path in _coach_paths(w)]

    def answers() -> dict[str, tuple[int, object]]:
        screen_cache(app).clear()
        with recorded_statements(app) as statements:
            found = read_all(client, w, paths)
        return found, statements

    adopted, statements = answers()
    assert not [sql for sql in statements if GUARD_READ in sql]
    monkeypatch.setitem(app.extensions, "spinta.screen_cache", ScreenCache(entries=0))
    guarded, statements = answers()
    assert [sql for sql in statements if GUARD_READ in sql]  # the marker names the query
    assert adopted == guarded
    assert {status for status, _body in adopted.values()} >= {200, 404}


def _coach_paths(w: World) -> list[str]:
    players = [w.a1.player_id, w.a2.player_id]
    return [
        "/api/coach/dashboard",
        "/api/coach/players",
        f"/api/coach/matches/{w.match_a}",
        *(f"/api/coach/players/{player}" for player in players),
        f"/api/coach/teams/{w.team_a}/playing-time",
        f"/api/coach/teams/{w.team_reserves}/playing-time",
    ]


@pytest.mark.parametrize("role", ["coach", "player"])
def test_the_adopted_objects_are_the_ones_a_query_loads(client, app, role):
    """The user, his coach profile or squad entry and his club built from the login row hold
    every column as the ORM loads it (the same values, of the same types), are in the session
    with no pending change, and are linked as a load links them (no lazy query)."""
    from flask import g
    from sqlalchemy import inspect as sa_inspect

    from spinta import security
    from spinta.models import Club, Coach, Player

    w = seeded_world(client, app)
    account = w.coach_a if role == "coach" else w.a1
    profile_model = Coach if role == "coach" else Player
    with app.test_request_context(headers=account.headers):
        login = security.peek_login(role)
        security.adopt_login(login)
        user = g.get(security._ADOPTED)[0]
        profile = getattr(user, role)
        adopted = [user, profile, profile.club]
        models = (User, profile_model, Club)
        with recorded_statements(app) as statements:
            assert profile.user is user and profile.club.id == login.club_id
            assert all(
                db.session.get(model, obj.id) is obj
                for model, obj in zip(models, adopted, strict=True)
            )
        assert statements == []  # linked and in the identity map: no lazy load, no query
        assert not db.session.dirty and not db.session.new
        assert all(sa_inspect(obj).persistent for obj in adopted)
        db.session.expunge_all()
        fresh = [db.session.get(model, obj.id) for model, obj in zip(models, adopted, strict=True)]
    for obj, query in zip(adopted, fresh, strict=True):
        for attr in sa_inspect(type(obj)).column_attrs:
            mine, theirs = getattr(obj, attr.key), getattr(query, attr.key)
            assert (mine, type(mine)) == (theirs, type(theirs)), attr.key
