"""Projects: create, list, read, update and delete under /api/v1/projects."""

from __future__ import annotations

from flask import abort

from app.pagination import page_args
from app.projects import bp, services
from app.projects.schemas import CreateProjectSchema, ProjectResponseSchema, UpdateProjectSchema
from app.responses import Body, found, ok
from app.serialization import dump, load


@bp.post("")
def create_project() -> Body:
    """Create a project, with optional owner and initial tasks: 201, or 422 when invalid."""
    payload = load(CreateProjectSchema)
    return ok(dump(ProjectResponseSchema, services.create_project(**payload)), 201)


@bp.get("")
def list_projects() -> Body:
    """One page of projects, with page, per_page and total in meta."""
    result = services.list_projects(*page_args())
    return ok(dump(ProjectResponseSchema, result.rows, many=True), **result.meta())


@bp.get("/<project_id>")
def get_project(project_id: str) -> Body:
    """One project, or 404."""
    return ok(dump(ProjectResponseSchema, found(services.get_project(project_id), "project")))


@bp.put("/<project_id>")
def update_project(project_id: str) -> Body:
    """Change a project's name or description (any of them): 200, or 422 when invalid."""
    changes = load(UpdateProjectSchema, partial=True)
    project = found(services.update_project(project_id, changes), "project")
    return ok(dump(ProjectResponseSchema, project))


@bp.delete("/<project_id>")
def delete_project(project_id: str) -> tuple[str, int]:
    """Delete a project and its tasks: 204, no body."""
    if not services.delete_project(project_id):
        abort(404, description="project not found")
    return "", 204
