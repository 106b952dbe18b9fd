"""Users: GET /api/v1/users and GET /api/v1/users/<id>."""

from __future__ import annotations

from app.responses import Body, found, ok
from app.users import bp, services

# BEGIN SOLUTION (task 2): Add GET "" (all users, meta total) and GET "/<user_id>" (one user or 404).


@bp.get("")
def list_users() -> Body:
    """Every user, with the total in meta."""
    users = services.list_users()
    return ok(users, total=len(users))


@bp.get("/<user_id>")
def get_user(user_id: str) -> Body:
    """One user, or 404."""
    return ok(found(services.get_user(user_id), "user"))


# END SOLUTION
