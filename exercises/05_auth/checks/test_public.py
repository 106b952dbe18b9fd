"""Stage 05 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.client import AppHandle, login_new_user
from workbook.jwt_tools import claims


@pytest.mark.task(1)
def test_an_access_token_expires_after_fifteen_minutes(app: AppHandle) -> None:
    """An access token must expire 900 seconds after it was issued."""
    token = claims(login_new_user(app.client(login=False))["access_token"])
    assert token["exp"] - token["iat"] == 900, f"lifetime {token['exp'] - token['iat']} s"


@pytest.mark.task(2)
def test_login_answers_tokens(app: AppHandle) -> None:
    """POST /api/v1/auth/login must answer 200 with an access and a refresh token."""
    tokens = login_new_user(app.client(login=False))
    assert tokens.get("refresh_token"), "no refresh token"


@pytest.mark.task(3)
def test_me_answers_the_user(app: AppHandle) -> None:
    """GET /api/v1/auth/me must answer the logged-in user."""
    client = app.client(login=False)
    tokens = login_new_user(client)
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert (me.get_json() or {}).get("data", {}).get("email") == tokens["email"], str(me)


@pytest.mark.task(4)
def test_a_refresh_token_works_once(app: AppHandle) -> None:
    """A refresh token must be refused the second time it is used."""
    client = app.client(login=False)
    header = {"Authorization": f"Bearer {login_new_user(client)['refresh_token']}"}
    assert client.post("/api/v1/auth/refresh", headers=header).status_code == 200
    assert client.post("/api/v1/auth/refresh", headers=header).status_code == 401


@pytest.mark.task(5)
def test_projects_need_a_token(app: AppHandle) -> None:
    """GET /api/v1/projects without a token must answer 401."""
    assert app.client(login=False).get("/api/v1/projects").status_code == 401
