"""The stage-07 reference under Gunicorn with 2 workers against the real Redis.

Redis (127.0.0.1:6379) must be reachable: these tests fail, never skip, when it is not
(`python3 run.py test` starts it when it is down).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from production_stack import login, production_stack, request

from grader import samples
from workbook import catalog


def _burst(port: int) -> list[int]:
    """30 wrong passwords for 6 real accounts (5 each, inside the per-account limit) from 8
    concurrent clients. Each attempt runs a real scrypt check (~90 ms), so one worker cannot
    serve them all: both workers take part, whatever the scheduler does."""
    accounts = [f"burst{n}@example.com" for n in range(6)]
    for email in accounts:
        account = {"email": email, "name": "Burst", "password": "right-password-1"}
        assert request(port, "POST", "/api/v1/auth/register", account)[0] == 201

    def attempt(n: int) -> int:
        body = {"email": accounts[n % 6], "password": "wrong-pass-1"}
        return request(port, "POST", "/api/v1/auth/login", body)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(attempt, range(30)))


def test_the_login_limit_holds_across_both_workers(tmp_path: Path) -> None:
    with production_stack(tmp_path) as port:
        answers = [
            request(
                port,
                "POST",
                "/api/v1/auth/login",
                {"email": f"burst{n}@example.com", "password": "wrong-pass-1"},
            )[0]
            for n in range(30)
        ]
    assert answers.count(429) == 20, f"{30 - answers.count(429)} attempts passed, not 10"
    assert answers.count(401) == 10, f"answers other than 401 and 429: {set(answers)}"


def test_a_write_is_never_followed_by_a_stale_read(tmp_path: Path) -> None:
    with production_stack(tmp_path) as port:
        token = login(port, "writer@example.com")
        status, body = request(port, "POST", "/api/v1/projects", {"name": "v0"}, token)
        assert status == 201
        path = f"/api/v1/projects/{body['data']['id']}"
        for version in range(1, 16):
            assert request(port, "GET", "/api/v1/projects", token=token)[0] == 200
            assert request(port, "GET", path, token=token)[0] == 200
            assert request(port, "PUT", path, {"name": f"v{version}"}, token)[0] == 200
            listed = request(port, "GET", "/api/v1/projects", token=token)[1]["data"]
            detail = request(port, "GET", path, token=token)[1]["data"]
            assert [p["name"] for p in listed] == [f"v{version}"], "stale list"
            assert detail["name"] == f"v{version}", "stale detail"


def test_limits_counted_per_process_let_through_more_than_the_limit(tmp_path: Path) -> None:
    """The shipped wrong variant (memory:// in production) is caught here for real."""
    stage = catalog.find("07_caching")
    wrong = next(s for s in samples.load(stage) if s.name == "per-process-limits")
    project = samples.assemble(wrong, tmp_path / "wrong").source
    with production_stack(tmp_path, project=project) as port:
        answers = _burst(port)
    assert 30 - answers.count(429) > 10, "two workers counting apart should allow up to 20"
