"""Stage 07 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.client import AppHandle, Client


@pytest.mark.task(1)
def test_testing_needs_no_redis(app: AppHandle) -> None:
    """Testing must cache with SimpleCache and count limits in memory."""
    config = app.config("CACHE_TYPE", "RATELIMIT_STORAGE_URI")
    assert config == {"CACHE_TYPE": "SimpleCache", "RATELIMIT_STORAGE_URI": "memory://"}, config


def _served_from_cache(client: Client, path: str) -> None:
    first = client.get(path, count_sql=True)
    second = client.get(path, count_sql=True)
    assert (second.sql_count or 0) < (first.sql_count or 0), (
        f"GET {path} is not cached ({first.sql_count} SQL statements, then {second.sql_count})"
    )


@pytest.mark.task(2)
def test_the_project_list_is_cached_per_user(app: AppHandle) -> None:
    """GET /api/v1/projects again must come from the cache, and never reach another user."""
    alice, bob = app.client(), app.client()
    assert alice.post("/api/v1/projects", json={"name": "mine"}).status_code == 201
    _served_from_cache(alice, "/api/v1/projects")
    assert (bob.get("/api/v1/projects").get_json() or {}).get("data") == [], "leaked"


@pytest.mark.task(3)
def test_a_rename_is_seen_at_once(client: Client) -> None:
    """After PUT, the cached list must show the new name."""
    project = (client.post("/api/v1/projects", json={"name": "old"}).get_json() or {})["data"]
    _served_from_cache(client, "/api/v1/projects")
    client.put(f"/api/v1/projects/{project['id']}", json={"name": "new"})
    names = [p["name"] for p in (client.get("/api/v1/projects").get_json() or {})["data"]]
    assert names == ["new"], f"stale: {names}"


@pytest.mark.task(3)
def test_project_stats_are_memoized(client: Client) -> None:
    """GET /api/v1/projects/<id>/stats again must come from the memoized service function."""
    project = (client.post("/api/v1/projects", json={"name": "p"}).get_json() or {})["data"]
    _served_from_cache(client, f"/api/v1/projects/{project['id']}/stats")


@pytest.mark.task(4)
def test_login_is_rate_limited(app: AppHandle) -> None:
    """The 11th login attempt within a minute from one address must answer 429."""
    client = app.client(login=False)
    codes = [
        client.post(
            "/api/v1/auth/login",
            json={"email": f"u{n}@example.com", "password": "wrong-pass-1"},
            remote_addr="10.9.0.1",
        ).status_code
        for n in range(11)
    ]
    assert codes[-1] == 429, f"codes: {codes}"
