"""Helpers every route uses: the success envelope, 404s, and loading a validated body."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, request
from marshmallow import Schema

from app.exceptions import ResourceNotFoundError

T = TypeVar("T")
Body = tuple[dict[str, Any], int]


def ok(data: Any, status: int = 200, **meta: Any) -> Body:
    """``{"data": ..., "meta": {...}}`` with an explicit status."""
    return {"data": data, "meta": meta}, status


def found(row: T | None, what: str) -> T:
    """``row``, or ResourceNotFoundError naming ``what`` when it does not exist."""
    if row is None:
        raise ResourceNotFoundError(f"{what} not found")
    return row


def load(schema: Schema, *, partial: bool = False) -> dict[str, Any]:
    """The JSON body validated by ``schema``: 400 when it is no JSON object, 422 when invalid."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="the body must be a JSON object")
    data: dict[str, Any] = schema.load(payload, partial=partial)
    return data
