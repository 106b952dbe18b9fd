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
    # BEGIN SOLUTION (task 3): One select() of the id of the user with this (lower-cased) email.
    found = db.session.execute(select(User.id).where(User.email == email.lower())).first()
    return found is not None
    # END SOLUTION


def create_user(email: str, name: str, password: str) -> dict[str, Any]:
    """Create an account; only a salted hash of the password is kept."""
    # BEGIN SOLUTION (task 3): Add a User (lower-cased email, hashed password) and commit.
    user = User(email=email.lower(), name=name, password_hash=generate_password_hash(password))
    db.session.add(user)
    commit()
    return public(user)
    # END SOLUTION


def list_users(page: int, per_page: int) -> Page:
    """One page of users, oldest first."""
    # BEGIN SOLUTION (task 3): Paginate select(User) ordered by created_at then id; rows become public dicts.
    result = paginate(select(User).order_by(User.created_at, User.id), page, per_page)
    return Page([public(user) for (user,) in result.rows], page, per_page, result.total)
    # END SOLUTION


def get_user(user_id: str) -> dict[str, Any] | None:
    """One user, or None."""
    # BEGIN SOLUTION (task 3): db.session.get(User, ...) with the id parsed by parse_uuid.
    key = parse_uuid(user_id)
    user = db.session.get(User, key) if key else None
    return public(user) if user else None
    # END SOLUTION
