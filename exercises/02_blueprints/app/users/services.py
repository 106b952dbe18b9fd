"""Users: the only code that touches the users table."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.security import generate_password_hash

from app.extensions import Row, store


def public(row: Row) -> dict[str, Any]:
    """A user as the API shows it: never the password hash."""
    return {"id": row["id"], "email": row["email"], "name": row["name"]}


def email_taken(email: str) -> bool:
    """Whether an account already uses ``email`` (case-insensitive)."""
    return any(row["email"] == email.lower() for row in store.table("users").values())


def create_user(email: str, name: str, password: str) -> dict[str, Any]:
    """Create an account; only a salted hash of the password is kept."""
    row = {
        "id": str(uuid.uuid4()),
        "email": email.lower(),
        "name": name,
        "password_hash": generate_password_hash(password),
    }
    store.table("users")[row["id"]] = row
    return public(row)


def list_users() -> list[dict[str, Any]]:
    """Every user, in creation order."""
    return [public(row) for row in store.table("users").values()]


def get_user(user_id: str) -> dict[str, Any] | None:
    """One user, or None."""
    row = store.table("users").get(user_id)
    return public(row) if row else None
