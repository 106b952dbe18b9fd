"""Auth: POST /api/v1/auth/register."""

from __future__ import annotations

from flask import abort

from app.auth import bp, services
from app.responses import Body, json_body, ok

# BEGIN SOLUTION (task 2): Add POST "/register": email, name, password required; 201 with the user, 409 when the email is taken.


@bp.post("/register")
def register() -> Body:
    """Create an account: 201 with the user, 409 when the email is taken."""
    payload = json_body("email", "name", "password")
    user = services.register(payload["email"], payload["name"], payload["password"])
    if user is None:
        abort(409, description="email already registered")
    return ok(user, 201)


# END SOLUTION
