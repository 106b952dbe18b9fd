"""Cache keys and invalidation: per user, per query string, dropped by every write."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from flask import request
from flask_jwt_extended import get_jwt_identity

from app.extensions import cache

# The query arguments the cached views read. Any other argument is left out of the key, so
# junk parameters (?x=1, ?x=2, ...) cannot each make a new cache entry.
VIEW_ARGS = ("page", "per_page", "project_id", "status")


def _generation(user_id: str) -> str:
    return str(cache.get(f"generation:{user_id}") or "0")


def view_key(*_args: Any, **_kwargs: Any) -> str:
    """The key of the current GET: the user, their data generation, the path, the query."""
    # BEGIN SOLUTION (task 2): Build the key from get_jwt_identity(), _generation() of that user, request.path and the sorted VIEW_ARGS of the query string.
    user = str(get_jwt_identity())
    query = urlencode(sorted(kv for kv in request.args.items(multi=True) if kv[0] in VIEW_ARGS))
    return f"view:{user}:{_generation(user)}:{request.path}?{query}"
    # END SOLUTION


def invalidate(user_id: Any) -> None:
    """Forget every cached view of this user: their next GETs read fresh data."""
    # BEGIN SOLUTION (task 3): Give the user a new generation, a fresh uuid4().hex stored with timeout=0 (never expires), so none of their old keys is used again.
    # One SET: atomic on every backend. A generation that expired would bring back views
    # cached under an old one, so it never does.
    cache.set(f"generation:{user_id}", uuid.uuid4().hex, timeout=0)
    # SKELETON
    # END SOLUTION
