"""Auth: what login and logout accept, and what a token pair looks like."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class LoginSchema(Schema):
    """POST /auth/login: an email and a password."""

    class Meta:
        unknown = RAISE

    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class LogoutSchema(Schema):
    """POST /auth/logout: optionally the refresh token to revoke with the access token."""

    class Meta:
        unknown = RAISE

    refresh_token = fields.String(load_default=None, allow_none=True)


class PasswordChangeSchema(Schema):
    """PUT /auth/password: the current password and a new one (8 to 128 characters)."""

    class Meta:
        unknown = RAISE

    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=8, max=128)
    )


class TokenPairSchema(Schema):
    """An access token, a refresh token and how to use them."""

    access_token = fields.String(dump_only=True)
    refresh_token = fields.String(dump_only=True)
    token_type = fields.String(dump_only=True)
