"""Tasks: the only code that touches the tasks table."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from app.database import commit
from app.extensions import db
from app.models import Project, Task
from app.pagination import Page, paginate, parse_uuid

EDITABLE = ("title", "status", "start_date", "due_date")


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(description="the project already has a task with this title") from None


def create_task(project_id: uuid.UUID, fields: dict[str, Any]) -> Task | None:
    """Create a task in a project; None when the project does not exist."""
    if db.session.get(Project, project_id) is None:
        return None
    task = Task(project_id=project_id, **fields)
    db.session.add(task)
    _commit()
    return task


def list_tasks(project_id: str | None, status: str | None, page: int, per_page: int) -> Page:
    """One page of tasks, optionally only one project's and only one status."""
    stmt = select(Task).order_by(Task.created_at, Task.id)
    if project_id is not None:
        stmt = stmt.where(Task.project_id == parse_uuid(project_id))
    if status is not None:
        stmt = stmt.where(Task.status == status)
    result = paginate(stmt, page, per_page)
    return Page([task for (task,) in result.rows], page, per_page, result.total)


def get_task(task_id: str) -> Task | None:
    """One task, or None."""
    key = parse_uuid(task_id)
    return db.session.get(Task, key) if key else None


def update_task(task_id: str, changes: dict[str, Any]) -> Task | None:
    """Apply the editable fields of ``changes``; None when the task does not exist."""
    task = get_task(task_id)
    if task is None:
        return None
    for field in EDITABLE:
        if field in changes:
            setattr(task, field, changes[field])
    _commit()
    return task


def delete_task(task_id: str) -> bool:
    """Delete a task; False when it did not exist."""
    task = get_task(task_id)
    if task is None:
        return False
    db.session.delete(task)
    commit()
    return True
