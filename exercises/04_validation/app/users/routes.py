"""Users: list, read and rename under /api/v1/users."""

from __future__ import annotations

from app.pagination import page_args
from app.responses import Body, found, ok
from app.serialization import dump, load
from app.users import bp, services
from app.users.schemas import UpdateUserSchema, UserResponseSchema


@bp.get("")
def list_users() -> Body:
    """One page of users, with page, per_page and total in meta."""
    result = services.list_users(*page_args())
    return ok(dump(UserResponseSchema, result.rows, many=True), **result.meta())


@bp.get("/<user_id>")
def get_user(user_id: str) -> Body:
    """One user, or 404."""
    return ok(dump(UserResponseSchema, found(services.get_user(user_id), "user")))


@bp.put("/<user_id>")
def update_user(user_id: str) -> Body:
    """Rename a user: 200 with the user, 422 for an invalid body."""
    changes = load(UpdateUserSchema, partial=True)
    return ok(dump(UserResponseSchema, found(services.update_user(user_id, changes), "user")))
