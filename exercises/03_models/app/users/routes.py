"""Users: GET /api/v1/users and GET /api/v1/users/<id>."""

from __future__ import annotations

from app.pagination import page_args
from app.responses import Body, found, ok
from app.users import bp, services


@bp.get("")
def list_users() -> Body:
    """One page of users, with page, per_page and total in meta."""
    result = services.list_users(*page_args())
    return ok(result.rows, **result.meta())


@bp.get("/<user_id>")
def get_user(user_id: str) -> Body:
    """One user, or 404."""
    return ok(found(services.get_user(user_id), "user"))
