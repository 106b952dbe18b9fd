"""Benchmark: the stage-07 reference's cached task list against the uncached one, under
Gunicorn (2 workers) with Redis, and its requests per second against a bare hello-world.

Two floors put the figures in proportion: a bare hello-world on the same server, and the
authenticated floor, an uncached one-row GET (your own user) that pays what every API
request pays before any view runs: the JWT check (signature, blocklist, user) and the
rate limiter's Redis round trips.

    .venv/bin/python bench/caching.py [--tasks 1000]

Needs Redis on 127.0.0.1:6379 (database 9 is flushed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from production_stack import login, production_stack, request  # noqa: E402

FAST = {"RATELIMIT_DEFAULT": "1000000 per minute"}  # the benchmark is not an attack


def timed(port: int, path: str, token: str | None) -> float:
    """Seconds one GET takes, on a new connection."""
    start = time.perf_counter()
    status, _ = request(port, "GET", path, token=token)
    assert status == 200, status
    return time.perf_counter() - start


def throughput(port: int, path: str, token: str | None, total: int = 1500) -> float:
    """Requests per second of ``total`` GETs from 8 concurrent clients."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: timed(port, path, token), range(total)))
    return total / (time.perf_counter() - start)


def median_ms(port: int, path: str, token: str | None, runs: int = 300) -> float:
    """Median milliseconds of ``runs`` GETs of ``path`` after one warm-up."""
    timed(port, path, token)
    return statistics.median(timed(port, path, token) for _ in range(runs)) * 1000


def own_user(port: int, token: str) -> str:
    """The path of the token holder's own user: the cheapest authenticated, uncached GET."""
    status, body = request(port, "GET", "/api/v1/users?per_page=1", token=token)
    assert status == 200, status
    return f"/api/v1/users/{body['data'][0]['id']}"


def seed(port: int, token: str, tasks: int) -> str:
    """One project with ``tasks`` tasks; return its id."""
    status, body = request(port, "POST", "/api/v1/projects", {"name": "bench"}, token)
    assert status == 201, status
    project = body["data"]["id"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda n: request(
                    port,
                    "POST",
                    "/api/v1/tasks",
                    {"project_id": project, "title": f"task {n}"},
                    token,
                ),
                range(tasks),
            )
        )
    return str(project)


def main() -> None:
    """Run both servers and every measurement once."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbook-cache-bench-") as tmp:
        with production_stack(Path(tmp) / "app", extra_env=FAST) as port:
            token = login(port, "bench@example.com")
            page = f"/api/v1/tasks?project_id={seed(port, token, args.tasks)}&per_page=100"
            uncached = statistics.median(timed(port, f"{page}&miss={n}", token) for n in range(100))
            ms = {
                "uncached": uncached * 1000,
                "cached": median_ms(port, page, token),
                "auth": median_ms(port, own_user(port, token), token),
            }
            cached_rps = throughput(port, page, token)
        with production_stack(Path(tmp) / "hello", app="hello:app") as port:
            ms["hello"] = median_ms(port, "/", None)
            hello_rps = throughput(port, "/", None)
    report(args.tasks, ms, cached_rps, hello_rps)


def report(tasks: int, ms: dict[str, float], cached_rps: float, hello_rps: float) -> None:
    """Print the figures and what they mean."""
    view_uncached, view_cached = ms["uncached"] - ms["auth"], ms["cached"] - ms["auth"]
    print(f"{tasks} tasks, list page of 100, Gunicorn 2 workers, Redis")
    print(f"uncached list GET, median:  {ms['uncached']:7.2f} ms")
    print(
        f"cached list GET, median:    {ms['cached']:7.2f} ms   "
        f"({ms['uncached'] / ms['cached']:.1f}x faster end to end)"
    )
    print(f"authenticated floor:        {ms['auth']:7.2f} ms   (JWT + blocklist + user + limiter)")
    print(f"hello world GET, median:    {ms['hello']:7.2f} ms   (the server's floor)")
    print(
        f"the list's own work above the authenticated floor: uncached {view_uncached:.2f} ms, "
        f"cached {max(view_cached, 0.0):.2f} ms"
        + (f" ({view_uncached / view_cached:.0f}x less)" if view_cached > 0 else "")
    )
    print(f"cached list, requests/s:    {cached_rps:7.0f}")
    share = cached_rps / hello_rps
    print(f"hello world, requests/s:    {hello_rps:7.0f}   (cached list at {share:.0%})")


if __name__ == "__main__":
    main()
