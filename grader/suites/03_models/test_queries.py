"""Stage 03, task 3: services on the database, 2.0-style queries, pagination, transactions."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from workbook.client import Client, Source


def _body(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"{response} (expected {status})"
    return dict(response.get_json() or {})


def _owner(client: Client, email: str) -> str:
    payload = {"email": email, "name": email[:3], "password": "pw-123456"}
    return str(_body(client.post("/api/v1/auth/register", json=payload), 201)["data"]["id"])


def _projects(client: Client, count: int, tasks: int = 0, owners: bool = False) -> None:
    """``count`` projects; with ``owners``, each has its own owner (one shared owner would be
    served from SQLAlchemy's identity map after the first lazy load, hiding an N+1)."""
    for number in range(count):
        payload: dict[str, Any] = {
            "name": f"p{number}",
            "tasks": [{"title": f"t{n}"} for n in range(tasks)],
        }
        if owners:
            payload["owner_id"] = _owner(client, f"owner{count}-{number}@example.com")
        _body(client.post("/api/v1/projects", json=payload), 201)


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_lists_paginate_with_page_meta(client: Client, make_app: Any) -> None:
    """?page= and ?per_page= cut a list; meta holds page, per_page and total; per_page
    defaults to the DEFAULT_PAGE_SIZE setting (20)."""
    _projects(client, 7)
    second = _body(client.get("/api/v1/projects", query_string={"page": 2, "per_page": 3}), 200)
    assert len(second["data"]) == 3, f"page 2 holds {len(second['data'])} projects"
    assert second["meta"] == {"page": 2, "per_page": 3, "total": 7}, f"meta is {second['meta']}"
    last = _body(client.get("/api/v1/projects", query_string={"page": 3, "per_page": 3}), 200)
    assert len(last["data"]) == 1, "the last page is wrong"
    default = _body(client.get("/api/v1/projects"), 200)["meta"]
    assert default == {"page": 1, "per_page": 20, "total": 7}, f"default meta is {default}"
    small = make_app("testing", env={"DEFAULT_PAGE_SIZE": "2"}).client()
    _projects(small, 3)
    page = _body(small.get("/api/v1/projects"), 200)
    assert page["meta"]["per_page"] == 2 and len(page["data"]) == 2, (
        f"with DEFAULT_PAGE_SIZE=2 the default page is {page['meta']}"
    )


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_lists_run_oldest_first_and_take_any_page_arguments(client: Client) -> None:
    """Lists run oldest first across pages, and go through the given page_args: a page or
    per_page that is no integer gives the default, page 0 is page 1, per_page is clamped into
    1..100, and a page far past the end is an empty page, never an error."""
    _projects(client, 5)
    names = [
        p["name"]
        for page in (1, 2, 3)
        for p in _body(
            client.get("/api/v1/projects", query_string={"page": page, "per_page": 2}), 200
        )["data"]
    ]
    assert names == [f"p{n}" for n in range(5)], f"the pages list {names}, not oldest first"
    for query, meta in (
        ({"per_page": 500}, {"page": 1, "per_page": 100}),
        ({"per_page": 0}, {"page": 1, "per_page": 1}),
        ({"page": 0, "per_page": 2}, {"page": 1, "per_page": 2}),
        ({"page": "two", "per_page": "many"}, {"page": 1, "per_page": 20}),
    ):
        got = _body(client.get("/api/v1/tasks", query_string=query), 200)["meta"]
        wanted = {**meta, "total": 0}
        assert got == wanted, f"?{query} answers meta {got}, not {wanted}"
    far = client.get("/api/v1/projects", query_string={"page": 10**20})
    assert _body(far, 200)["data"] == [], "a page far past the end is not an empty page"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_a_project_filter_that_is_no_uuid_matches_no_task(client: Client) -> None:
    """GET /api/v1/tasks?project_id=<not a UUID> answers 200 with an empty page, not an error."""
    project = _body(client.post("/api/v1/projects", json={"name": "p"}), 201)["data"]
    payload = {"project_id": project["id"], "title": "t"}
    _body(client.post("/api/v1/tasks", json=payload), 201)
    page = _body(client.get("/api/v1/tasks", query_string={"project_id": "not-a-uuid"}), 200)
    assert page["data"] == [] and page["meta"]["total"] == 0, f"it matched {page['meta']}"


@pytest.mark.retired_at("05_auth")  # from 05 the owner is the logged-in user
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_an_unknown_owner_answers_404(client: Client) -> None:
    """A project whose owner_id names no user answers 404 and leaves no project behind."""
    owner = "00000000-0000-4000-8000-000000000000"
    response = client.post("/api/v1/projects", json={"name": "p", "owner_id": owner})
    assert response.status_code == 404, f"an unknown owner_id: {response} (expected 404)"
    assert _body(client.get("/api/v1/projects"), 200)["meta"]["total"] == 0, "a project is left"


@pytest.mark.retired_at("04_validation")  # from 04 the schema answers 422 for a bad UUID
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_an_owner_id_that_is_no_uuid_is_not_found(client: Client) -> None:
    """An owner_id that is not a UUID is simply not found: 404, not a 500."""
    response = client.post("/api/v1/projects", json={"name": "p", "owner_id": "not-a-uuid"})
    assert response.status_code == 404, f"owner_id 'not-a-uuid': {response} (expected 404)"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_task_lists_filter_and_paginate(client: Client) -> None:
    """GET /api/v1/tasks?status=done&per_page=2 filters in SQL and paginates the result."""
    project = _body(client.post("/api/v1/projects", json={"name": "p"}), 201)["data"]
    for number in range(5):
        status = "done" if number % 2 else "todo"
        payload = {"project_id": project["id"], "title": f"t{number}", "status": status}
        _body(client.post("/api/v1/tasks", json=payload), 201)
    page = _body(client.get("/api/v1/tasks", query_string={"status": "done", "per_page": 1}), 200)
    assert page["meta"] == {"page": 1, "per_page": 1, "total": 2}, f"meta is {page['meta']}"
    assert [t["status"] for t in page["data"]] == ["done"], "the status filter is wrong"


@pytest.mark.retired_at("05_auth")  # from 05 the owner is the logged-in user
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_project_list_shows_owner_and_task_count(client: Client) -> None:
    """Each listed project shows its owner ({id, name}, or null) and its task_count."""
    _projects(client, 1, tasks=3, owners=True)
    _body(client.post("/api/v1/projects", json={"name": "orphan"}), 201)
    listed = {p["name"]: p for p in _body(client.get("/api/v1/projects"), 200)["data"]}
    assert listed["p0"]["task_count"] == 3, "task_count is wrong"
    assert set(listed["p0"]["owner"] or {}) == {"id", "name"}, "owner is not {id, name}"
    assert listed["orphan"]["owner"] is None and listed["orphan"]["task_count"] == 0


@pytest.mark.retired_at("05_auth")  # 05 re-tests it per user
@pytest.mark.task(3)
@pytest.mark.points(3)
def test_project_list_runs_a_constant_number_of_queries(make_app: Any) -> None:
    """Listing projects with owners and task counts must not run a query per project (N+1):
    use joinedload/selectinload and a count in the same statement."""
    counts = []
    for size in (2, 5):
        client = make_app("testing").client()
        _projects(client, size, tasks=2, owners=True)
        response = client.get("/api/v1/projects", count_sql=True)
        _body(response, 200)
        counts.append(response.sql_count)
    assert counts[0] is not None, "the app runs no SQL (is Flask-SQLAlchemy in use?)"
    assert counts[0] == counts[1], f"{counts[0]} queries for 2 projects, {counts[1]} for 5"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_queries_use_the_2_0_select_style(client: Client, source: Source) -> None:
    """Services query with select() through db.session, never the legacy Model.query API."""
    _body(client.get("/api/v1/projects"), 200)
    for path in source.glob("app/**/*.py"):
        for node in ast.walk(source.tree(path)):
            if isinstance(node, ast.Attribute) and node.attr == "query" and _legacy(node.value):
                raise AssertionError(
                    f"{path}:{node.lineno} uses the legacy Query API "
                    "(looked for Model.query and session.query in every file of app/)"
                )


def _legacy(owner: ast.expr) -> bool:
    """``Model.query`` (a class name) or ``<...>.session.query``."""
    if isinstance(owner, ast.Name):
        return owner.id[:1].isupper() or owner.id in ("session", "cls")
    return isinstance(owner, ast.Attribute) and owner.attr == "session"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_a_project_with_initial_tasks_is_created_at_once(client: Client) -> None:
    """POST /api/v1/projects with "tasks": [...] creates the project and its tasks together,
    each with its status ("todo" when it gives none)."""
    payload = {"name": "launch", "tasks": [{"title": "plan"}, {"title": "ship", "status": "done"}]}
    project = _body(client.post("/api/v1/projects", json=payload), 201)["data"]
    assert project["task_count"] == 2, "task_count is not 2"
    tasks = _body(client.get("/api/v1/tasks", query_string={"project_id": project["id"]}), 200)
    got = sorted((t["title"], t["status"]) for t in tasks["data"])
    assert got == [("plan", "todo"), ("ship", "done")], f"the initial tasks are {got}"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_a_failed_mutation_leaves_no_rows_behind(client: Client) -> None:
    """A project whose initial tasks break a constraint answers 409 and saves nothing:
    one commit, and a rollback on failure."""
    payload = {"name": "half", "tasks": [{"title": "same"}, {"title": "same"}]}
    response = client.post("/api/v1/projects", json=payload)
    assert response.status_code == 409, str(response)
    assert _body(client.get("/api/v1/projects"), 200)["meta"]["total"] == 0, "a project is left"
    assert _body(client.get("/api/v1/tasks"), 200)["meta"]["total"] == 0, "tasks are left"
    after = client.post("/api/v1/projects", json={"name": "next"})
    assert after.status_code == 201, "the session is unusable after the failure (no rollback?)"
