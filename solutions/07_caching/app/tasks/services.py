"""Tasks: the only code that touches the tasks table. Every call acts for one owner."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.caching import invalidate
from app.database import commit
from app.exceptions import ConflictError
from app.extensions import cache, db
from app.models import Project, Task, User
from app.pagination import Page, paginate, parse_uuid
from app.projects.services import owned, task_counts

EDITABLE = ("title", "status", "start_date", "due_date")


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError("the project already has a task with this title") from None


def _changed(owner: User, task: Task) -> None:
    """A task changed: drop the owner's cached views and the project's task counts."""
    # BEGIN SOLUTION (task 3): invalidate(owner.id) and cache.delete_memoized(task_counts, str(task.project_id)).
    invalidate(owner.id)
    cache.delete_memoized(task_counts, str(task.project_id))
    # SKELETON
    # END SOLUTION


def create_task(owner: User, project_id: uuid.UUID, fields: dict[str, Any]) -> Task | None:
    """Create a task in one of the owner's projects; None when the owner has no such project."""
    if owned(owner, project_id) is None:
        return None
    task = Task(project_id=project_id, **fields)
    db.session.add(task)
    _commit()
    _changed(owner, task)
    return task


def list_tasks(
    owner: User, project_id: str | None, status: str | None, page: int, per_page: int
) -> Page:
    """One page of the owner's tasks, optionally one project's and one status."""
    stmt = (
        select(Task)
        .join(Project, Task.project_id == Project.id)
        .where(Project.owner_id == owner.id)
        .order_by(Task.created_at, Task.id)
    )
    if project_id is not None:
        stmt = stmt.where(Task.project_id == parse_uuid(project_id))
    if status is not None:
        stmt = stmt.where(Task.status == status)
    result = paginate(stmt, page, per_page)
    return Page([task for (task,) in result.rows], page, per_page, result.total)


def get_task(owner: User, task_id: str) -> Task | None:
    """One of the owner's tasks, or None."""
    key = parse_uuid(task_id)
    task = db.session.get(Task, key) if key else None
    if task is None or owned(owner, task.project_id) is None:
        return None
    return task


def update_task(owner: User, task_id: str, changes: dict[str, Any]) -> Task | None:
    """Apply the editable fields of ``changes``; None when the owner has no such task."""
    task = get_task(owner, task_id)
    if task is None:
        return None
    for field in EDITABLE:
        if field in changes:
            setattr(task, field, changes[field])
    _commit()
    _changed(owner, task)
    return task


def delete_task(owner: User, task_id: str) -> bool:
    """Delete one of the owner's tasks; False when there is none."""
    task = get_task(owner, task_id)
    if task is None:
        return False
    db.session.delete(task)
    commit()
    _changed(owner, task)
    return True
