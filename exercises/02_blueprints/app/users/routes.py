"""Users: GET /api/v1/users and GET /api/v1/users/<id>."""

from __future__ import annotations

from app.responses import Body, found, ok
from app.users import bp, services

# TODO(task 2): Add GET "" (all users, meta total) and GET "/<user_id>" (one user or 404).
