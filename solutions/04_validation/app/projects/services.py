"""Projects: the only code that touches the projects table."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Conflict, NotFound

from app.database import commit
from app.extensions import db
from app.models import Project, Task, User
from app.pagination import Page, paginate, parse_uuid

EDITABLE = ("name", "description")

# The number of tasks of the project in the same row: no query per project.
TASK_COUNT = (
    select(func.count(Task.id))
    .where(Task.project_id == Project.id)
    .correlate(Project)
    .scalar_subquery()
    .label("task_count")
)


def to_dict(project: Project, task_count: int) -> dict[str, Any]:
    """A project as the API shows it, with its owner and task count."""
    owner = project.owner
    return {
        "id": str(project.id),
        "name": project.name,
        "description": project.description,
        "owner": {"id": str(owner.id), "name": owner.name} if owner else None,
        "task_count": int(task_count),
    }


def _listing() -> Any:
    """Every project with its owner and task count, oldest first: one statement."""
    return (
        select(Project, TASK_COUNT)
        .options(joinedload(Project.owner))
        .order_by(Project.created_at, Project.id)
    )


def create_project(
    name: str,
    description: str = "",
    owner_id: uuid.UUID | None = None,
    tasks: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Create a project with its initial tasks: one commit, all or nothing."""
    owner = db.session.get(User, owner_id) if owner_id else None
    if owner_id and owner is None:
        raise NotFound(description="owner not found")
    project = Project(name=name, description=description, owner=owner)
    project.tasks = [Task(**task) for task in tasks or []]  # fields already validated
    db.session.add(project)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(description="two tasks of one project share a title") from None
    return to_dict(project, len(project.tasks))


def list_projects(page: int, per_page: int) -> Page:
    """One page of projects with owners and task counts, in a fixed number of queries."""
    result = paginate(_listing(), page, per_page)
    return Page([to_dict(p, n) for p, n in result.rows], page, per_page, result.total)


def get_project(project_id: str) -> dict[str, Any] | None:
    """One project, or None."""
    key = parse_uuid(project_id)
    row = db.session.execute(_listing().where(Project.id == key)).first() if key else None
    return to_dict(*row) if row else None


def update_project(project_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Apply the editable fields of ``changes``; None when the project does not exist."""
    key = parse_uuid(project_id)
    project = db.session.get(Project, key) if key else None
    if project is None:
        return None
    for field in EDITABLE:
        if field in changes:
            setattr(project, field, changes[field])
    commit()
    return get_project(project_id)


def delete_project(project_id: str) -> bool:
    """Delete a project and its tasks; False when it did not exist."""
    key = parse_uuid(project_id)
    project = db.session.get(Project, key) if key else None
    if project is None:
        return False
    db.session.delete(project)
    commit()
    return True
