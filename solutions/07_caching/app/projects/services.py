"""Projects: the only code that touches the projects table. Every call acts for one owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.caching import invalidate
from app.database import commit
from app.exceptions import ConflictError
from app.extensions import cache, db
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
    """A project with its owner and task count, for the response schema."""
    return {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "owner": project.owner,
        "task_count": int(task_count),
    }


def _listing(owner: User) -> Select[Any]:
    """The owner's projects with owners and task counts, oldest first: one statement."""
    return (
        select(Project, TASK_COUNT)
        .where(Project.owner_id == owner.id)
        .options(joinedload(Project.owner))
        .order_by(Project.created_at, Project.id)
    )


def owned(owner: User, project_id: Any) -> Project | None:
    """The owner's project with this id; another user's project is as good as missing."""
    key = parse_uuid(project_id)
    project = db.session.get(Project, key) if key else None
    if project is not None and project.owner_id != owner.id:
        return None
    return project


def create_project(
    owner: User, name: str, description: str = "", tasks: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Create a project of ``owner`` with its initial tasks: one commit, all or nothing."""
    project = Project(name=name, description=description, owner=owner)
    project.tasks = [Task(**task) for task in tasks or []]  # fields already validated
    db.session.add(project)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConflictError("two tasks of one project share a title") from None
    # BEGIN SOLUTION (task 3): Invalidate the owner's cached views after the commit.
    invalidate(owner.id)
    # SKELETON
    # END SOLUTION
    return to_dict(project, len(project.tasks))


def list_projects(owner: User, page: int, per_page: int) -> Page:
    """One page of the owner's projects, in a fixed number of queries."""
    result = paginate(_listing(owner), page, per_page)
    return Page([to_dict(p, n) for p, n in result.rows], page, per_page, result.total)


def get_project(owner: User, project_id: str) -> dict[str, Any] | None:
    """One of the owner's projects, or None."""
    key = parse_uuid(project_id)
    row = db.session.execute(_listing(owner).where(Project.id == key)).first() if key else None
    return to_dict(*row) if row else None


def update_project(owner: User, project_id: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """Apply the editable fields of ``changes``; None when the owner has no such project."""
    project = owned(owner, project_id)
    if project is None:
        return None
    for field in EDITABLE:
        if field in changes:
            setattr(project, field, changes[field])
    commit()
    # BEGIN SOLUTION (task 3): Invalidate the owner's cached views.
    invalidate(owner.id)
    # SKELETON
    # END SOLUTION
    return get_project(owner, project_id)


def delete_project(owner: User, project_id: str) -> bool:
    """Delete one of the owner's projects and its tasks; False when there is none."""
    project = owned(owner, project_id)
    if project is None:
        return False
    db.session.delete(project)
    commit()
    # BEGIN SOLUTION (task 3): Invalidate the owner's cached views and the project's memoized task counts (keyed by str(project.id), the canonical id).
    invalidate(owner.id)
    cache.delete_memoized(task_counts, str(project.id))
    # SKELETON
    # END SOLUTION
    return True


# BEGIN SOLUTION (task 3): Memoize task_counts for 5 minutes (cache.memoize): it scans every task of the project.
@cache.memoize(timeout=300)
# END SOLUTION
def task_counts(project_id: str) -> dict[str, int]:
    """How many of a project's tasks are in each status (an aggregate worth caching)."""
    rows = db.session.execute(
        select(Task.status, func.count(Task.id))
        .where(Task.project_id == parse_uuid(project_id))
        .group_by(Task.status)
    ).all()
    counts = {"todo": 0, "doing": 0, "done": 0}
    counts.update({status: int(n) for status, n in rows})
    return {**counts, "total": sum(counts.values())}
