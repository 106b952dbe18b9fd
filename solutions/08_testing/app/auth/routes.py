"""Auth: register, login, refresh, logout, password and me under /api/v1/auth."""

from __future__ import annotations

from flask import abort, request
from flask_jwt_extended import current_user, get_jwt, jwt_required

from app.auth import bp, services
from app.auth.limits import account_key, config_limit
from app.auth.schemas import LoginSchema, LogoutSchema, PasswordChangeSchema, TokenPairSchema
from app.exceptions import ConflictError
from app.extensions import limiter
from app.responses import Body, ok
from app.serialization import dump, load
from app.users.schemas import CreateUserSchema, UserResponseSchema


@bp.post("/register")
@limiter.limit(config_limit("REGISTER_LIMIT"))
def register() -> Body:
    """Create an account: 201 with the user, 409 when the email is taken, 422 when invalid."""
    payload = load(CreateUserSchema)
    user = services.register(payload["email"], payload["name"], payload["password"])
    if user is None:
        raise ConflictError("email already registered")
    return ok(dump(UserResponseSchema, user), 201)


@bp.post("/login")
@limiter.limit(config_limit("LOGIN_LIMIT"))
@limiter.limit(config_limit("LOGIN_ACCOUNT_LIMIT"), key_func=account_key)
def login() -> Body:
    """Trade an email and password for a token pair; 401 when either is wrong."""
    payload = load(LoginSchema)
    user = services.authenticate(payload["email"], payload["password"])
    if user is None:
        abort(401, description="wrong email or password")
    return ok(dump(TokenPairSchema, services.issue_tokens(user)))


@bp.post("/refresh")
@jwt_required(refresh=True)
def refresh() -> Body:
    """Spend a refresh token for a new pair; the old refresh token is revoked."""
    return ok(dump(TokenPairSchema, services.rotate(current_user, get_jwt())))


@bp.post("/logout")
@jwt_required()
def logout() -> tuple[str, int]:
    """Revoke this access token, and the refresh token if the body names it: 204."""
    body = load(LogoutSchema) if request.get_data() else {}
    token = body.get("refresh_token")
    refresh = services.check_refresh_token(current_user, token) if token else None
    services.log_out(get_jwt(), refresh)
    return "", 204


@bp.put("/password")
@jwt_required()
def change_password() -> tuple[str, int]:
    """Change your password: 204 and a notice by mail, 403 when the current one is wrong."""
    payload = load(PasswordChangeSchema)
    if not services.change_password(
        current_user, payload["current_password"], payload["new_password"]
    ):
        abort(403, description="the current password is wrong")
    return "", 204


@bp.get("/me")
@jwt_required()
def me() -> Body:
    """The user this access token belongs to."""
    return ok(dump(UserResponseSchema, current_user))
