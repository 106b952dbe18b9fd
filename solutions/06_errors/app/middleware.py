"""Request hooks: an id for every request, echoed back, and one access-log line per response."""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, current_app, g, request

from app.safe_input import StorableJSONProvider, refuse_nul_in_query

HEADER = "X-Request-ID"
# What a proxy may hand us: 8 to 64 safe characters. Anything else is not copied into logs.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def register_middleware(app: Flask) -> None:
    """Install the hooks on ``app``, and the JSON reader that only accepts storable text.

    The request id comes first of all ``before_request`` hooks, even those of extensions
    registered earlier (Flask-Limiter's), so an answer they make (a 429) still echoes it.
    """
    app.json = StorableJSONProvider(app)
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)
    app.before_request(refuse_nul_in_query)
    app.after_request(echo_and_log)


def assign_request_id() -> None:
    """Keep a well-formed incoming X-Request-ID, otherwise make a new one."""
    # BEGIN SOLUTION (task 3): Set g.request_id to the incoming header when VALID_ID matches it, else to uuid.uuid4().hex; remember the start time in g.
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    # SKELETON
    # END SOLUTION


def echo_and_log(response: Response) -> Response:
    """Echo the request id and log method, path, status and duration."""
    # BEGIN SOLUTION (task 3): Put g.request_id in the response's X-Request-ID header.
    response.headers[HEADER] = g.get("request_id") or uuid.uuid4().hex
    # SKELETON
    # END SOLUTION
    # BEGIN SOLUTION (task 4): Log one INFO line: method, path, status and duration in ms.
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    current_app.logger.info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        elapsed,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed, 1),
        },
    )
    # SKELETON
    # END SOLUTION
    return response
