"""Stage 07, task 4: rate limits, stricter on login and registration, 429 in the envelope."""

from __future__ import annotations

from typing import Any

import limits
import pytest

from workbook.client import AppHandle

WRONG = "not-the-password-1"


def _login(client: Any, email: str, address: str) -> Any:
    return client.post(
        "/api/v1/auth/login", json={"email": email, "password": WRONG}, remote_addr=address
    )


def _configured_window(app: AppHandle, key: str) -> int | None:
    """The window, in seconds, of the limit the config names under ``key``."""
    value = app.config(key).get(key)
    try:
        return int(limits.parse(str(value)).get_expiry())
    except ValueError:
        return None


def _is_429(response: Any, window: int, configured: int | None = None) -> None:
    """A 429 in the envelope whose Retry-After fits a limit ``window`` seconds long (or, for
    an app that sets its own Retry-After, whose configured limit has that window)."""
    assert response.status_code == 429, f"{response} (expected 429)"
    error = (response.get_json() or {}).get("error", {})
    assert error.get("code") == "too_many_requests", "the 429 is not in the error envelope"
    retry = str(response.headers.get("Retry-After", ""))
    assert retry.isdigit(), "the 429 has no Retry-After header in seconds"
    shorter = 61 if window == 3600 else 0  # one second of rounding either way
    assert configured == window or shorter < int(retry) <= window + 1, (
        f"Retry-After is {int(retry)} s and the configured limit's window is {configured} s: "
        f"the limit's window is not {window} s"
    )


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_login_is_limited_per_client_address(app: AppHandle) -> None:
    """LOGIN_LIMIT (10 per minute) per client address: the 11th attempt from one address
    answers 429 with Retry-After; another address is not affected."""
    client = app.client(login=False)
    for number in range(10):
        answer = _login(client, f"user{number}@example.com", "10.0.0.1")
        assert answer.status_code == 401, f"attempt {number + 1}: {answer} (expected 401)"
    _is_429(_login(client, "user10@example.com", "10.0.0.1"), 60)
    assert _login(client, "user11@example.com", "10.0.0.2").status_code == 401, (
        "another client address was limited too"
    )


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_login_is_limited_per_account(app: AppHandle) -> None:
    """LOGIN_ACCOUNT_LIMIT (5 per minute) per account: the 6th attempt on one email answers
    429, even when each attempt comes from a different address. A body that is not a JSON
    object has no account, and answers 400 (the key must not crash on it)."""
    client = app.client(login=False)
    for body in ([1, 2], "ada@example.com", 7):
        answer = client.post("/api/v1/auth/login", json=body, remote_addr="10.1.1.1")
        assert answer.status_code == 400, f"a login body of {body!r}: {answer} (expected 400)"
    for text, kind in (("email=ada@example.com", "text/plain"), ("{", "application/json")):
        headers = {"Content-Type": kind}
        answer = client.post(
            "/api/v1/auth/login", data=text, headers=headers, remote_addr="10.1.1.2"
        )
        assert answer.status_code == 400, f"a {kind} login body {text!r}: {answer} (expected 400)"
    for number in range(5):
        assert _login(client, "target@example.com", f"10.1.0.{number}").status_code == 401
    _is_429(_login(client, "target@example.com", "10.1.0.99"), 60)


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_registration_is_limited_per_client_address(app: AppHandle) -> None:
    """REGISTER_LIMIT (20 per hour) per client address: the 21st registration answers 429,
    and its Retry-After reaches past a minute (the window is an hour); another address still
    registers."""
    client = app.client(login=False)
    for number in range(20):
        account = {"email": f"new{number}@example.com", "name": "n", "password": "password-123"}
        answer = client.post("/api/v1/auth/register", json=account, remote_addr="10.2.0.1")
        assert answer.status_code == 201, f"registration {number + 1}: {answer}"
    last = {"email": "new20@example.com", "name": "n", "password": "password-123"}
    answer = client.post("/api/v1/auth/register", json=last, remote_addr="10.2.0.1")
    _is_429(answer, 3600, _configured_window(app, "REGISTER_LIMIT"))
    other = client.post("/api/v1/auth/register", json=last, remote_addr="10.2.0.2")
    assert other.status_code == 201, f"another client address was limited too: {other}"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_every_route_has_a_default_limit(app: AppHandle) -> None:
    """RATELIMIT_DEFAULT (300 per minute) applies everywhere; the limit headers say so."""
    response = app.client(login=False).get("/api/v1/health")
    assert response.status_code == 200, str(response)
    assert response.headers.get("X-RateLimit-Limit") == "300", (
        f"X-RateLimit-Limit is {response.headers.get('X-RateLimit-Limit')!r}"
    )
