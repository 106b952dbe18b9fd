"""Stage 06, tasks 1 and 2: a clean 500 with a logged traceback, and domain exceptions."""

from __future__ import annotations

from typing import Any

import pytest

from workbook.apphost import PROBE_SECRET
from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle

LEAKS = ("grader-probe-secret", "RuntimeError", "Traceback", "settings.py", 'File "')
CODES = (400, 401, 403, 404, 405, 413, 422, 429)


def _envelope(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"{response} (expected {status})"
    assert response.mimetype == "application/json", f"{response.label} is not JSON"
    error = (response.get_json() or {}).get("error")
    assert isinstance(error, dict), f"{response.label} is not the error envelope"
    assert isinstance(error.get("code"), str) and isinstance(error.get("message"), str)
    assert isinstance(error.get("details"), dict), "details is not an object"
    return error


def _bland_500(app: AppHandle) -> None:
    response = app.client(login=False).get("/__grader__/raise")
    error = _envelope(response, 500)
    assert error["code"] == "internal_error", f"code is {error['code']!r}"
    leaked = [text for text in LEAKS if text in response.text]
    assert not leaked, f"the 500 shows {leaked[0]!r}: exception details belong in the log only"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_an_unexpected_error_answers_a_bland_500(make_app: AppFactory) -> None:
    """An unexpected exception answers 500, code "internal_error", in the envelope, with no
    exception text, class name, path or traceback."""
    _bland_500(make_app("testing", probes=True))


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_the_500_is_just_as_bland_in_production(make_app: AppFactory) -> None:
    """Production answers the same bland 500 (and never runs with DEBUG on)."""
    _bland_500(make_app("production", env=PRODUCTION_ENV, dotenv="", probes=True))


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_the_500_logs_the_full_traceback(make_app: AppFactory) -> None:
    """What the response hides goes to the log: app.logger.exception records the traceback."""
    app = make_app("testing", probes=True)
    response = app.client(login=False).get("/__grader__/raise", capture_logs=True)
    assert response.status_code == 500, str(response)
    logged = [r for r in response.logs or [] if r["level"] in ("ERROR", "CRITICAL")]
    assert logged, "nothing was logged at ERROR for the 500"
    assert any(PROBE_SECRET in r["exc_text"] for r in logged), "the log has no traceback"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_every_http_error_answers_the_envelope(make_app: AppFactory) -> None:
    """400, 401, 403, 404, 405, 422, 429 and 500: every error answers the JSON envelope."""
    client = make_app("testing", probes=True).client(login=False)
    for code in CODES:
        _envelope(client.get(f"/__grader__/abort/{code}"), code)
    _envelope(client.get("/__grader__/raise"), 500)


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_the_exceptions_module_declares_the_domain_errors(app: AppHandle) -> None:
    """app/exceptions.py declares ResourceNotFoundError (404), ConflictError (409) and
    PermissionDeniedError (403), each with a status_code."""
    assert app.client(login=False).get("/api/v1/health").status_code == 200
    wanted = {"ResourceNotFoundError": 404, "ConflictError": 409, "PermissionDeniedError": 403}
    classes = app.classes("app.exceptions", "status_code")
    for name, status in wanted.items():
        assert name in classes, f"app/exceptions.py defines no class {name}"
        found = classes[name]["attributes"]["status_code"]
        assert found == status, f"{name}.status_code is {found!r} when the app runs, not {status}"


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_domain_errors_answer_their_own_status(app: AppHandle) -> None:
    """Services raise domain exceptions and one handler answers them: 409 "conflict",
    404 "not_found", 403 "forbidden", never 500; the message is str(exc), details {}."""
    client = app.client()
    me = client.get("/api/v1/auth/me").get_json()["data"]
    account = {"email": me["email"], "name": "Again", "password": "another-pw-1"}
    taken = _envelope(client.post("/api/v1/auth/register", json=account), 409)
    assert taken["code"] == "conflict", f"the 409's code is {taken['code']!r}"
    assert taken["message"] == "email already registered", (
        f"the 409's message is {taken['message']!r}, not str(exc) ('email already registered')"
    )
    assert taken["details"] == {}, f"a domain error's details are {taken['details']}, not {{}}"
    missing = client.get("/api/v1/projects/00000000-0000-4000-8000-000000000000")
    assert _envelope(missing, 404)["code"] == "not_found"
    other = app.client().get("/api/v1/auth/me").get_json()["data"]
    rename = client.put(f"/api/v1/users/{other['id']}", json={"name": "x"})
    denied = _envelope(rename, 403)
    assert denied["code"] == "forbidden", f"the 403's code is {denied['code']!r}"
    assert denied["message"] == "you can only change your own account", (
        f"the 403's message is {denied['message']!r}, not str(exc)"
    )
