"""The one JSON error shape, built in one place."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException


def error_response(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """``{"error": {"code", "message", "details"}}`` with ``status``."""
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status


def handle_http_error(exc: HTTPException) -> tuple[Response, int]:
    """Any HTTP error (400, 404, 405, 409, ...) as the JSON envelope, not Werkzeug's HTML."""
    # TODO(task 5): Build the envelope: code = exc.name in snake_case, message = exc.description; keep the Allow header of a 405.
    raise NotImplementedError('TODO(task 5): Build the envelope: code = exc.name in snake_case, message = exc.description; keep the Allow header of a 405.')
