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

    # BEGIN SOLUTION (task 2): Raise on unknown fields; title required (1 to 200); status one of STATUSES (load_default "todo"); start_date and due_date (dates or null, load_default None).
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    status = fields.String(load_default="todo", validate=validate.OneOf(STATUSES))
    start_date = fields.Date(load_default=None, allow_none=True)
    due_date = fields.Date(load_default=None, allow_none=True)
    # END SOLUTION

    @validates("title")
    def validate_title(self, value: str, data_key: str) -> None:
        """A title of blanks is no title."""
        # BEGIN SOLUTION (task 4): Refuse a title that is only whitespace.
        if not value.strip():
            raise ValidationError("must not be blank")
        # SKELETON
        # END SOLUTION

    @validates_schema
    def validate_dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        """A task cannot be due before it starts."""
        # BEGIN SOLUTION (task 4): When both dates are given, refuse a due_date before start_date (the error goes to "due_date").
        start: date | None = data.get("start_date")
        due: date | None = data.get("due_date")
        if start and due and due < start:
            raise ValidationError("must not be before start_date", field_name="due_date")
        # SKELETON
        # END SOLUTION


class CreateTaskSchema(TaskBodySchema):
    """POST /tasks: a task's fields and the project it belongs to."""

    # BEGIN SOLUTION (task 2): Add project_id, a required UUID.
    project_id = fields.UUID(required=True)
    # END SOLUTION


class UpdateTaskSchema(TaskBodySchema):
    """PUT /tasks/<id>: any of the task's fields (loaded with partial=True)."""


class TaskResponseSchema(Schema):
    """A task as the API shows it."""

    # BEGIN SOLUTION (task 5): Dump id, project_id, title, status, start_date and due_date (ISO dates or null).
    id = fields.UUID(dump_only=True)
    project_id = fields.UUID(dump_only=True)
    title = fields.String(dump_only=True)
    status = fields.String(dump_only=True)
    start_date = fields.Date(dump_only=True, allow_none=True)
    due_date = fields.Date(dump_only=True, allow_none=True)
    # END SOLUTION
