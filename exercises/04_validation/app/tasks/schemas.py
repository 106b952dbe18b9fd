"""Tasks: what a request may send, and what a response shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates,
    validates_schema,
)

STATUSES = ("todo", "doing", "done")


class TaskBodySchema(Schema):
    """The fields a task is created or changed with."""

    # TODO(task 2): Raise on unknown fields; title required (1 to 200); status one of STATUSES (load_default "todo"); start_date and due_date (dates or null, load_default None).

    @validates("title")
    def validate_title(self, value: str, data_key: str) -> None:
        """A title of blanks is no title."""
        # TODO(task 4): Refuse a title that is only whitespace.

    @validates_schema
    def validate_dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A task cannot be due before it starts."""
        # TODO(task 4): When both dates are given, refuse a due_date before start_date (the error goes to "due_date").


class CreateTaskSchema(TaskBodySchema):
    """POST /tasks: a task's fields and the project it belongs to."""

    # TODO(task 2): Add project_id, a required UUID.


class UpdateTaskSchema(TaskBodySchema):
    """PUT /tasks/<id>: any of the task's fields (loaded with partial=True)."""


class TaskResponseSchema(Schema):
    """A task as the API shows it."""

    # TODO(task 5): Dump id, project_id, title, status, start_date and due_date (ISO dates or null).
