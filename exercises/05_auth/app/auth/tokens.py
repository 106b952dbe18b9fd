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
    # TODO(task 3): Return the User whose id is the token's "sub" (None when there is none).
    raise NotImplementedError('TODO(task 3): Return the User whose id is the token\'s "sub" (None when there is none).')


@jwt.token_in_blocklist_loader
def token_revoked(_header: Payload, payload: Payload) -> bool:
    """A revoked token (logged out, or a refresh token already used) is refused."""
    # TODO(task 4): Ask services.is_revoked with the token's jti.
    raise NotImplementedError("TODO(task 4): Ask services.is_revoked with the token's jti.")


def _unauthorized(message: str) -> tuple[Response, int]:
    return error_response(401, "unauthorized", message)


# TODO(task 3): Answer every JWT failure (missing, invalid, expired, revoked, unknown user) with 401 in the error envelope.
