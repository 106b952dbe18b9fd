"""Projects: a named set of tasks, optionally owned by a user."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.user import utcnow

if TYPE_CHECKING:
    from app.models.task import Task
    from app.models.user import User


class Project(db.Model):
    """A project."""

    __tablename__ = "projects"

    # BEGIN SOLUTION (task 2): Map id (UUID), name, description, owner_id (indexed foreign key to users, SET NULL on delete), created_at, and the owner and tasks relationships (tasks deleted with their project).
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    owner: Mapped[User | None] = relationship(back_populates="projects")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )
    # SKELETON
    # id: Mapped[int] = mapped_column(primary_key=True)
    # END SOLUTION
