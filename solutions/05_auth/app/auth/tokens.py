"""Flask-JWT-Extended callbacks: who a token is, whether it is revoked, and every 401."""

from __future__ import annotations

from typing import Any

from flask import Response

from app.auth import services
from app.errors import error_response
from app.extensions import db, jwt
from app.models import User
from app.pagination import parse_uuid

Payload = dict[str, Any]


@jwt.user_identity_loader
def user_identity(user: User) -> str:
    """A token's subject is the user's id, as text."""
    return str(user.id)


@jwt.user_lookup_loader
def load_user(_header: Payload, payload: Payload) -> User | None:
    """``current_user`` in a route: the user the token's subject names."""
    # BEGIN SOLUTION (task 3): Return the User whose id is the token's "sub" (None when there is none).
    key = parse_uuid(payload.get("sub"))
    return db.session.get(User, key) if key else None
    # END SOLUTION


@jwt.token_in_blocklist_loader
def token_revoked(_header: Payload, payload: Payload) -> bool:
    """A revoked token (logged out, or a refresh token already used) is refused."""
    # BEGIN SOLUTION (task 4): Ask services.is_revoked with the token's jti.
    return services.is_revoked(payload["jti"])
    # END SOLUTION


def _unauthorized(message: str) -> tuple[Response, int]:
    return error_response(401, "unauthorized", message)


# BEGIN SOLUTION (task 3): Answer every JWT failure (missing, invalid, expired, revoked, unknown user) with 401 in the error envelope.
@jwt.unauthorized_loader
def missing_token(reason: str) -> tuple[Response, int]:
    """No token where one is required."""
    return _unauthorized("an access token is required")


@jwt.invalid_token_loader
def invalid_token(reason: str) -> tuple[Response, int]:
    """A malformed token, a bad signature, an unknown algorithm or the wrong token type."""
    return _unauthorized("the token is not valid")


@jwt.expired_token_loader
def expired_token(_header: Payload, _payload: Payload) -> tuple[Response, int]:
    """A token past its expiry."""
    return _unauthorized("the token has expired")


@jwt.revoked_token_loader
def revoked_token(_header: Payload, _payload: Payload) -> tuple[Response, int]:
    """A token that was revoked."""
    return _unauthorized("the token has been revoked")


@jwt.user_lookup_error_loader
def unknown_user(_header: Payload, _payload: Payload) -> tuple[Response, int]:
    """A valid token for a user that no longer exists."""
    return _unauthorized("the token's user does not exist")


# END SOLUTION
