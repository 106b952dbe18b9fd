"""Accounts: registration (stage 05 adds login and tokens)."""

from __future__ import annotations

from app.models import User
from app.users import services as users


def register(email: str, name: str, password: str) -> User | None:
    """Create an account, or None when the email is taken."""
    if users.email_taken(email):
        return None
    return users.create_user(email, name, password)
