"""Users: the only code that touches the users table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.database import commit
from app.extensions import db
from app.models import User
from app.pagination import Page, paginate, parse_uuid


def public(user: User) -> dict[str, Any]:
    """A user as the API shows it: never the password hash."""
    return {"id": str(user.id), "email": user.email, "name": user.name}


def email_taken(email: str) -> bool:
    """Whether an account already uses ``email`` (case-insensitive)."""
    # TODO(task 3): One select() of the id of the user with this (lower-cased) email.
    raise NotImplementedError('TODO(task 3): One select() of the id of the user with this (lower-cased) email.')


def create_user(email: str, name: str, password: str) -> dict[str, Any]:
    """Create an account; only a salted hash of the password is kept."""
    # TODO(task 3): Add a User (lower-cased email, hashed password) and commit.
    raise NotImplementedError('TODO(task 3): Add a User (lower-cased email, hashed password) and commit.')


def list_users(page: int, per_page: int) -> Page:
    """One page of users, oldest first."""
    # TODO(task 3): Paginate select(User) ordered by created_at then id; rows become public dicts.
    raise NotImplementedError('TODO(task 3): Paginate select(User) ordered by created_at then id; rows become public dicts.')


def get_user(user_id: str) -> dict[str, Any] | None:
    """One user, or None."""
    # TODO(task 3): db.session.get(User, ...) with the id parsed by parse_uuid.
    raise NotImplementedError('TODO(task 3): db.session.get(User, ...) with the id parsed by parse_uuid.')
