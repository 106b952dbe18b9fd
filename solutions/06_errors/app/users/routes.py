"""Users: list, read and rename under /api/v1/users (logged-in users only)."""

from __future__ import annotations

from flask_jwt_extended import current_user, verify_jwt_in_request

from app.exceptions import PermissionDeniedError
from app.pagination import page_args
from app.responses import Body, found, ok
from app.serialization import dump, load
from app.users import bp, services
from app.users.schemas import UpdateUserSchema, UserResponseSchema


@bp.before_request
def require_access_token() -> None:
    """Every users route needs a valid access token: one check for the blueprint, so a
    route added later is guarded too (401 otherwise)."""
    verify_jwt_in_request()


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
    if user_id != str(current_user.id):
        raise PermissionDeniedError("you can only change your own account")
    return ok(dump(UserResponseSchema, found(services.update_user(user_id, changes), "user")))
