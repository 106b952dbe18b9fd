"""Projects: the only code that touches the projects table."""

from __future__ import annotations

import uuid
from typing import Any

from app.extensions import Row, store

EDITABLE = ("name", "description")


def create_project(name: str, description: str = "") -> Row:
    """Create a project."""
    row = {"id": str(uuid.uuid4()), "name": name, "description": description}
    store.table("projects")[row["id"]] = row
    return dict(row)


def list_projects() -> list[Row]:
    """Every project, in creation order."""
    return [dict(row) for row in store.table("projects").values()]


def get_project(project_id: str) -> Row | None:
    """One project, or None."""
    row = store.table("projects").get(project_id)
    return dict(row) if row else None


def update_project(project_id: str, changes: dict[str, Any]) -> Row | None:
    """Apply the editable fields of ``changes``; None when the project does not exist."""
    row = store.table("projects").get(project_id)
    if row is None:
        return None
    row.update({k: v for k, v in changes.items() if k in EDITABLE})
    return dict(row)


def delete_project(project_id: str) -> bool:
    """Delete a project and its tasks; False when it did not exist."""
    if store.table("projects").pop(project_id, None) is None:
        return False
    tasks = store.table("tasks")
    for task_id in [t["id"] for t in tasks.values() if t["project_id"] == project_id]:
        del tasks[task_id]
    return True
