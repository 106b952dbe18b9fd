"""The one JSON error shape, built in one place, for every error the app can answer."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from app.exceptions import DomainError


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """``{"error": {"code", "message", "details"}}`` with ``status``."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status


def handle_http_error(exc: HTTPException) -> tuple[Response, int]:
    """Any HTTP error (400, 401, 404, 405, 429, ...) as the JSON envelope, not Werkzeug's HTML."""
    status = exc.code or 500
    code = (exc.name or "error").lower().replace(" ", "_")
    response, status = error_response(status, code, exc.description or exc.name)
    allow = exc.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response, status


def handle_validation_error(exc: ValidationError) -> tuple[Response, int]:
    """A body that breaks its schema: 422, with each field's messages in details."""
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    return error_response(422, "validation_error", "the request body is invalid", messages)


def handle_domain_error(exc: DomainError) -> tuple[Response, int]:
    """A domain exception answers its own status and code, with its message."""
    # BEGIN SOLUTION (task 2): Answer exc.status_code with code exc.code and message str(exc).
    return error_response(exc.status_code, exc.code, str(exc) or exc.code)
    # END SOLUTION


def handle_unexpected_error(exc: Exception) -> tuple[Response, int]:
    """Anything else is our bug: log the whole traceback, tell the client nothing about it."""
    # BEGIN SOLUTION (task 1): Log with current_app.logger.exception (the traceback goes to the log), then answer 500, code "internal_error", a fixed message, and details {"request_id": ...}.
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    details = {"request_id": g.get("request_id", "")}
    return error_response(500, "internal_error", "something went wrong on our side", details)
    # END SOLUTION
