"""Auth: register, login, refresh, logout and me under /api/v1/auth."""

from __future__ import annotations

from flask import abort, request
from flask_jwt_extended import current_user, get_jwt, jwt_required

from app.auth import bp, services
from app.auth.schemas import LoginSchema, LogoutSchema, TokenPairSchema
from app.responses import Body, ok
from app.serialization import dump, load
from app.users.schemas import CreateUserSchema, UserResponseSchema


@bp.post("/register")
def register() -> Body:
    """Create an account: 201 with the user, 409 when the email is taken, 422 when invalid."""
    payload = load(CreateUserSchema)
    user = services.register(payload["email"], payload["name"], payload["password"])
    if user is None:
        abort(409, description="email already registered")
    return ok(dump(UserResponseSchema, user), 201)


@bp.post("/login")
def login() -> Body:
    """Trade an email and password for a token pair; 401 when either is wrong."""
    # TODO(task 2): Load LoginSchema, authenticate (401 "wrong email or password" on failure), answer 200 with services.issue_tokens(user).
    raise NotImplementedError('TODO(task 2): Load LoginSchema, authenticate (401 "wrong email or password" on failure), answer 200 with services.issue_tokens(user).')


@bp.post("/refresh")
@jwt_required(refresh=True)
def refresh() -> Body:
    """Spend a refresh token for a new pair; the old refresh token is revoked."""
    # TODO(task 4): Answer 200 with services.rotate(current_user, get_jwt()).
    raise NotImplementedError('TODO(task 4): Answer 200 with services.rotate(current_user, get_jwt()).')


@bp.post("/logout")
@jwt_required()
def logout() -> tuple[str, int]:
    """Revoke this access token, and the refresh token if the body names it: 204."""
    # TODO(task 4): Check the body's refresh_token first (services.check_refresh_token), then services.log_out both; answer 204.
    raise NotImplementedError("TODO(task 4): Check the body's refresh_token first (services.check_refresh_token), then services.log_out both; answer 204.")


@bp.get("/me")
@jwt_required()
def me() -> Body:
    """The user this access token belongs to."""
    return ok(dump(UserResponseSchema, current_user))
