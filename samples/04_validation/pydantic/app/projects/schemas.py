"""Projects: what a request may send, and what a response shows (Pydantic v2 models)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.tasks.schemas import TaskBodySchema, not_blank

Name = Annotated[str, StringConstraints(min_length=1, max_length=120), AfterValidator(not_blank)]


class CreateProjectSchema(BaseModel):
    """POST /projects: a name, optionally a description, an owner and initial tasks."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    description: str = ""
    owner_id: uuid.UUID | None = None
    tasks: list[TaskBodySchema] = []


class UpdateProjectSchema(BaseModel):
    """PUT /projects/<id>: name and description, each optional."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(default=None)
    description: str = Field(default=None)


class OwnerSchema(BaseModel):
    """The owner shown inside a project."""

    id: uuid.UUID
    name: str


class ProjectResponseSchema(BaseModel):
    """A project as the API shows it."""

    id: uuid.UUID
    name: str
    description: str
    owner: OwnerSchema | None
    task_count: int
