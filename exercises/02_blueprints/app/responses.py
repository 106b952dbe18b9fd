"""Helpers every route uses: the success envelope, 404s, and reading a JSON body."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, request

T = TypeVar("T")
Body = tuple[dict[str, Any], int]


def ok(data: Any, status: int = 200, **meta: Any) -> Body:
    """``{"data": ..., "meta": {...}}`` with an explicit status."""
    return {"data": data, "meta": meta}, status


def found(row: T | None, what: str) -> T:
    """``row``, or a 404 naming ``what`` when it does not exist."""
    if row is None:
        abort(404, description=f"{what} not found")
    return row


def json_body(*required: str) -> dict[str, Any]:
    """The request's JSON object; 400 when it is not one or lacks a required field."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="the body must be a JSON object")
    missing = [name for name in required if not payload.get(name)]
    if missing:
        abort(400, description=f"missing required field(s): {', '.join(missing)}")
    return payload
