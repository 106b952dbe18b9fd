"""Projects: what a request may send, and what a response shows."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from app.tasks.schemas import TaskBodySchema


class CreateProjectSchema(Schema):
    """POST /projects: a name, optionally a description, an owner and initial tasks."""

    # BEGIN SOLUTION (task 2): Raise on unknown fields; name required (1 to 120); description (load_default ""); owner_id (a UUID or null, load_default None); tasks (a list of TaskBodySchema, load_default []).
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = fields.String(load_default="")
    owner_id = fields.UUID(load_default=None, allow_none=True)
    tasks = fields.List(fields.Nested(TaskBodySchema), load_default=list)
    # END SOLUTION

    @validates("name")
    def validate_name(self, value: str, data_key: str) -> None:
        """A name of blanks is no name."""
        # BEGIN SOLUTION (task 4): Refuse a name that is only whitespace.
        if not value.strip():
            raise ValidationError("must not be blank")
        # SKELETON
        # END SOLUTION


class UpdateProjectSchema(CreateProjectSchema):
    """PUT /projects/<id>: name and description (loaded with partial=True)."""

    # BEGIN SOLUTION (task 3): Exclude owner_id and tasks.
    class Meta:
        unknown = RAISE
        exclude = ("owner_id", "tasks")

    # END SOLUTION


class OwnerSchema(Schema):
    """The owner shown inside a project."""

    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)


class ProjectResponseSchema(Schema):
    """A project as the API shows it."""

    # BEGIN SOLUTION (task 5): Dump id, name, description, owner (OwnerSchema, may be null) and task_count.
    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    owner = fields.Nested(OwnerSchema, dump_only=True, allow_none=True)
    task_count = fields.Integer(dump_only=True)
    # END SOLUTION
