"""Users: the only code that touches the users table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.database import commit
from app.extensions import db
from app.models import User
from app.pagination import Page, paginate, parse_uuid


def email_taken(email: str) -> bool:
    """Whether an account already uses ``email`` (case-insensitive)."""
    found = db.session.execute(select(User.id).where(User.email == email.lower())).first()
    return found is not None


def create_user(email: str, name: str, password: str) -> User:
    """Create an account; only a salted hash of the password is kept."""
    user = User(email=email.lower(), name=name, password_hash=generate_password_hash(password))
    db.session.add(user)
    commit()
    return user


def list_users(page: int, per_page: int) -> Page:
    """One page of users, oldest first."""
    result = paginate(select(User).order_by(User.created_at, User.id), page, per_page)
    return Page([user for (user,) in result.rows], page, per_page, result.total)


def get_user(user_id: str) -> User | None:
    """One user, or None."""
    key = parse_uuid(user_id)
    return db.session.get(User, key) if key else None


def update_user(user_id: str, changes: dict[str, Any]) -> User | None:
    """Change a user's name; None when the user does not exist."""
    user = get_user(user_id)
    if user is None:
        return None
    if "name" in changes:
        user.name = changes["name"]
    commit()
    return user
