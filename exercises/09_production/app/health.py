"""Health checks: liveness (the process answers) and readiness (it can serve)."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[dict[str, object], int]:
    """Tell a load balancer the app is up."""
    return {"data": {"status": "ok"}, "meta": {}}, 200


# TODO(task 3): GET /ready: 200, or 503 naming what is down.
