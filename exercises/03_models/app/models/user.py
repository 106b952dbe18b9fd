"""Users: accounts that own projects."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.models.project import Project


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond (list order depends on it)."""
    return datetime.now(UTC)


class User(db.Model):
    """An account."""

    __tablename__ = "users"

    # TODO(task 2): Map id (UUID primary key), email (unique, indexed), name, password_hash, created_at and the projects relationship.
    id: Mapped[int] = mapped_column(primary_key=True)
