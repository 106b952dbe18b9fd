"""Stage 06 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.client import AppFactory, AppHandle


@pytest.mark.task(1)
def test_a_crash_answers_a_bland_500(make_app: AppFactory) -> None:
    """An unexpected exception must answer 500 with code "internal_error" and no details."""
    response = make_app("testing", probes=True).client(login=False).get("/__grader__/raise")
    assert response.status_code == 500, str(response)
    assert (response.get_json() or {}).get("error", {}).get("code") == "internal_error"
    assert "RuntimeError" not in response.text, "the 500 names the exception"


@pytest.mark.task(2)
def test_a_missing_project_is_a_404_envelope(app: AppHandle) -> None:
    """ResourceNotFoundError must answer 404 with code "not_found"."""
    response = app.client().get("/api/v1/projects/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404, str(response)
    assert (response.get_json() or {}).get("error", {}).get("code") == "not_found"


@pytest.mark.task(3)
def test_the_request_id_is_echoed(app: AppHandle) -> None:
    """A valid X-Request-ID must come back in the response."""
    response = app.client(login=False).get("/api/v1/health",
                                           headers={"X-Request-ID": "check-12345678"})
    assert response.headers.get("X-Request-ID") == "check-12345678", str(response)


@pytest.mark.task(4)
def test_requests_are_logged(app: AppHandle) -> None:
    """Each request must log an INFO line with its method and path."""
    response = app.client(login=False).get("/api/v1/health", capture_logs=True)
    lines = [r["message"] for r in response.logs or [] if r["level"] == "INFO"]
    assert any("/api/v1/health" in line for line in lines), "no INFO line for the request"
