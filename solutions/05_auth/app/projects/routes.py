"""Projects: create, list, read, update and delete your own under /api/v1/projects."""

from __future__ import annotations

from flask import abort
from flask_jwt_extended import current_user, verify_jwt_in_request

from app.pagination import page_args
from app.projects import bp, services
from app.projects.schemas import CreateProjectSchema, ProjectResponseSchema, UpdateProjectSchema
from app.responses import Body, found, ok
from app.serialization import dump, load

# BEGIN SOLUTION (task 5): Check the access token once, for every route of this blueprint.


@bp.before_request
def require_access_token() -> None:
    """Every projects route needs a valid access token: one check for the blueprint, so a
    route added later is guarded too (401 otherwise)."""
    verify_jwt_in_request()


# END SOLUTION


@bp.post("")
def create_project() -> Body:
    """Create a project you own, with optional initial tasks: 201, or 422 when invalid."""
    payload = load(CreateProjectSchema)
    return ok(dump(ProjectResponseSchema, services.create_project(current_user, **payload)), 201)


@bp.get("")
def list_projects() -> Body:
    """One page of your projects, with page, per_page and total in meta."""
    result = services.list_projects(current_user, *page_args())
    return ok(dump(ProjectResponseSchema, result.rows, many=True), **result.meta())


@bp.get("/<project_id>")
def get_project(project_id: str) -> Body:
    """One of your projects, or 404 (someone else's project is not found either)."""
    project = found(services.get_project(current_user, project_id), "project")
    return ok(dump(ProjectResponseSchema, project))


@bp.put("/<project_id>")
def update_project(project_id: str) -> Body:
    """Change your project's name or description: 200, 404, or 422 when invalid."""
    changes = load(UpdateProjectSchema, partial=True)
    project = services.update_project(current_user, project_id, changes)
    return ok(dump(ProjectResponseSchema, found(project, "project")))


@bp.delete("/<project_id>")
def delete_project(project_id: str) -> tuple[str, int]:
    """Delete your project and its tasks: 204, no body."""
    if not services.delete_project(current_user, project_id):
        abort(404, description="project not found")
    return "", 204
