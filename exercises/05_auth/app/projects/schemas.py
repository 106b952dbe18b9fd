"""Projects: what a request may send, and what a response shows."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from app.tasks.schemas import TaskBodySchema


class CreateProjectSchema(Schema):
    """POST /projects: a name, optionally a description and initial tasks (the owner is you)."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = fields.String(load_default="")
    tasks = fields.List(fields.Nested(TaskBodySchema), load_default=list)

    @validates("name")
    def validate_name(self, value: str, data_key: str) -> None:
        """A name of blanks is no name."""
        if not value.strip():
            raise ValidationError("must not be blank")


class UpdateProjectSchema(CreateProjectSchema):
    """PUT /projects/<id>: name and description (loaded with partial=True)."""

    class Meta:
        unknown = RAISE
        exclude = ("tasks",)


class OwnerSchema(Schema):
    """The owner shown inside a project."""

    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)


class ProjectResponseSchema(Schema):
    """A project as the API shows it."""

    id = fields.UUID(dump_only=True)
    name = fields.String(dump_only=True)
    description = fields.String(dump_only=True)
    owner = fields.Nested(OwnerSchema, dump_only=True, allow_none=True)
    task_count = fields.Integer(dump_only=True)
