"""Stage 07 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from grader.client import AppHandle, Client


@pytest.mark.task(1)
def test_testing_needs_no_redis(app: AppHandle) -> None:
    """Testing must cache with SimpleCache and count limits in memory."""
    config = app.config("CACHE_TYPE", "RATELIMIT_STORAGE_URI")
    assert config == {"CACHE_TYPE": "SimpleCache", "RATELIMIT_STORAGE_URI": "memory://"}, config


@pytest.mark.task(2)
def test_users_do_not_share_cached_lists(app: AppHandle) -> None:
    """One user's cached project list must never reach another user."""
    alice, bob = app.client(), app.client()
    assert alice.post("/api/v1/projects", json={"name": "mine"}).status_code == 201
    alice.get("/api/v1/projects")
    assert (bob.get("/api/v1/projects").get_json() or {}).get("data") == [], "leaked"


@pytest.mark.task(3)
def test_a_rename_is_seen_at_once(client: Client) -> None:
    """After PUT, the cached list must show the new name."""
    project = (client.post("/api/v1/projects", json={"name": "old"}).get_json() or {})["data"]
    client.get("/api/v1/projects")
    client.put(f"/api/v1/projects/{project['id']}", json={"name": "new"})
    names = [p["name"] for p in (client.get("/api/v1/projects").get_json() or {})["data"]]
    assert names == ["new"], f"stale: {names}"


@pytest.mark.task(4)
def test_login_is_rate_limited(app: AppHandle) -> None:
    """The 11th login attempt within a minute from one address must answer 429."""
    client = app.client(login=False)
    codes = [client.post("/api/v1/auth/login",
                         json={"email": f"u{n}@example.com", "password": "wrong-pass-1"},
                         remote_addr="10.9.0.1").status_code for n in range(11)]
    assert codes[-1] == 429, f"codes: {codes}"
