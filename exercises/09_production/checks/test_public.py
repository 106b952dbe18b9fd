"""Stage 09 public checks: what needs no server. The live stack is checked when graded."""

from __future__ import annotations

import re

import pytest

from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle, Source

CLOSED_POSTGRES = "postgresql+psycopg://grader@127.0.0.1:1/taskboard"


@pytest.mark.task(1)
def test_ruff_format_and_mypy_pass_with_the_projects_settings(make_app: AppFactory) -> None:
    """`ruff check`, `ruff format --check` and `mypy` must pass with the project's settings."""
    clean = make_app.project_tools(probes=False)["clean"]
    for name in ("ruff", "format", "mypy"):
        first = "; ".join(line for line in clean[name]["lines"] if line.strip())[:300]
        assert clean[name]["code"] == 0, f"{name} fails: {first}"


def _production(make_app: AppFactory, **env: str) -> AppHandle:
    settings = {**PRODUCTION_ENV, "DATABASE_URL": CLOSED_POSTGRES, **env}
    return make_app("production", env=settings, dotenv="", tables=False)


@pytest.mark.task(2)
def test_the_pool_settings_reach_the_engine(make_app: AppFactory) -> None:
    """SQLALCHEMY_POOL_SIZE=7 must size the PostgreSQL engine's pool, pre-pinged."""
    pool = _production(make_app, SQLALCHEMY_POOL_SIZE="7").engine_pool()
    assert (pool["size"], pool["pre_ping"]) == (7, True), pool


@pytest.mark.task(3)
def test_production_serves_no_statics_and_answers_readiness(make_app: AppFactory) -> None:
    """No /static route in production; /api/v1/ready answers 503 with the database down."""
    app = _production(make_app)
    rules = [r["rule"] for r in app.url_rules()]
    assert not [r for r in rules if r.startswith("/static")], rules
    answer = app.client(login=False).get("/api/v1/ready")
    assert answer.status_code == 503, answer


@pytest.mark.task(4)
def test_gunicorn_workers_follow_the_cpu_count(make_app: AppFactory) -> None:
    """With no WEB_CONCURRENCY, 3 CPUs give 3 workers."""
    settings = make_app.gunicorn_settings(env={"WEB_CONCURRENCY": None}, cpus=3)
    assert settings["workers"] == 3, settings


@pytest.mark.task(5)
def test_nginx_listens_on_8080_and_serves_static(source: Source) -> None:
    """nginx.conf must listen on 8080 and have a `location /static/`."""
    text = source.text("nginx.conf")
    assert re.search(r"^\s*listen\s+(\S+:)?8080\b", text, re.M), "no `listen 8080;`"
    assert re.search(r"location\s+(\^~\s+)?/static/", text), "no `location /static/`"
