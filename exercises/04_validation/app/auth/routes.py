"""Auth: POST /api/v1/auth/register."""

from __future__ import annotations

from flask import abort

from app.auth import bp, services
from app.responses import Body, ok
from app.serialization import dump, load
from app.users.schemas import CreateUserSchema, UserResponseSchema


@bp.post("/register")
def register() -> Body:
    """Create an account: 201 with the user, 409 when the email is taken, 422 when invalid."""
    payload = load(CreateUserSchema)
    user = services.register(payload["email"], payload["name"], payload["password"])
    if user is None:
        abort(409, description="email already registered")
    return ok(dump(UserResponseSchema, user), 201)
