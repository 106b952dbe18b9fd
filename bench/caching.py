"""Benchmark: the stage-07 reference's cached task list against the uncached one, under
Gunicorn (2 workers) with Redis, and its requests per second against a bare hello-world.

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
            project = seed(port, token, args.tasks)
            page = f"/api/v1/tasks?project_id={project}&per_page=100"
            uncached = [timed(port, f"{page}&miss={n}", token) for n in range(100)]
            timed(port, page, token)
            cached = [timed(port, page, token) for _ in range(300)]
            cached_rps = throughput(port, page, token)
        with production_stack(Path(tmp) / "hello", app="hello:app") as port:
            timed(port, "/", None)
            floor = statistics.median(timed(port, "/", None) for _ in range(300))
            hello_rps = throughput(port, "/", None)
    slow, fast = statistics.median(uncached), statistics.median(cached)
    print(f"{args.tasks} tasks, list page of 100, Gunicorn 2 workers, Redis")
    print(f"uncached list GET, median: {slow * 1000:7.2f} ms")
    print(f"cached list GET, median:   {fast * 1000:7.2f} ms   ({slow / fast:.1f}x faster)")
    print(f"hello world GET, median:   {floor * 1000:7.2f} ms   (the server's floor)")
    print(
        f"view work left: uncached {(slow - floor) * 1000:.2f} ms, cached "
        f"{(fast - floor) * 1000:.2f} ms above the floor"
    )
    print(f"cached list, requests/s:   {cached_rps:7.0f}")
    share = cached_rps / hello_rps
    print(f"hello world, requests/s:   {hello_rps:7.0f}   (cached list at {share:.0%})")


if __name__ == "__main__":
    main()
