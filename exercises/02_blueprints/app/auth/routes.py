"""Auth: POST /api/v1/auth/register."""

from __future__ import annotations

from flask import abort

from app.auth import bp, services
from app.responses import Body, json_body, ok

# TODO(task 2): Add POST "/register": email, name, password required; 201 with the user, 409 when the email is taken.
