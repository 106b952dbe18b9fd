"""The health check: the first endpoint, and the first blueprint."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> tuple[dict[str, object], int]:
    """Tell a load balancer the app is up."""
    # TODO(task 4): Answer 200 with {"data": {"status": "ok"}, "meta": {}}.
    raise NotImplementedError('TODO(task 4): Answer 200 with {"data": {"status": "ok"}, "meta": {}}.')
