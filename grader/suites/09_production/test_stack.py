"""Stage 09, tasks 3-5 on a live stack: the project deployed for real in the grading sandbox.

Redis, PostgreSQL (migrations applied with ``flask db upgrade``), Gunicorn started with the
project's ``gunicorn.conf.py``, Nginx with its ``nginx.conf``. One deployment serves this
module; the tests that take a service down come last.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from workbook.client import AppFactory, LiveStack
from workbook.transport import GradingProblem

SECRETS = {"SECRET_KEY": "s" * 40, "JWT_SECRET_KEY": "j" * 40}
ACCESS_PROBE = "/__grader__/access-probe"
STATIC_PROBE = "/static/__grader__.txt"
SLOW = "/__grader__/sleep/1000"


@pytest.fixture(scope="module")
def stack(workbook_backend: Any) -> LiveStack:
    """The project deployed once for this module (WEB_CONCURRENCY and the rest unset)."""
    return AppFactory(workbook_backend).live_stack(SECRETS)


def _nginx(stack: LiveStack) -> None:
    problem = stack.info.get("nginx_problem")
    if problem:
        raise GradingProblem(f"Nginx is not running: {problem}")


def _gunicorn_lines(stack: LiveStack) -> list[str]:
    return stack.log("gunicorn") + stack.log("gunicorn.err")


def _logged(stack: LiveStack, path: str) -> list[str]:
    """Gunicorn's lines that mention ``path``; a worker logs a request just after answering
    it, so this waits for the line (up to 10 s) instead of reading once."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in _gunicorn_lines(stack) if path in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_gunicorn_runs_one_worker_per_cpu(stack: LiveStack) -> None:
    """Started with the project's gunicorn.conf.py and no WEB_CONCURRENCY, Gunicorn's master
    must run one worker process per CPU of the machine, each serving the app."""
    master = int(stack.info["gunicorn"])
    workers = [p for p in stack.processes() if p["ppid"] == master]
    cpus = [int(c) for c in stack.info["cpus"]]
    assert len(workers) in cpus, (
        f"Gunicorn runs {len(workers)} worker(s) on a machine of {cpus[0]} CPU(s)"
    )
    answer = stack.request("GET", "/api/v1/health")
    assert answer.status_code == 200, f"{answer} (expected 200)"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_gunicorn_access_log_lines_are_json(stack: LiveStack) -> None:
    """Gunicorn's access log (stdout) must hold one JSON object per request: a request only
    Gunicorn sees (it never reaches the app) must be logged, as JSON, with its path."""
    answer = stack.request("GET", ACCESS_PROBE)
    assert answer.status_code == 204, f"{answer} (expected the grader's 204)"
    lines = _logged(stack, ACCESS_PROBE)
    assert lines, "Gunicorn logged no access line for a request it served"
    for line in lines:
        try:
            parsed = json.loads(line)
        except ValueError:
            parsed = None
        assert isinstance(parsed, dict), "an access log line is not a JSON object"


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_nginx_serves_statics_from_disk_without_flask(stack: LiveStack) -> None:
    """Through Nginx (port 8080), /static/<file> must come from app/static/ on disk, and
    Gunicorn must never see the request; Gunicorn itself answers 404 for it."""
    _nginx(stack)
    answer = stack.request("GET", STATIC_PROBE, via="nginx")
    assert answer.status_code == 200, f"{answer} (expected 200 from app/static/)"
    assert answer.data == b"served from disk\n", "Nginx answered something else than the file"
    time.sleep(1)  # had Gunicorn answered it, its access line would be written by now
    assert not [line for line in _gunicorn_lines(stack) if STATIC_PROBE in line], (
        "Nginx passed a static file's request on to Gunicorn"
    )
    direct = stack.request("GET", STATIC_PROBE)
    assert direct.status_code == 404, f"Gunicorn answered {direct.status_code} for a static file"


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_nginx_proxies_the_api_to_gunicorn_on_postgresql(stack: LiveStack) -> None:
    """Through Nginx, the API must work on the migrated PostgreSQL database: register answers
    201 and logging in answers 200."""
    _nginx(stack)
    account = {"email": "deploy@example.com", "name": "Deploy", "password": "password-123"}
    registered = stack.request("POST", "/api/v1/auth/register", via="nginx", json=account)
    assert registered.status_code == 201, f"{registered} (expected 201)"
    login = {"email": account["email"], "password": account["password"]}
    answer = stack.request("POST", "/api/v1/auth/login", via="nginx", json=login)
    assert answer.status_code == 200, f"{answer} (expected 200)"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_readiness_turns_503_when_redis_goes_down(stack: LiveStack) -> None:
    """GET /api/v1/ready answers 200 while PostgreSQL and Redis run; once Redis is down it
    must answer 503, while GET /api/v1/health still answers 200."""
    before = stack.request("GET", "/api/v1/ready")
    assert before.status_code == 200, f"{before} with everything up (expected 200)"
    stack.stop("redis")
    after = stack.request("GET", "/api/v1/ready")
    assert after.status_code == 503, f"{after} with Redis down (expected 503)"
    alive = stack.request("GET", "/api/v1/health")
    assert alive.status_code == 200, f"{alive} with Redis down (liveness expects 200)"


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_sigterm_drops_no_request_in_flight(stack: LiveStack) -> None:
    """A request in flight through Nginx when Gunicorn gets SIGTERM must still get its
    answer, and Gunicorn must then exit cleanly (code 0) within its graceful timeout."""
    _nginx(stack)
    ended = stack.terminate_during(SLOW, delay=0.3, wait=40)
    status = ended["answer"].get("status_code")
    assert status == 204, f"the request in flight got {status or 'no answer'} (expected 204)"
    assert ended["exit_code"] == 0, f"Gunicorn exited with {ended['exit_code']} after SIGTERM"
