"""Stage 05, tasks 1-4: JWT settings, password hashes, login, current_user, 401s, rotation."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import pytest

from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle, Source, login_new_user
from workbook.jwt_tools import access_claims, claims, forge
from workbook.transport import LearnerError

KEY = "grader-jwt-key-" + "k" * 32


def _keyed(make_app: AppFactory) -> AppHandle:
    """An app whose JWT key the grader knows, so it can forge tokens."""
    return make_app("testing", env={"JWT_SECRET_KEY": KEY})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _is_401_envelope(response: Any, what: str) -> None:
    assert response.status_code == 401, f"{what}: {response} (expected 401)"
    error = (response.get_json() or {}).get("error")
    assert isinstance(error, dict) and error.get("code") and error.get("message"), (
        f"{what}: the 401 is not in the error envelope"
    )


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_access_tokens_last_fifteen_minutes(app: AppHandle) -> None:
    """JWT_ACCESS_TOKEN_EXPIRES is 15 minutes: a stolen access token is soon useless; the
    refresh token lives 14 days (JWT_REFRESH_TOKEN_EXPIRES)."""
    tokens = login_new_user(app.client(login=False))
    access, refresh = claims(tokens["access_token"]), claims(tokens["refresh_token"])
    lifetime = access["exp"] - access["iat"]
    assert lifetime == 900, f"access tokens live {lifetime} s, not 900"
    refresh_lifetime = refresh["exp"] - refresh["iat"]
    assert refresh_lifetime == 14 * 86400, (
        f"refresh tokens live {refresh_lifetime} s, not 14 days ({14 * 86400} s)"
    )


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_cookie_flags_are_secure_and_strict(app: AppHandle) -> None:
    """JWT_COOKIE_SECURE = True and JWT_COOKIE_SAMESITE = "Strict", should tokens ever travel
    in cookies."""
    config = app.config("JWT_COOKIE_SECURE", "JWT_COOKIE_SAMESITE")
    assert config.get("JWT_COOKIE_SECURE") is True, "JWT_COOKIE_SECURE is not True"
    assert config.get("JWT_COOKIE_SAMESITE") == "Strict", "JWT_COOKIE_SAMESITE is not Strict"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_tokens_travel_only_in_the_authorization_header(app: AppHandle) -> None:
    """JWT_TOKEN_LOCATION is ["headers"]: a valid access token sent as a cookie is no token."""
    location = app.config("JWT_TOKEN_LOCATION").get("JWT_TOKEN_LOCATION")
    assert location in (["headers"], "headers"), f"JWT_TOKEN_LOCATION is {location!r}"
    client = app.client(login=False)
    token = login_new_user(client)["access_token"]
    cookie = client.get("/api/v1/auth/me", headers={"Cookie": f"access_token_cookie={token}"})
    _is_401_envelope(cookie, "an access token in a cookie")


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_tokens_are_signed_with_the_configured_key(make_app: AppFactory) -> None:
    """Tokens are checked against JWT_SECRET_KEY from the environment: one signed with it is
    accepted, one signed with any other key is refused with 401."""
    client = _keyed(make_app).client(login=False)
    user = login_new_user(client)["user"]
    good = forge(access_claims(user["id"]), KEY)
    me = client.get("/api/v1/auth/me", headers=_bearer(good))
    assert me.status_code == 200, f"a token signed with JWT_SECRET_KEY is refused: {me}"
    other = forge(access_claims(user["id"]), "not-the-key-" + secrets.token_hex(8))
    _is_401_envelope(client.get("/api/v1/auth/me", headers=_bearer(other)), "another key")


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_production_requires_a_jwt_secret_key(make_app: AppFactory) -> None:
    """Production refuses to start without JWT_SECRET_KEY, naming it."""
    make_app("testing")
    env = {"SECRET_KEY": "s" * 40, "DATABASE_URL": "sqlite://", "JWT_SECRET_KEY": None}
    with pytest.raises(LearnerError) as caught:
        make_app("production", env=env, dotenv="")
    assert "JWT_SECRET_KEY" in str(caught.value), "the error does not name JWT_SECRET_KEY"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_jwt_secret_key_lengths_hold_at_their_edges(make_app: AppFactory) -> None:
    """JWT_SECRET_KEY needs at least 16 characters, and at least 32 in production: one
    character short refuses to start, naming the setting; the limit itself starts."""
    edges = [("testing", 16, {}), ("production", 32, PRODUCTION_ENV)]
    for config, least, env in edges:
        make_app(config, env={**env, "JWT_SECRET_KEY": "k" * least}, dotenv="")
        with pytest.raises(LearnerError) as caught:
            make_app(config, env={**env, "JWT_SECRET_KEY": "k" * (least - 1)}, dotenv="")
        assert "JWT_SECRET_KEY" in str(caught.value), (
            f"{config} started with a {least - 1}-character JWT_SECRET_KEY, or its error does "
            "not name JWT_SECRET_KEY"
        )


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_passwords_are_stored_as_salted_hashes(app: AppHandle) -> None:
    """Passwords are stored as scrypt or pbkdf2:sha256 hashes (werkzeug's
    generate_password_hash) with the method PASSWORD_HASH_METHOD names, salted: one password,
    two different hashes."""
    client = app.client(login=False)
    for email in ("ann@example.com", "ben@example.com"):
        payload = {"email": email, "name": "x", "password": "same-password-1"}
        assert client.post("/api/v1/auth/register", json=payload).status_code == 201
    rows = app.sql("SELECT password_hash FROM users WHERE email LIKE '%@example.com'")
    hashes = [str(row[0]) for row in rows]
    assert len(hashes) >= 2, "the users were not stored"
    for stored in hashes:
        assert "same-password-1" not in stored, "a password is stored in plain text"
        assert stored.startswith(("scrypt:", "pbkdf2:sha256:")), f"not scrypt/pbkdf2: {stored[:12]}"
    assert len(set(hashes)) == len(hashes), "two equal passwords have equal hashes: no salt"
    method = str(app.config("PASSWORD_HASH_METHOD").get("PASSWORD_HASH_METHOD"))
    assert all(stored.startswith((method + "$", method + ":")) for stored in hashes), (
        f"PASSWORD_HASH_METHOD is {method!r} but a hash starts {hashes[0][:20]!r}"
    )


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_production_keeps_a_slow_hash(make_app: AppFactory) -> None:
    """PASSWORD_HASH_METHOD is "scrypt" (or full-strength "pbkdf2:sha256") outside testing:
    only the test suite may use a cheap hash."""
    for config in ("development", "production"):
        method = make_app(config, env=PRODUCTION_ENV, dotenv="").config("PASSWORD_HASH_METHOD")
        assert method.get("PASSWORD_HASH_METHOD") in ("scrypt", "pbkdf2:sha256"), (
            f"{config} hashes with {method.get('PASSWORD_HASH_METHOD')!r}"
        )


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_testing_hashes_with_the_cheap_method(app: AppHandle) -> None:
    """TestingConfig sets PASSWORD_HASH_METHOD to "pbkdf2:sha256:1000", so a suite that
    registers hundreds of users stays fast."""
    method = app.config("PASSWORD_HASH_METHOD").get("PASSWORD_HASH_METHOD")
    assert method == "pbkdf2:sha256:1000", f"testing hashes with {method!r}"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_login_answers_a_token_pair(app: AppHandle) -> None:
    """POST /api/v1/auth/login answers 200 with data.access_token and data.refresh_token."""
    tokens = login_new_user(app.client(login=False))
    assert claims(tokens["access_token"]).get("type") == "access", "not an access token"
    assert claims(tokens["refresh_token"]).get("type") == "refresh", "not a refresh token"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_login_refuses_wrong_credentials_alike(app: AppHandle) -> None:
    """A wrong password and an unknown email both answer 401, with the same message (never
    tell an attacker which accounts exist)."""
    client = app.client(login=False)
    email = login_new_user(client)["email"]
    wrong = client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-pw-1"})
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "wrong-pw-1"}
    )
    _is_401_envelope(wrong, "wrong password")
    _is_401_envelope(unknown, "unknown email")
    assert wrong.get_json()["error"] == unknown.get_json()["error"], "the two 401s differ"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_me_answers_the_tokens_user(app: AppHandle, source: Source) -> None:
    """GET /api/v1/auth/me answers the token's user through current_user (a
    user_lookup_loader)."""
    client = app.client(login=False)
    tokens = login_new_user(client)
    me = client.get("/api/v1/auth/me", headers=_bearer(tokens["access_token"]))
    assert me.status_code == 200, str(me)
    assert (me.get_json() or {}).get("data", {}).get("email") == tokens["email"], "wrong user"
    uses = [
        path for path in source.glob("app/**/*.py") if "user_lookup_loader" in source.text(path)
    ]
    assert uses, "no user_lookup_loader is registered"


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_every_jwt_failure_answers_401_in_the_envelope(make_app: AppFactory) -> None:
    """Missing, malformed, expired, unsigned (alg none), wrongly signed, refresh-instead-of-
    access and unknown-user tokens all answer 401 in the error envelope, code "unauthorized"
    (never 422 or 500)."""
    client = _keyed(make_app).client(login=False)
    tokens = login_new_user(client)
    user = tokens["user"]["id"]
    cases = {
        "no token": {},
        "malformed": _bearer("not-a-token"),
        "expired": _bearer(forge(access_claims(user, lifetime=-60), KEY)),
        "alg none": _bearer(forge(access_claims(user), None, alg="none")),
        "wrong key": _bearer(forge(access_claims(user), "wrong-" + "x" * 32)),
        "refresh token": _bearer(tokens["refresh_token"]),
        "unknown user": _bearer(forge(access_claims(str(uuid.uuid4())), KEY)),
    }
    for what, headers in cases.items():
        response = client.get("/api/v1/auth/me", headers=headers)
        _is_401_envelope(response, what)
        code = response.get_json()["error"]["code"]
        assert code == "unauthorized", f"{what}: the 401's code is {code!r}, not 'unauthorized'"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_refresh_rotates_and_refuses_reuse(app: AppHandle) -> None:
    """POST /api/v1/auth/refresh spends the refresh token for a new pair; spending the old one
    again answers 401 (a stolen refresh token dies with its first use)."""
    client = app.client(login=False)
    first = login_new_user(client)["refresh_token"]
    rotated = client.post("/api/v1/auth/refresh", headers=_bearer(first))
    assert rotated.status_code == 200, str(rotated)
    pair = (rotated.get_json() or {}).get("data", {})
    assert pair.get("access_token") and pair.get("refresh_token"), "no new token pair"
    assert pair["refresh_token"] != first, "the same refresh token came back"
    _is_401_envelope(client.post("/api/v1/auth/refresh", headers=_bearer(first)), "reuse")
    again = client.post("/api/v1/auth/refresh", headers=_bearer(pair["refresh_token"]))
    assert again.status_code == 200, "the new refresh token does not work"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_two_refreshes_with_one_token_at_once_give_one_new_pair(make_app: AppFactory) -> None:
    """Spending is atomic: two refreshes with one refresh token at the same moment (both read
    revoked_tokens before either goes on) give exactly one new pair and one 401. Checking
    first and inserting after lets both through, or fails one with a 500."""
    app = make_app("testing", env={"DATABASE_URL": make_app.temp_database()})
    client = app.client(login=False)
    refresh = login_new_user(client)["refresh_token"]
    spend = ("POST", "/api/v1/auth/refresh", {"headers": _bearer(refresh)})
    answers = client.together([spend, spend], meet_at="revoked_tokens")
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 401], f"two refreshes with one token at once answered {statuses}"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_logout_revokes_the_access_and_refresh_tokens(app: AppHandle) -> None:
    """POST /api/v1/auth/logout with the access token (and {"refresh_token": ...}) answers 204;
    afterwards both tokens answer 401."""
    client = app.client(login=False)
    tokens = login_new_user(client)
    access, refresh = tokens["access_token"], tokens["refresh_token"]
    out = client.post(
        "/api/v1/auth/logout", headers=_bearer(access), json={"refresh_token": refresh}
    )
    assert out.status_code == 204, str(out)
    _is_401_envelope(client.get("/api/v1/auth/me", headers=_bearer(access)), "access after logout")
    _is_401_envelope(
        client.post("/api/v1/auth/refresh", headers=_bearer(refresh)), "refresh after logout"
    )


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_logout_without_a_refresh_token_revokes_the_access_token(app: AppHandle) -> None:
    """The refresh token is optional at logout: the access token alone answers 204 and is
    revoked (401 after), while the refresh token it left out still works."""
    client = app.client(login=False)
    tokens = login_new_user(client)
    access = tokens["access_token"]
    out = client.post("/api/v1/auth/logout", headers=_bearer(access))
    assert out.status_code == 204, f"logout without a body: {out} (expected 204)"
    _is_401_envelope(client.get("/api/v1/auth/me", headers=_bearer(access)), "access after logout")
    kept = client.post("/api/v1/auth/refresh", headers=_bearer(tokens["refresh_token"]))
    assert kept.status_code == 200, f"the refresh token left out of logout is refused: {kept}"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_a_bad_refresh_token_at_logout_answers_422_and_revokes_nothing(app: AppHandle) -> None:
    """A logout whose refresh_token is not a valid refresh token of yours (junk, an access
    token, another user's) answers 422 and revokes nothing: checked before anything is."""
    client = app.client(login=False)
    mine = login_new_user(client)
    theirs = login_new_user(client)
    access = mine["access_token"]
    cases = {
        "junk": "not-a-token",
        "an access token": access,
        "another user's refresh token": theirs["refresh_token"],
    }
    for what, token in cases.items():
        out = client.post(
            "/api/v1/auth/logout", headers=_bearer(access), json={"refresh_token": token}
        )
        assert out.status_code == 422, f"logout with {what}: {out} (expected 422)"
        still = client.get("/api/v1/auth/me", headers=_bearer(access))
        assert still.status_code == 200, f"a 422 logout with {what} revoked the access token"
    refreshed = client.post("/api/v1/auth/refresh", headers=_bearer(theirs["refresh_token"]))
    assert refreshed.status_code == 200, "another user's refresh token was revoked"
