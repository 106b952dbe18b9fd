"""Tasks: create, list (filtered), read, update and delete your own under /api/v1/tasks."""

from __future__ import annotations

from flask import abort, request
from flask_jwt_extended import current_user, verify_jwt_in_request

from app.pagination import page_args
from app.responses import Body, found, ok
from app.serialization import dump, load
from app.tasks import bp, services
from app.tasks.schemas import CreateTaskSchema, TaskResponseSchema, UpdateTaskSchema

# TODO(task 5): Check the access token once, for every route of this blueprint.


@bp.post("")
def create_task() -> Body:
    """Create a task in one of your projects: 201, 404 for no such project, 422 when invalid."""
    fields = load(CreateTaskSchema)
    task = services.create_task(current_user, fields.pop("project_id"), fields)
    return ok(dump(TaskResponseSchema, found(task, "project")), 201)


@bp.get("")
def list_tasks() -> Body:
    """Your tasks filtered by ?project_id= and ?status=, one page, with page meta."""
    args = request.args
    result = services.list_tasks(
        current_user, args.get("project_id"), args.get("status"), *page_args()
    )
    return ok(dump(TaskResponseSchema, result.rows, many=True), **result.meta())


@bp.get("/<task_id>")
def get_task(task_id: str) -> Body:
    """One of your tasks, or 404."""
    return ok(dump(TaskResponseSchema, found(services.get_task(current_user, task_id), "task")))


@bp.put("/<task_id>")
def update_task(task_id: str) -> Body:
    """Change any of your task's fields: 200, 404, or 422 when invalid."""
    changes = load(UpdateTaskSchema, partial=True)
    task = found(services.update_task(current_user, task_id, changes), "task")
    return ok(dump(TaskResponseSchema, task))


@bp.delete("/<task_id>")
def delete_task(task_id: str) -> tuple[str, int]:
    """Delete your task: 204, no body."""
    if not services.delete_task(current_user, task_id):
        abort(404, description="task not found")
    return "", 204
