"""Projects: what a request may send, and what a response shows."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from app.tasks.schemas import TaskBodySchema


class CreateProjectSchema(Schema):
    """POST /projects: a name, optionally a description, an owner and initial tasks."""

    # TODO(task 2): Raise on unknown fields; name required (1 to 120); description (load_default ""); owner_id (a UUID or null, load_default None); tasks (a list of TaskBodySchema, load_default []).

    @validates("name")
    def validate_name(self, value: str, data_key: str) -> None:
        """A name of blanks is no name."""
        # TODO(task 4): Refuse a name that is only whitespace.


class UpdateProjectSchema(CreateProjectSchema):
    """PUT /projects/<id>: name and description (loaded with partial=True)."""

    # TODO(task 3): Exclude owner_id and tasks.


class OwnerSchema(Schema):
    """The owner shown inside a project."""

    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)


class ProjectResponseSchema(Schema):
    """A project as the API shows it."""

    # TODO(task 5): Dump id, name, description, owner (OwnerSchema, may be null) and task_count.
