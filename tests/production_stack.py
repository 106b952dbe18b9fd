"""The stage-07 reference in production: Gunicorn with 2 workers, real Redis, a SQLite file.

Shared by the integration tests and the caching benchmark.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis

from workbook import catalog, workspace

REDIS_DB = "redis://127.0.0.1:6379/9"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    address: str | None = None,
) -> tuple[int, Any]:
    """One request on a new connection (so Gunicorn may hand it to either worker)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json", "Connection": "close"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(
            method, path, body=json.dumps(body) if body is not None else None, headers=headers
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    is_json = response.getheader("Content-Type", "").startswith("application/json")
    return response.status, json.loads(data) if data and is_json else data


@contextmanager
def production_stack(
    tmp: Path,
    workers: int = 2,
    app: str | None = None,
    project: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[int]:
    """Run the stage-07 reference (or ``project``, or the WSGI ``app`` of bench/) under
    Gunicorn; yield its port."""
    redis.Redis.from_url(REDIS_DB).flushdb()  # fails here, loudly, when Redis is down
    project = project or workspace.reference(catalog.find("07_caching"), tmp / "taskboard")
    env = {
        **os.environ,
        "SECRET_KEY": "s" * 40,
        "JWT_SECRET_KEY": "j" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'taskboard.sqlite3'}",
        "REDIS_URL": REDIS_DB,
        **(extra_env or {}),
    }
    flask = [sys.executable, "-m", "flask", "--app", "app:create_app('production')"]
    subprocess.run([*flask, "db", "upgrade"], cwd=project, env=env, check=True, capture_output=True)
    port = free_port()
    target = app or "app:create_app('production')"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        cwd=project if app is None else Path(__file__).resolve().parent.parent / "bench",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        stop_group(server, grace=10)
        if server.stderr is not None:
            server.stderr.close()


def stop_group(server: subprocess.Popen[bytes], grace: float) -> None:
    """Stop a server started in a session of its own, and all it started: SIGTERM to its
    process group, then SIGKILL after ``grace`` seconds."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            error = server.stderr.read()[-2000:].decode(errors="replace") if server.stderr else ""
            raise RuntimeError(f"gunicorn exited: {error}")
        try:
            if request(port, "GET", "/api/v1/health")[0] in (200, 404):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up within 30 s")


def login(port: int, email: str) -> str:
    """Register ``email`` and return an access token."""
    account = {"email": email, "name": "Load", "password": "load-password-1"}
    status, _ = request(port, "POST", "/api/v1/auth/register", account)
    assert status == 201, status
    status, body = request(
        port, "POST", "/api/v1/auth/login", {"email": email, "password": "load-password-1"}
    )
    assert status == 200, status
    return str(body["data"]["access_token"])
