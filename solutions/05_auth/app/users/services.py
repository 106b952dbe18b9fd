"""Users: the only code that touches the users table."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from app.database import commit
from app.extensions import db
from app.models import User
from app.pagination import Page, paginate, parse_uuid


def email_taken(email: str) -> bool:
    """Whether an account already uses ``email`` (case-insensitive)."""
    found = db.session.execute(select(User.id).where(User.email == email.lower())).first()
    return found is not None


def create_user(email: str, name: str, password: str) -> User | None:
    """Create an account (None when the email is taken); only a salted hash is kept."""
    # BEGIN SOLUTION (task 2): Store a salted hash of the password (method: the PASSWORD_HASH_METHOD setting), never the password.
    # scrypt by default: salted and memory-hard; the hash records its method and salt.
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    password_hash = generate_password_hash(password, method=method)
    # SKELETON
    # password_hash = password
    # END SOLUTION
    user = User(email=email.lower(), name=name, password_hash=password_hash)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # registered at the same moment: the unique index decides (409)
        db.session.rollback()
        return None
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
