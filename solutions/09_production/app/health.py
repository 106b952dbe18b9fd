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


# BEGIN SOLUTION (task 3): GET /ready: 200, or 503 naming what is down.
@bp.get("/ready")
def ready() -> tuple[dict[str, object], int]:
    """Tell a load balancer whether the app can serve: the database and Redis answer."""
    checks = {"database": database_answers(), "redis": redis_answers()}
    if all(checks.values()):
        return {"data": {"status": "ready"}, "meta": {}}, 200
    failed = {name: "unavailable" for name, ok in checks.items() if not ok}
    error = {"code": "not_ready", "message": "a dependency is unavailable", "details": failed}
    return {"error": error}, 503


def database_answers() -> bool:
    """Whether the database runs a trivial query."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def redis_answers() -> bool:
    """Whether Redis answers a PING (true when the app uses no Redis)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


# END SOLUTION
