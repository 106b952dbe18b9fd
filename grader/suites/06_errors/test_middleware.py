"""Stage 06, tasks 3 and 4: request ids, the access log, JSON logs in production."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle

VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _request_id(response: Any) -> str:
    value = response.headers.get("X-Request-ID", "")
    assert value, f"{response.label} has no X-Request-ID header"
    return str(value)


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_every_response_carries_a_new_request_id(app: AppHandle) -> None:
    """Without an X-Request-ID, the app makes one per request and echoes it."""
    client = app.client(login=False)
    first, second = (_request_id(client.get("/api/v1/health")) for _ in range(2))
    assert first != second, "two requests share a request id"
    assert VALID.match(first), f"{first!r} is not 8-64 safe characters"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_a_valid_incoming_request_id_is_echoed(app: AppHandle) -> None:
    """A well-formed incoming X-Request-ID (from a proxy) is kept and echoed."""
    response = app.client(login=False).get(
        "/api/v1/health", headers={"X-Request-ID": "edge-1a2b3c4d"}
    )
    assert _request_id(response) == "edge-1a2b3c4d", "the incoming id was not kept"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_a_malformed_or_oversized_request_id_is_replaced(app: AppHandle) -> None:
    """An oversized or malformed X-Request-ID is not trusted: a fresh id replaces it."""
    client = app.client(login=False)
    for bad in ("x" * 200, "not valid!", "short"):
        echoed = _request_id(client.get("/api/v1/health", headers={"X-Request-ID": bad}))
        assert echoed != bad and VALID.match(echoed), f"{bad[:20]!r} came back as {echoed[:20]!r}"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_request_ids_hold_at_their_edges(app: AppHandle) -> None:
    """8 and 64 characters of A-Z a-z 0-9 . _ - are kept; 7 or 65 characters, or another
    character, get a fresh id."""
    client = app.client(login=False)
    for kept in ("a" * 8, "Z" * 64, "Ab.0_9-z"):
        echoed = _request_id(client.get("/api/v1/health", headers={"X-Request-ID": kept}))
        assert echoed == kept, f"the valid id {kept[:20]!r} ({len(kept)} chars) was replaced"
    for bad in ("a" * 7, "a" * 65, "abcdefgh/", "abcd efgh", "abcdéfgh"):
        echoed = _request_id(client.get("/api/v1/health", headers={"X-Request-ID": bad}))
        assert echoed != bad and VALID.match(echoed), f"the id {bad[:20]!r} was kept"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_errors_carry_the_request_id_too(app: AppHandle) -> None:
    """A 404 carries the X-Request-ID as well: that is when a user needs one to report."""
    response = app.client(login=False).get("/api/v1/no-such-thing")
    assert response.status_code == 404, str(response)
    _request_id(response)


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_the_500_names_the_request_id_the_client_can_quote(make_app: AppFactory) -> None:
    """The bland 500 puts the request's id in details.request_id, the same id as its
    X-Request-ID header: the one a user quotes and the log is searched by."""
    app = make_app("testing", probes=True)
    sent = {"X-Request-ID": "edge-5e6f7a8b"}
    response = app.client(login=False).get("/__grader__/raise", headers=sent)
    assert response.status_code == 500, str(response)
    details = ((response.get_json() or {}).get("error") or {}).get("details") or {}
    assert details.get("request_id") == "edge-5e6f7a8b", (
        f"details.request_id is {details.get('request_id')!r}, not the request's id"
    )
    assert _request_id(response) == "edge-5e6f7a8b", "the header is not the request's id"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_each_request_is_logged_with_method_path_status_and_duration(
    app: AppHandle, make_app: AppFactory
) -> None:
    """after_request logs one INFO line per request: method, path, status and duration in
    milliseconds, the time the request took (a request of at least 80 ms logs at least 80)."""
    response = app.client(login=False).get("/api/v1/health", capture_logs=True)
    assert response.status_code == 200, str(response)
    lines = [r["message"] for r in response.logs or [] if r["level"] == "INFO"]
    access = [m for m in lines if "GET" in m and "/api/v1/health" in m and "200" in m]
    assert access, f"no INFO access line (INFO lines: {lines[:3]})"
    assert re.search(r"\d+(\.\d+)?\s*ms", access[0]), f"no duration in {access[0]!r}"
    slow = (
        make_app("testing", probes=True)
        .client(login=False)
        .get("/__grader__/sleep/80", capture_logs=True)
    )
    lines = [r["message"] for r in slow.logs or [] if r["level"] == "INFO"]
    logged = [m for m in lines if "/__grader__/sleep/80" in m]
    durations = [float(d) for m in logged for d in re.findall(r"(\d+(?:\.\d+)?)\s*ms", m)]
    assert durations and max(durations) >= 79.5, (
        f"a request that took at least 80 ms logged {logged[:1]} (the duration is measured "
        "from before_request to after_request)"
    )


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_production_logs_are_json_with_the_request_id(make_app: AppFactory) -> None:
    """In production each log line is one JSON object (python-json-logger) with the message
    and the request_id, written to sys.stdout, by the one handler left on the logger."""
    app = make_app("production", env=PRODUCTION_ENV, dotenv="")
    response = app.client(login=False).get(
        "/api/v1/health", capture_logs=True, headers={"X-Request-ID": "trace-9f8e7d6c"}
    )
    assert response.status_code == 200, str(response)
    records = response.logs or []
    assert records, "production logs nothing for a request"
    parsed, streams = [], set()
    for record in records:
        for formatted, stream in zip(record["formatted"], record["streams"], strict=False):
            try:
                parsed.append(json.loads(formatted))
            except ValueError:
                continue
            streams.add(stream)
    assert parsed, "no handler of the app's logger writes JSON in production"
    assert any(p.get("request_id") == "trace-9f8e7d6c" and p.get("message") for p in parsed), (
        "the JSON lines lack the message or the request_id"
    )
    assert "stdout" in streams, f"the JSON lines go to {sorted(streams)}, not sys.stdout"
    plain = [
        (formatted, stream)
        for record in records
        for formatted, stream in zip(record["formatted"], record["streams"], strict=False)
        if not _is_json_object(formatted)
    ]
    assert not plain, (
        f"a handler writes plain lines to {plain[0][1]} in production "
        f"({plain[0][0][:60]!r}): replace the logger's handlers with the one JSON handler"
    )


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
