"""Stage 07, tasks 1-3: cache configuration, per-user view caching, invalidation, memoize."""

from __future__ import annotations

import ast
import inspect
from typing import Any

import pytest
import redis

from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle, Client, Source
from workbook.transport import LearnerError

REDIS = "redis://127.0.0.1:6390/3"
JSON = {"Content-Type": "application/json"}


def _data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, f"{response} (expected {status})"
    return (response.get_json() or {})["data"]


def _project(client: Client, name: str = "Launch") -> dict[str, Any]:
    return dict(_data(client.post("/api/v1/projects", json={"name": name}), 201))


def _cached(client: Client, path: str, **query: Any) -> Any:
    """GET ``path`` twice; the second must come from the cache (fewer SQL statements)."""
    first = client.get(path, count_sql=True, query_string=query or None)
    second = client.get(path, count_sql=True, query_string=query or None)
    assert (second.sql_count or 0) < (first.sql_count or 0), (
        f"GET {path} is not cached ({first.sql_count} statements, then {second.sql_count})"
    )
    return _data(second)


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_testing_caches_in_process_and_counts_limits_in_memory(app: AppHandle) -> None:
    """Testing needs no Redis: CACHE_TYPE "SimpleCache" (60 s by default) and
    RATELIMIT_STORAGE_URI "memory://", with cache and limiter bound to the app."""
    config = app.config("CACHE_TYPE", "RATELIMIT_STORAGE_URI", "CACHE_DEFAULT_TIMEOUT")
    assert config.get("CACHE_TYPE") == "SimpleCache", f"CACHE_TYPE is {config.get('CACHE_TYPE')!r}"
    timeout = config.get("CACHE_DEFAULT_TIMEOUT")
    assert timeout == 60, f"CACHE_DEFAULT_TIMEOUT is {timeout!r}, not 60"
    assert config.get("RATELIMIT_STORAGE_URI") == "memory://", "limits are not in memory"
    assert {"cache", "limiter"} <= set(app.extensions()), "cache or limiter is not bound"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_production_shares_one_redis_for_cache_and_limits(make_app: AppFactory) -> None:
    """Production requires REDIS_URL and uses it for the cache (RedisCache) and for the limit
    counters, so every worker process shares them."""
    make_app("testing")
    with pytest.raises(LearnerError) as caught:
        make_app("production", env={**PRODUCTION_ENV, "REDIS_URL": None}, dotenv="")
    assert "REDIS_URL" in str(caught.value), "the error does not name REDIS_URL"
    app = make_app("production", env={**PRODUCTION_ENV, "REDIS_URL": REDIS}, dotenv="")
    config = app.config("CACHE_TYPE", "CACHE_REDIS_URL", "RATELIMIT_STORAGE_URI")
    assert config.get("CACHE_TYPE") == "RedisCache", f"CACHE_TYPE is {config.get('CACHE_TYPE')!r}"
    assert config.get("CACHE_REDIS_URL") == REDIS, "the cache does not use REDIS_URL"
    assert config.get("RATELIMIT_STORAGE_URI") == REDIS, "limits are not counted in Redis"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_production_degrades_during_a_redis_outage(make_app: AppFactory) -> None:
    """Production sets pool options (CACHE_OPTIONS and RATELIMIT_STORAGE_OPTIONS: socket
    timeouts, a connection cap) and RATELIMIT_IN_MEMORY_FALLBACK_ENABLED: with its Redis
    unreachable, a request that needs no cache still answers, counted in memory."""
    app = make_app("production", env={**PRODUCTION_ENV, "REDIS_URL": REDIS}, dotenv="")
    names = ("CACHE_OPTIONS", "RATELIMIT_STORAGE_OPTIONS", "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED")
    config = app.config(*names)
    options = {name: config.get(name) or {} for name in names[:2]}
    for name, given in options.items():
        timeouts = [k for k in given if "timeout" in str(k)] if isinstance(given, dict) else []
        assert timeouts, f"{name} sets no socket timeout ({given!r})"
    assert any("max_connections" in given for given in options.values()), (
        "neither CACHE_OPTIONS nor RATELIMIT_STORAGE_OPTIONS caps the connections"
    )
    accepted = set(inspect.signature(redis.Redis.__init__).parameters)
    for name, given in options.items():
        unknown = sorted(str(k) for k in given if k not in accepted)
        assert not unknown, f"{name} passes {unknown}, which the Redis client does not take"
    assert config.get(names[2]) is True, f"{names[2]} is {config.get(names[2])!r}"
    health = app.client(login=False).get("/api/v1/health")
    assert health.status_code == 200, f"{health} with Redis down (expected 200 from memory)"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_a_body_over_one_mebibyte_answers_413_and_is_not_stored(
    app: AppHandle, client: Client
) -> None:
    """MAX_CONTENT_LENGTH is 1 MiB: a bigger body answers 413 in the error envelope before
    anything reads it, and nothing is stored; a body just under it is read."""
    assert app.config("MAX_CONTENT_LENGTH").get("MAX_CONTENT_LENGTH") == 1024 * 1024, (
        "MAX_CONTENT_LENGTH is not 1 MiB (1048576)"
    )
    big = '{"name": "big", "description": "' + "x" * (1024 * 1024) + '"}'
    answer = client.post("/api/v1/projects", data=big, headers=JSON)
    assert answer.status_code == 413, f"a body of {len(big)} bytes: {answer} (expected 413)"
    error = (answer.get_json() or {}).get("error")
    assert isinstance(error, dict) and error.get("code"), "the 413 is not in the error envelope"
    assert _data(client.get("/api/v1/projects")) == [], "the refused project was stored"
    small = '{"name": "small", "description": "' + "x" * 1000 + '"}'
    created = client.post("/api/v1/projects", data=small, headers=JSON)
    assert created.status_code == 201, f"a body of {len(small)} bytes: {created}"


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_a_repeated_get_is_served_from_the_cache(client: Client) -> None:
    """The project list is cached: the same GET again runs fewer SQL statements."""
    _project(client)
    first = client.get("/api/v1/projects", count_sql=True)
    second = client.get("/api/v1/projects", count_sql=True)
    assert first.status_code == second.status_code == 200, str(second)
    assert first.get_json() == second.get_json(), "the cached answer differs"
    assert (second.sql_count or 0) < (first.sql_count or 0), (
        f"{first.sql_count} statements, then {second.sql_count}: nothing was cached"
    )


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_the_cache_key_includes_the_user(app: AppHandle) -> None:
    """Two users asking the same URL get their own data: the key holds the user, or one
    user's cached list leaks to the other."""
    alice, bob = app.client(), app.client()
    _project(alice, "alice's secret")
    assert [p["name"] for p in _cached(alice, "/api/v1/projects")] == ["alice's secret"]
    assert _data(bob.get("/api/v1/projects")) == [], "bob received alice's cached projects"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_a_cached_detail_is_never_served_to_another_user(app: AppHandle) -> None:
    """GET /api/v1/projects/<id> and GET /api/v1/tasks/<id> are cached per user: another
    user asking for the same id still gets 404, not the owner's cached copy."""
    alice, bob = app.client(), app.client()
    project = _project(alice, "alice's detail")
    path = f"/api/v1/projects/{project['id']}"
    assert _cached(alice, path)["name"] == "alice's detail"
    assert bob.get(path).status_code == 404, "bob received alice's cached project"
    body = {"project_id": project["id"], "title": "alice's task"}
    task = _data(alice.post("/api/v1/tasks", json=body), 201)
    task_path = f"/api/v1/tasks/{task['id']}"
    assert _cached(alice, task_path)["title"] == "alice's task"
    assert bob.get(task_path).status_code == 404, "bob received alice's cached task"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_the_cache_key_includes_the_query_string(client: Client) -> None:
    """?per_page=1 and ?per_page=2 are different answers, cached apart."""
    _project(client, "one")
    _project(client, "two")
    assert len(_cached(client, "/api/v1/projects", per_page=1)) == 1
    assert len(_cached(client, "/api/v1/projects", per_page=2)) == 2


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_arguments_the_views_do_not_read_stay_out_of_the_cache_key(client: Client) -> None:
    """The key holds only VIEW_ARGS (page, per_page, project_id, status): a junk argument is
    served from the entry cached without it, so junk cannot fill the cache."""
    project = _project(client)
    _data(client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201)
    for path in ("/api/v1/tasks", "/api/v1/projects"):
        first = client.get(path, count_sql=True)
        _data(first)
        junk = client.get(path, count_sql=True, query_string={"utm_source": "x", "_": "17"})
        assert _data(junk) == _data(first), f"GET {path}?utm_source=x answers other data"
        assert (junk.sql_count or 0) < (first.sql_count or 0), (
            f"GET {path} with junk arguments ran {junk.sql_count} statements, as many as "
            f"without ({first.sql_count}): the junk made a new cache entry"
        )


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_writes_leave_no_stale_reads(client: Client, source: Source) -> None:
    """Every write drops what it changed: after PUT, DELETE or a new task, GETs are fresh; the
    generation invalidate() sets never expires (cache.set(..., timeout=0)), or the views cached
    under an older one would come back."""
    project = _project(client, "before")
    path = f"/api/v1/projects/{project['id']}"
    _cached(client, "/api/v1/projects")
    _cached(client, path)
    _data(client.put(path, json={"name": "after"}))
    assert [p["name"] for p in _data(client.get("/api/v1/projects"))] == ["after"], "stale list"
    assert _data(client.get(path))["name"] == "after", "stale detail after PUT"
    tasks = f"/api/v1/tasks?project_id={project['id']}"
    assert _data(client.get(tasks)) == []
    _generation_never_expires(source)
    _data(client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201)
    assert len(_data(client.get(tasks))) == 1, "stale task list after POST"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404, "stale detail after DELETE"


def _generation_never_expires(source: Source) -> None:
    """The ``cache.set`` calls of ``invalidate`` in app/caching.py pass ``timeout=0``."""
    if not source.exists("app/caching.py"):
        return
    for node in ast.walk(source.tree("app/caching.py")):
        if isinstance(node, ast.FunctionDef) and node.name == "invalidate":
            for call in _calls(node, "set"):
                seconds = _timeout(call, 2)
                assert seconds in (0, None), (
                    f"app/caching.py:{call.lineno}: invalidate() sets the generation with "
                    f"{'the default timeout' if seconds == 'default' else f'timeout={seconds:g}'}"
                    ", so it expires: timeout=0 never does"
                )


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_task_writes_leave_no_stale_reads(client: Client) -> None:
    """A task's update and deletion drop what they changed: the task, the task list and the
    project list's task_count are fresh right after."""
    project = _project(client)
    task = _data(
        client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "old"}), 201
    )
    path = f"/api/v1/tasks/{task['id']}"
    _cached(client, path)
    _cached(client, "/api/v1/tasks")
    assert _cached(client, "/api/v1/projects")[0]["task_count"] == 1
    _data(client.put(path, json={"title": "new"}))
    assert _data(client.get(path))["title"] == "new", "stale task after PUT"
    assert [t["title"] for t in _data(client.get("/api/v1/tasks"))] == ["new"], "stale task list"
    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404, "stale task after DELETE"
    assert _data(client.get("/api/v1/tasks")) == [], "stale task list after DELETE"
    count = _data(client.get("/api/v1/projects"))[0]["task_count"]
    assert count == 0, f"the project list still counts {count} task after DELETE"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_stats_asked_by_an_upper_case_id_stay_fresh(client: Client) -> None:
    """The memo is keyed by the canonical (lower-case) id: /projects/<ID>/stats with the id in
    upper case is dropped by a task write like the lower-case one."""
    project = _project(client)
    stats = f"/api/v1/projects/{project['id'].upper()}/stats"
    assert _cached(client, stats)["total"] == 0
    _data(client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201)
    assert _data(client.get(stats))["total"] == 1, "the upper-case id's stats are stale"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_project_stats_are_memoized_and_stay_fresh(client: Client, source: Source) -> None:
    """GET /api/v1/projects/<id>/stats comes from a memoized service function (cache.memoize),
    dropped whenever a task of the project changes."""
    project = _project(client)
    stats = f"/api/v1/projects/{project['id']}/stats"
    assert _cached(client, stats) == {"todo": 0, "doing": 0, "done": 0, "total": 0}
    task = _data(
        client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201
    )
    assert _data(client.get(stats))["todo"] == 1, "stale stats after a new task"
    _data(client.put(f"/api/v1/tasks/{task['id']}", json={"status": "done"}))
    assert _data(client.get(stats))["done"] == 1, "stale stats after a status change"
    memoized = [p for p in source.glob("app/**/*.py") if "cache.memoize" in source.text(p)]
    assert memoized, "no function is memoized with cache.memoize"
    for path in memoized:
        for call in _calls(source.tree(path), "memoize"):
            seconds = _timeout(call, 0)
            assert seconds in (300, None), (
                f"{path}:{call.lineno}: cache.memoize(...) keeps its memo "
                f"{'CACHE_DEFAULT_TIMEOUT (60 s)' if seconds == 'default' else f'{seconds} s'}, "
                "not 5 minutes (timeout=300)"
            )


def _calls(tree: ast.AST, method: str) -> list[ast.Call]:
    """Every call of a method of that name (``cache.memoize(...)``) in ``tree``."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
    ]


def _timeout(call: ast.Call, position: int) -> float | str | None:
    """The call's ``timeout`` (keyword, or the argument at ``position``) in seconds when it is
    a literal (``300``, ``5 * 60``), "default" when it is left out, None when it is a name or
    an expression the grader does not evaluate (given the benefit of the doubt)."""
    given = [k.value for k in call.keywords if k.arg == "timeout"] or call.args[position:][:1]
    return _number(given[0]) if given else "default"


def _number(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):
        left, right = _number(node.left), _number(node.right)
        if left is not None and right is not None:
            return left * right if isinstance(node.op, ast.Mult) else left + right
    return None
