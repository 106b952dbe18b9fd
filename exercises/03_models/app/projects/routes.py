"""Projects: create, list, read, update and delete under /api/v1/projects."""

from __future__ import annotations

from flask import abort

from app.pagination import page_args
from app.projects import bp, services
from app.responses import Body, found, json_body, ok


@bp.post("")
def create_project() -> Body:
    """Create a project, with optional owner and initial tasks: 201 with it."""
    payload = json_body("name")
    project = services.create_project(
        payload["name"],
        payload.get("description", ""),
        payload.get("owner_id"),
        payload.get("tasks"),
    )
    return ok(project, 201)


@bp.get("")
def list_projects() -> Body:
    """One page of projects, with page, per_page and total in meta."""
    result = services.list_projects(*page_args())
    return ok(result.rows, **result.meta())


@bp.get("/<project_id>")
def get_project(project_id: str) -> Body:
    """One project, or 404."""
    return ok(found(services.get_project(project_id), "project"))


@bp.put("/<project_id>")
def update_project(project_id: str) -> Body:
    """Change a project's name or description."""
    return ok(found(services.update_project(project_id, json_body()), "project"))


@bp.delete("/<project_id>")
def delete_project(project_id: str) -> tuple[str, int]:
    """Delete a project and its tasks: 204, no body."""
    if not services.delete_project(project_id):
        abort(404, description="project not found")
    return "", 204
