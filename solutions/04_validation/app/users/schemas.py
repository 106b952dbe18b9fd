"""Users: what a request may send, and what a response shows."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates


class CreateUserSchema(Schema):
    """POST /auth/register: email, name and password, nothing else."""

    # BEGIN SOLUTION (task 2): Raise on unknown fields; require email (an email, at most 255), name (1 to 120 characters) and password (load-only, at least 8 characters).
    class Meta:
        unknown = RAISE

    email = fields.Email(required=True, validate=validate.Length(max=255))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8))
    # END SOLUTION

    @validates("name")
    def validate_name(self, value: str, data_key: str) -> None:
        """A name of blanks is no name."""
        # BEGIN SOLUTION (task 4): Refuse a name that is only whitespace.
        if not value.strip():
            raise ValidationError("must not be blank")
        # SKELETON
        # END SOLUTION

    @validates("email")
    def validate_stored_length(self, value: str, data_key: str) -> None:
        """The address is stored lower-cased, which can lengthen it ("İ" becomes two
        characters): it must still fit the 255-character column then."""
        if len(value.lower()) > 255:
            raise ValidationError("Longer than maximum length 255.")


class UpdateUserSchema(CreateUserSchema):
    """PUT /users/<id>: only the name may change (loaded with partial=True)."""

    # BEGIN SOLUTION (task 3): Exclude email and password: only name remains.
    class Meta:
        unknown = RAISE
        exclude = ("email", "password")

    # END SOLUTION


class UserResponseSchema(Schema):
    """A user as the API shows it: never the password or its hash."""

    # BEGIN SOLUTION (task 5): Dump id, email and name only.
    id = fields.UUID(dump_only=True)
    email = fields.Email(dump_only=True)
    name = fields.String(dump_only=True)
    # END SOLUTION
