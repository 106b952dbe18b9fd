"""Accounts and tokens: registration, login, rotation and revocation."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from jwt import InvalidTokenError
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Unauthorized
from werkzeug.security import check_password_hash, generate_password_hash

from app import notifications
from app.database import commit
from app.extensions import db
from app.models import RevokedToken, User
from app.pagination import parse_uuid
from app.users import services as users


def register(email: str, name: str, password: str) -> User | None:
    """Create an account, or None when the email is taken."""
    if users.email_taken(email):
        return None
    user = users.create_user(email, name, password)
    if user is not None:
        notifications.send_welcome(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (never saying which was wrong)."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user


def change_password(user: User, current: str, new: str) -> bool:
    """Replace ``user``'s password and tell them by mail; False when ``current`` is wrong."""
    if not check_password_hash(user.password_hash, current):
        return False
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    user.password_hash = generate_password_hash(new, method=method)
    commit()
    notifications.send_password_changed(user)
    return True


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


def spend(payload: dict[str, Any]) -> bool:
    """Record the token these claims belong to as used: True the first time only.

    The jti is the table's key, so of two requests spending one token at the same moment
    the database lets exactly one insert through; the other gets False, never a 500.
    """
    row = RevokedToken(
        jti=payload["jti"], token_type=payload["type"], user_id=parse_uuid(payload["sub"])
    )
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def revoke(payload: dict[str, Any]) -> None:
    """Revoke the token these claims belong to (idempotent)."""
    spend(payload)


def rotate(user: User, refresh_payload: dict[str, Any]) -> dict[str, str]:
    """Spend a refresh token for a new pair; 401 when it was spent already (even a moment ago)."""
    if not spend(refresh_payload):
        raise Unauthorized("the token has been revoked")
    return issue_tokens(user)


def check_refresh_token(user: User, token: str) -> dict[str, Any]:
    """The claims of a refresh token a client hands back at logout; it must be the user's own.

    Checked before anything is revoked: a bad token is a 422 that leaves the session alone.
    """
    try:
        payload = decode_token(token)
    except (InvalidTokenError, JWTExtendedException, ValueError):
        raise ValidationError({"refresh_token": ["not a valid refresh token"]}) from None
    if payload.get("type") != "refresh" or payload.get("sub") != str(user.id):
        raise ValidationError({"refresh_token": ["not your refresh token"]})
    return payload


def log_out(access_payload: dict[str, Any], refresh_payload: dict[str, Any] | None) -> None:
    """Revoke this access token, and the (already checked) refresh token when there is one."""
    revoke(access_payload)
    if refresh_payload is not None:
        revoke(refresh_payload)
