"""Accounts and tokens: registration, login, rotation and revocation."""

from __future__ import annotations

from typing import Any

from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from jwt import InvalidTokenError
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import RevokedToken, User
from app.pagination import parse_uuid
from app.users import services as users


def register(email: str, name: str, password: str) -> User | None:
    """Create an account, or None when the email is taken."""
    if users.email_taken(email):
        return None
    return users.create_user(email, name, password)


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (never saying which was wrong)."""
    # BEGIN SOLUTION (task 2): Find the user by lower-cased email and check the password against its hash with check_password_hash.
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user
    # END SOLUTION


def issue_tokens(user: User) -> dict[str, str]:
    """A fresh access and refresh token for ``user``."""
    return {
        "access_token": create_access_token(identity=user),
        "refresh_token": create_refresh_token(identity=user),
        "token_type": "Bearer",
    }


def is_revoked(jti: str) -> bool:
    """Whether the token with this id was revoked."""
    return db.session.get(RevokedToken, jti) is not None


def revoke(payload: dict[str, Any]) -> None:
    """Revoke the token these claims belong to (idempotent)."""
    # BEGIN SOLUTION (task 4): Add a RevokedToken (jti, type, user id from "sub") unless it is there already; commit.
    if not is_revoked(payload["jti"]):
        db.session.add(
            RevokedToken(
                jti=payload["jti"], token_type=payload["type"], user_id=parse_uuid(payload["sub"])
            )
        )
        db.session.commit()
    # END SOLUTION


def rotate(user: User, refresh_payload: dict[str, Any]) -> dict[str, str]:
    """Spend a refresh token: revoke it and hand out a new pair (reuse is then refused)."""
    # BEGIN SOLUTION (task 4): Revoke the refresh token, then issue a new pair.
    revoke(refresh_payload)
    return issue_tokens(user)
    # END SOLUTION


def revoke_refresh_token(user: User, token: str) -> None:
    """Revoke a refresh token a client hands back at logout; it must be the user's own."""
    try:
        payload = decode_token(token)
    except InvalidTokenError:
        raise ValidationError({"refresh_token": ["not a valid refresh token"]}) from None
    if payload.get("type") != "refresh" or payload.get("sub") != str(user.id):
        raise ValidationError({"refresh_token": ["not your refresh token"]})
    revoke(payload)
