"""Tasks: the work inside a project."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.user import utcnow

if TYPE_CHECKING:
    from app.models.project import Project


class Task(db.Model):
    """A task."""

    __tablename__ = "tasks"

    # TODO(task 2): Add a (project_id, status) index and a unique (project_id, title) constraint in __table_args__; map id (UUID), project_id (indexed, CASCADE on delete), title, status (indexed, default "todo"), created_at and the project relationship.
    id: Mapped[int] = mapped_column(primary_key=True)
