"""Stage 05, task 5: every private route needs a token, and users only see their own data."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from workbook.client import AppFactory, AppHandle, Client

# Stage 09 adds readiness beside liveness: a load balancer asks both without a token.
PUBLIC = {"/api/v1/health", "/api/v1/ready", "/api/v1/auth/register", "/api/v1/auth/login"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, f"{response} (expected 201)"
    return dict((response.get_json() or {})["data"])


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_every_private_route_requires_a_token(app: AppHandle) -> None:
    """A valid access token guards every route but health, register and login: without a
    token, each answers 401."""
    anonymous = app.client(login=False)
    rules = [r for r in app.url_rules() if r["endpoint"] != "static" and r["rule"] not in PUBLIC]
    assert any(r["rule"].startswith("/api/v1/projects") for r in rules), "no project routes"
    for rule in rules:
        path = re.sub(r"<[^>]+>", str(uuid.uuid4()), rule["rule"])
        for method in (m for m in METHODS if m in rule["methods"]):
            response = anonymous.open(method, path, json={})
            assert response.status_code == 401, (
                f"{method} {rule['rule']!r} answers {response.status_code} without a token"
            )


def _probe_in_blueprint_of(app: AppHandle, path: str) -> tuple[str, str]:
    """The (dotted) name of the blueprint whose view answers GET ``path``, and the path of
    the grader's route inside that blueprint ("" when it has none)."""
    rules = app.url_rules()
    owner = next(
        (str(r["endpoint"]) for r in rules if r["rule"] == path and "GET" in r["methods"]), None
    )
    assert owner is not None, f"no route answers GET {path}"
    name = owner.rpartition(".")[0]
    probe = next((r["rule"] for r in rules if r["endpoint"] == f"{name}.__grader_probe"), "")
    return name, str(probe)


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_each_private_blueprint_checks_the_token_in_one_hook(make_app: AppFactory) -> None:
    """The users, projects and tasks blueprints each check the access token in a
    @bp.before_request hook, so that a route added to one later is protected without a
    decorator: a grader route inside the blueprint answers 401 without a token."""
    app = make_app("testing", probes=True)
    anonymous, member = app.client(login=False), app.client()
    for domain in ("users", "projects", "tasks"):
        name, probe = _probe_in_blueprint_of(app, f"/api/v1/{domain}")
        assert name and probe, f"GET /api/v1/{domain} is no route of a blueprint"
        refused = anonymous.get(probe)
        assert refused.status_code == 401, (
            f"a route added to the {name[:60]!r} blueprint answers {refused.status_code} without a "
            "token (expected 401): no before_request hook of that blueprint checks it"
        )
        allowed = member.get(probe)
        assert allowed.status_code == 204, (
            f"a route added to the {name[:60]!r} blueprint answers {allowed.status_code} with a "
            "valid access token (expected it to run)"
        )


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_other_users_projects_and_tasks_are_not_found(app: AppHandle) -> None:
    """A user never reads, changes or deletes another user's projects or tasks: those answer
    404, as if they did not exist."""
    alice, bob = app.client(), app.client()
    project = _created(alice.post("/api/v1/projects", json={"name": "secret plan"}))
    task = _created(alice.post("/api/v1/tasks", json={"project_id": project["id"], "title": "x"}))
    listing = (bob.get("/api/v1/projects").get_json() or {}).get("data", [])
    assert all(p["id"] != project["id"] for p in listing), "bob lists alice's project"
    own = _created(bob.post("/api/v1/projects", json={"name": "bob's plan"}))
    bobs = _created(bob.post("/api/v1/tasks", json={"project_id": own["id"], "title": "b"}))
    tasks = (bob.get("/api/v1/tasks").get_json() or {}).get("data", [])
    listed = [t["id"] for t in tasks]
    assert listed == [bobs["id"]], f"bob's task list is {listed}, not just his own task"
    attempts = [
        bob.get(f"/api/v1/projects/{project['id']}"),
        bob.put(f"/api/v1/projects/{project['id']}", json={"name": "mine"}),
        bob.delete(f"/api/v1/projects/{project['id']}"),
        bob.post("/api/v1/tasks", json={"project_id": project["id"], "title": "y"}),
        bob.get(f"/api/v1/tasks/{task['id']}"),
        bob.put(f"/api/v1/tasks/{task['id']}", json={"status": "done"}),
        bob.delete(f"/api/v1/tasks/{task['id']}"),
    ]
    for response in attempts:
        assert response.status_code == 404, f"{response} for another user's data (expected 404)"
    mine = alice.get(f"/api/v1/projects/{project['id']}")
    assert mine.status_code == 200 and mine.get_json()["data"]["name"] == "secret plan"


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_users_can_only_rename_themselves(app: AppHandle) -> None:
    """PUT /api/v1/users/<id> answers 403 for another user, 200 for yourself."""
    alice, bob = app.client(), app.client()
    alice_id = alice.get("/api/v1/auth/me").get_json()["data"]["id"]
    bob_id = bob.get("/api/v1/auth/me").get_json()["data"]["id"]
    assert bob.put(f"/api/v1/users/{alice_id}", json={"name": "pwned"}).status_code == 403
    assert bob.put(f"/api/v1/users/{bob_id}", json={"name": "Bob"}).status_code == 200


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_own_project_list_runs_a_constant_number_of_queries(make_app: Any) -> None:
    """Your project list with task counts runs as many SQL statements for 2 projects as for 5."""
    counts = []
    for size in (2, 5):
        client: Client = make_app("testing").client()
        for number in range(size):
            payload = {"name": f"p{number}", "tasks": [{"title": "a"}, {"title": "b"}]}
            _created(client.post("/api/v1/projects", json=payload))
        response = client.get("/api/v1/projects", count_sql=True)
        assert response.status_code == 200, str(response)
        counts.append(response.sql_count)
    assert counts[0] == counts[1], f"{counts[0]} queries for 2 projects, {counts[1]} for 5"
