"""Stage 02, tasks 2-4: users and registration, projects, tasks, with the envelope."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from workbook.client import AppFactory, Client, Response


def _data(response: Response, status: int) -> Any:
    assert response.status_code == status, f"{response} (expected {status})"
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == {"data", "meta"}, "not the data/meta envelope"
    return body["data"]


def _register(client: Client, email: str) -> dict[str, Any]:
    payload = {"email": email, "name": email.split("@")[0], "password": "correct horse 42"}
    return dict(_data(client.post("/api/v1/auth/register", json=payload), 201))


def _project(client: Client, name: str = "Launch") -> dict[str, Any]:
    payload = {"name": name, "description": "ship it"}
    return dict(_data(client.post("/api/v1/projects", json=payload), 201))


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_register_creates_a_user_and_answers_201(client: Client) -> None:
    """POST /api/v1/auth/register must answer 201 with the user (id, email, name), no password."""
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "ada@example.com", "name": "Ada", "password": "s3cret-pw"},
    )
    user = _data(response, 201)
    assert {"id", "email", "name"} <= set(user), "the user lacks id, email or name"
    assert user["email"] == "ada@example.com" and user["name"] == "Ada", "wrong fields"
    assert "password" not in response.text and "s3cret-pw" not in response.text, "password shown"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_register_refuses_a_taken_email_with_409(client: Client) -> None:
    """Registering an email twice must answer 409 Conflict in the error envelope."""
    _register(client, "bob@example.com")
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "bob@example.com", "name": "B", "password": "pw-123456"},
    )
    assert response.status_code == 409, str(response)
    code = (response.get_json() or {}).get("error", {}).get("code")
    assert code == "conflict", f"the 409's error code is {code!r}, not 'conflict'"


@pytest.mark.retired_at("04_validation")  # validation answers 422 from stage 04 on
@pytest.mark.task(2)
@pytest.mark.points(1)
def test_register_without_a_field_answers_400(client: Client) -> None:
    """Registering without email, name or password must answer 400 (code "bad_request") in
    the error envelope, and register nobody."""
    account = {"email": "eve@example.com", "name": "Eve", "password": "correct horse 42"}
    for missing in account:
        partial = {key: value for key, value in account.items() if key != missing}
        response = client.post("/api/v1/auth/register", json=partial)
        assert response.status_code == 400, f"without {missing}: {response} (expected 400)"
        code = (response.get_json() or {}).get("error", {}).get("code")
        assert code == "bad_request", f"without {missing}: code {code!r}, not 'bad_request'"
    _register(client, "eve@example.com")  # nobody took the address on the way


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_users_can_be_listed_and_read(client: Client) -> None:
    """GET /api/v1/users lists users with meta.total; GET /api/v1/users/<id> reads one or 404s."""
    ada, bob = _register(client, "ada@example.com"), _register(client, "bob@example.com")
    listing = client.get("/api/v1/users")
    users = _data(listing, 200)
    emails = {u["email"] for u in users}
    assert {"ada@example.com", "bob@example.com"} <= emails, "a registered user is missing"
    total = (listing.get_json() or {})["meta"].get("total")
    assert total == len(users), f"meta.total is {total} for {len(users)} users"
    assert _data(client.get(f"/api/v1/users/{bob['id']}"), 200)["email"] == bob["email"]
    assert client.get(f"/api/v1/users/{uuid.uuid4()}").status_code == 404, "unknown user not 404"
    assert ada["id"] != bob["id"], "two users share an id"
    assert all(isinstance(u["id"], str) for u in users), "a user id is not a string"
    for answer in (listing, client.get(f"/api/v1/users/{bob['id']}")):
        assert "password" not in answer.text, "a user answer holds the password or its hash"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_create_project_answers_201_in_the_envelope(client: Client) -> None:
    """POST /api/v1/projects must answer 201 with {"data": project, "meta": {}}."""
    project = _project(client, "Apollo")
    assert project.get("name") == "Apollo" and project.get("id"), "project lacks name or id"
    assert project.get("description") == "ship it", "description not stored"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_projects_can_be_listed_and_read(client: Client) -> None:
    """GET /api/v1/projects lists with meta.total; GET /api/v1/projects/<id> reads one."""
    project = _project(client)
    listing = client.get("/api/v1/projects")
    assert [p["id"] for p in _data(listing, 200)] == [project["id"]], "wrong project list"
    assert (listing.get_json() or {})["meta"].get("total") == 1, "meta.total is not 1"
    assert _data(client.get(f"/api/v1/projects/{project['id']}"), 200)["id"] == project["id"]


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_update_project_answers_200_with_the_change(client: Client) -> None:
    """PUT /api/v1/projects/<id> must answer 200 with the updated project, and keep it."""
    project = _project(client)
    path = f"/api/v1/projects/{project['id']}"
    assert _data(client.put(path, json={"name": "Renamed"}), 200)["name"] == "Renamed"
    assert _data(client.get(path), 200)["name"] == "Renamed", "the change was not kept"
    assert client.put(f"/api/v1/projects/{uuid.uuid4()}", json={"name": "x"}).status_code == 404


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_delete_project_answers_204_and_it_is_gone(client: Client) -> None:
    """DELETE /api/v1/projects/<id> must answer 204 with an empty body; then GET answers 404,
    and so does deleting it again."""
    project = _project(client)
    path = f"/api/v1/projects/{project['id']}"
    response = client.delete(path)
    assert response.status_code == 204, str(response)
    assert response.data == b"", "a 204 has no body"
    assert client.get(path).status_code == 404, "the project is still there"
    again = client.delete(path)
    assert again.status_code == 404, f"deleting it again: {again} (expected 404)"


@pytest.mark.retired_at("03_models")  # 03 tests the cascade of the tables
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_deleting_a_project_takes_its_tasks(client: Client) -> None:
    """DELETE /api/v1/projects/<id> removes the project's tasks too: they answer 404 and leave
    the task list; another project's task stays."""
    doomed, kept = _project(client, "Doomed"), _project(client, "Kept")
    tasks = [
        _data(client.post("/api/v1/tasks", json={"project_id": p["id"], "title": "t"}), 201)
        for p in (doomed, kept)
    ]
    assert client.delete(f"/api/v1/projects/{doomed['id']}").status_code == 204
    assert client.get(f"/api/v1/tasks/{tasks[0]['id']}").status_code == 404, "its task is left"
    left = [t["id"] for t in _data(client.get("/api/v1/tasks"), 200)]
    assert left == [tasks[1]["id"]], "the task list still holds the deleted project's task"


@pytest.mark.retired_at("04_validation")  # validation answers 422 from stage 04 on
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_project_without_a_name_answers_400(client: Client) -> None:
    """POST /api/v1/projects without a name must answer 400 in the error envelope."""
    response = client.post("/api/v1/projects", json={"description": "no name"})
    assert response.status_code == 400, str(response)
    assert "error" in (response.get_json() or {}), "not the error envelope"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_two_apps_never_share_projects(make_app: AppFactory) -> None:
    """Data lives in the app's own store: a project made in one app is absent from another."""
    first, second = make_app("testing").client(), make_app("testing").client()
    _project(first)
    assert _data(second.get("/api/v1/projects"), 200) == [], "the second app sees the project"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_create_task_answers_201_with_status_todo(client: Client) -> None:
    """POST /api/v1/tasks with project_id and title must answer 201; status defaults to "todo"."""
    project = _project(client)
    task = _data(
        client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "Plan"}), 201
    )
    assert task.get("title") == "Plan" and task.get("project_id") == project["id"], "wrong task"
    assert task.get("status") == "todo", f"status is {task.get('status')!r}"


@pytest.mark.retired_at("04_validation")  # validation answers 422 from stage 04 on
@pytest.mark.task(4)
@pytest.mark.points(1)
def test_task_without_project_id_or_title_answers_400(client: Client) -> None:
    """POST /api/v1/tasks without project_id, or without title, must answer 400 in the error
    envelope."""
    project = _project(client)
    for payload in ({"title": "Plan"}, {"project_id": project["id"]}):
        response = client.post("/api/v1/tasks", json=payload)
        assert response.status_code == 400, f"{payload}: {response} (expected 400)"
        assert "error" in (response.get_json() or {}), f"{payload}: not the error envelope"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_task_for_an_unknown_project_answers_404(client: Client) -> None:
    """A task for a project that does not exist must answer 404
    (the route exists; the project does not)."""
    project = _project(client)
    _data(client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "ok"}), 201)
    response = client.post("/api/v1/tasks", json={"project_id": str(uuid.uuid4()), "title": "x"})
    assert response.status_code == 404, str(response)


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_list_tasks_filters_by_project_and_status(client: Client) -> None:
    """GET /api/v1/tasks?project_id=&status= must return only the matching tasks, with their
    number in meta.total."""
    one, two = _project(client, "One"), _project(client, "Two")
    for project, title, status in ((one, "a", "todo"), (one, "b", "done"), (two, "c", "done")):
        payload = {"project_id": project["id"], "title": title, "status": status}
        _data(client.post("/api/v1/tasks", json=payload), 201)
    answer = client.get("/api/v1/tasks", query_string={"project_id": one["id"]})
    mine = _data(answer, 200)
    assert sorted(t["title"] for t in mine) == ["a", "b"], "project filter wrong"
    meta = (answer.get_json() or {}).get("meta", {})
    assert meta.get("total") == 2, f"meta is {meta}, not a total of 2"
    query = {"project_id": one["id"], "status": "done"}
    assert [t["title"] for t in _data(client.get("/api/v1/tasks", query_string=query), 200)] == [
        "b"
    ], "the two filters together are wrong"
    done = _data(client.get("/api/v1/tasks", query_string={"status": "done"}), 200)
    assert sorted(t["title"] for t in done) == ["b", "c"], "the status filter alone is wrong"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_tasks_can_be_updated_and_deleted(client: Client) -> None:
    """PUT /api/v1/tasks/<id> answers 200 with the change; DELETE answers 204, then GET and
    a second DELETE answer 404."""
    project = _project(client)
    task = _data(
        client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201
    )
    path = f"/api/v1/tasks/{task['id']}"
    assert _data(client.put(path, json={"status": "doing"}), 200)["status"] == "doing"
    assert client.delete(path).status_code == 204, "delete is not 204"
    assert client.get(path).status_code == 404, "the task is still there"
    again = client.delete(path)
    assert again.status_code == 404, f"deleting it again: {again} (expected 404)"
