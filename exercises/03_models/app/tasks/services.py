"""Tasks: the only code that touches the tasks table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from app.database import commit
from app.extensions import db
from app.models import Project, Task
from app.pagination import Page, paginate, parse_uuid

EDITABLE = ("title", "status")


def to_dict(task: Task) -> dict[str, Any]:
    """A task as the API shows it."""
    return {
        "id": str(task.id),
        "project_id": str(task.project_id),
        "title": task.title,
        "status": task.status,
    }


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(description="the project already has a task with this title") from None


def create_task(project_id: str, title: str, status: str = "todo") -> dict[str, Any] | None:
    """Create a task in a project; None when the project does not exist."""
    key = parse_uuid(project_id)
    if key is None or db.session.get(Project, key) is None:
        return None
    task = Task(project_id=key, title=title, status=status)
    db.session.add(task)
    _commit()
    return to_dict(task)


def list_tasks(project_id: str | None, status: str | None, page: int, per_page: int) -> Page:
    """One page of tasks, optionally only one project's and only one status."""
    # TODO(task 3): select(Task), filtered by project_id (parsed) and status when given, oldest first, paginated.
    raise NotImplementedError('TODO(task 3): select(Task), filtered by project_id (parsed) and status when given, oldest first, paginated.')


def get_task(task_id: str) -> dict[str, Any] | None:
    """One task, or None."""
    key = parse_uuid(task_id)
    task = db.session.get(Task, key) if key else None
    return to_dict(task) if task else None


def update_task(task_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Apply the editable fields of ``changes``; None when the task does not exist."""
    key = parse_uuid(task_id)
    task = db.session.get(Task, key) if key else None
    if task is None:
        return None
    for field in EDITABLE:
        if field in changes:
            setattr(task, field, changes[field])
    _commit()
    return to_dict(task)


def delete_task(task_id: str) -> bool:
    """Delete a task; False when it did not exist."""
    key = parse_uuid(task_id)
    task = db.session.get(Task, key) if key else None
    if task is None:
        return False
    db.session.delete(task)
    commit()
    return True
