"""Tasks: create, list (filtered), read, update and delete under /api/v1/tasks."""

from __future__ import annotations

from flask import abort, request

from app.pagination import page_args
from app.responses import Body, found, ok
from app.serialization import dump, load
from app.tasks import bp, services
from app.tasks.schemas import CreateTaskSchema, TaskResponseSchema, UpdateTaskSchema


@bp.post("")
def create_task() -> Body:
    """Create a task in an existing project: 201, 404 for no such project, 422 when invalid."""
    fields = load(CreateTaskSchema)
    task = services.create_task(fields.pop("project_id"), fields)
    return ok(dump(TaskResponseSchema, found(task, "project")), 201)


@bp.get("")
def list_tasks() -> Body:
    """Tasks filtered by ?project_id= and ?status=, one page, with page meta."""
    args = request.args
    result = services.list_tasks(args.get("project_id"), args.get("status"), *page_args())
    return ok(dump(TaskResponseSchema, result.rows, many=True), **result.meta())


@bp.get("/<task_id>")
def get_task(task_id: str) -> Body:
    """One task, or 404."""
    return ok(dump(TaskResponseSchema, found(services.get_task(task_id), "task")))


@bp.put("/<task_id>")
def update_task(task_id: str) -> Body:
    """Change any of a task's fields: 200, or 422 when invalid."""
    changes = load(UpdateTaskSchema, partial=True)
    return ok(dump(TaskResponseSchema, found(services.update_task(task_id, changes), "task")))


@bp.delete("/<task_id>")
def delete_task(task_id: str) -> tuple[str, int]:
    """Delete a task: 204, no body."""
    if not services.delete_task(task_id):
        abort(404, description="task not found")
    return "", 204
