"""Tasks: the only code that touches the tasks table."""

from __future__ import annotations

import uuid
from typing import Any

from app.extensions import Row, store

STATUSES = ("todo", "doing", "done")
EDITABLE = ("title", "status")


def create_task(project_id: str, title: str, status: str = "todo") -> Row | None:
    """Create a task in a project; None when the project does not exist."""
    if project_id not in store.table("projects"):
        return None
    row = {"id": str(uuid.uuid4()), "project_id": project_id, "title": title, "status": status}
    store.table("tasks")[row["id"]] = row
    return dict(row)


def list_tasks(project_id: str | None = None, status: str | None = None) -> list[Row]:
    """Tasks, optionally only one project's and only one status."""
    return [
        dict(row)
        for row in store.table("tasks").values()
        if project_id in (None, row["project_id"]) and status in (None, row["status"])
    ]


def get_task(task_id: str) -> Row | None:
    """One task, or None."""
    row = store.table("tasks").get(task_id)
    return dict(row) if row else None


def update_task(task_id: str, changes: dict[str, Any]) -> Row | None:
    """Apply the editable fields of ``changes``; None when the task does not exist."""
    row = store.table("tasks").get(task_id)
    if row is None:
        return None
    row.update({k: v for k, v in changes.items() if k in EDITABLE})
    return dict(row)


def delete_task(task_id: str) -> bool:
    """Delete a task; False when it did not exist."""
    return store.table("tasks").pop(task_id, None) is not None
