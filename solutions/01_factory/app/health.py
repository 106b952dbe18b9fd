"""The health check: the first endpoint, and the first blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[dict[str, object], int]:
    """Tell a load balancer the app is up."""
    # BEGIN SOLUTION (task 4): Answer 200 with {"data": {"status": "ok"}, "meta": {}}.
    return {"data": {"status": "ok"}, "meta": {}}, 200
    # END SOLUTION
