"""The one JSON error shape, built in one place."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """``{"error": {"code", "message", "details"}}`` with ``status``."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status


def handle_http_error(exc: HTTPException) -> tuple[Response, int]:
    """Any HTTP error (400, 404, 405, 409, ...) as the JSON envelope, not Werkzeug's HTML."""
    status = exc.code or 500
    code = (exc.name or "error").lower().replace(" ", "_")
    response, status = error_response(status, code, exc.description or exc.name)
    allow = exc.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response, status


def handle_validation_error(exc: ValidationError) -> tuple[Response, int]:
    """A body that breaks its model: 422, each field ("tasks.1.status") with its messages."""
    details: dict[str, list[str]] = {}
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "_schema"
        cause = error.get("ctx", {}).get("error")
        message = str(cause) if error["type"] == "value_error" and cause else error["msg"]
        details.setdefault(field, []).append(message)
    return error_response(422, "validation_error", "the request body is invalid", details)
