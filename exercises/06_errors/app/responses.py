"""Helpers every route uses: the success envelope and 404s."""

from __future__ import annotations

from typing import Any, TypeVar

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
