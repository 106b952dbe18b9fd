"""Cache keys and invalidation: per user, per query string, dropped by every write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request
from flask_jwt_extended import get_jwt_identity

from app.extensions import cache


def _generation(user_id: str) -> int:
    return int(cache.get(f"generation:{user_id}") or 0)


def view_key(*_args: Any, **_kwargs: Any) -> str:
    """The key of the current GET: the user, their data generation, the path, the query."""
    # TODO(task 2): Build the key from get_jwt_identity(), _generation() of that user, request.path and the sorted query string.
    raise NotImplementedError('TODO(task 2): Build the key from get_jwt_identity(), _generation() of that user, request.path and the sorted query string.')


def invalidate(user_id: Any) -> None:
    """Forget every cached view of this user: their next GETs read fresh data."""
    # TODO(task 3): Bump the user's generation (atomically: cache.cache.inc, the backend's counter), so none of their old keys is used again.
