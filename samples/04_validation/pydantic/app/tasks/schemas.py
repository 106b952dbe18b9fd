"""Tasks: what a request may send, and what a response shows (Pydantic v2 models)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

STATUSES = ("todo", "doing", "done")


def not_blank(value: str) -> str:
    """A name or title of blanks is none."""
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Title = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(not_blank)]
Status = Literal["todo", "doing", "done"]


class TaskBodySchema(BaseModel):
    """The fields a task is created with."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    status: Status = "todo"
    start_date: date | None = None
    due_date: date | None = None

    @field_validator("due_date")
    @classmethod
    def validate_dates(cls, due: date | None, info: ValidationInfo) -> date | None:
        """A task cannot be due before it starts."""
        start = info.data.get("start_date")
        if start and due and due < start:
            raise ValueError("must not be before start_date")
        return due


class CreateTaskSchema(TaskBodySchema):
    """POST /tasks: a task's fields and the project it belongs to."""

    project_id: uuid.UUID


class UpdateTaskSchema(TaskBodySchema):
    """PUT /tasks/<id>: any of the task's fields. An absent field is unset (left out of the
    partial load); an explicit null is still refused."""

    title: Title = Field(default=None)
    status: Status = Field(default=None)


class TaskResponseSchema(BaseModel):
    """A task as the API shows it."""

    id: uuid.UUID
    project_id: uuid.UUID
    title: str
    status: str
    start_date: date | None
    due_date: date | None
