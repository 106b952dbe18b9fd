"""The database models, one module per aggregate."""

from __future__ import annotations

from app.models.project import Project
from app.models.task import Task
from app.models.token import RevokedToken
from app.models.user import User

__all__ = ["Project", "RevokedToken", "Task", "User"]
