"""Users: list, read and rename under /api/v1/users (logged-in users only)."""

from __future__ import annotations

from flask import abort
from flask_jwt_extended import current_user, verify_jwt_in_request

from app.pagination import page_args
from app.responses import Body, found, ok
from app.serialization import dump, load
from app.users import bp, services
from app.users.schemas import UpdateUserSchema, UserResponseSchema

# TODO(task 5): Check the access token once, for every route of this blueprint.


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
    """Rename yourself: 200; someone else: 403; 422 for an invalid body."""
    changes = load(UpdateUserSchema, partial=True)
    # TODO(task 5): Refuse with 403 when user_id is not the current user's id.
    raise NotImplementedError("TODO(task 5): Refuse with 403 when user_id is not the current user's id.")
    return ok(dump(UserResponseSchema, found(services.update_user(user_id, changes), "user")))
