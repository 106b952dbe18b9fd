"""The auth domain: its blueprint (routes.py parses and answers, services.py does the work)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402, F401  (registers the views on bp)
