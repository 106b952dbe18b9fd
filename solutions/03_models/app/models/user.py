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

    # BEGIN SOLUTION (task 2): Map id (UUID primary key), email (unique, indexed), name, password_hash, created_at and the projects relationship.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    projects: Mapped[list[Project]] = relationship(back_populates="owner")
    # SKELETON
    # id: Mapped[int] = mapped_column(primary_key=True)
    # END SOLUTION
