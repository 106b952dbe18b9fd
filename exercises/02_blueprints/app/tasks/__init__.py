"""The tasks domain: its blueprint (routes.py parses and answers, services.py does the work)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("tasks", __name__)

from app.tasks import routes  # noqa: E402, F401  (registers the views on bp)
