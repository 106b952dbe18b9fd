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

    # TODO(task 2): Map id (UUID), name, description, owner_id (indexed foreign key to users, SET NULL on delete), created_at, and the owner and tasks relationships (tasks deleted with their project).
    id: Mapped[int] = mapped_column(primary_key=True)
