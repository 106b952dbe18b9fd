"""Stage 04: request schemas (marshmallow or Pydantic v2), 422 field errors, partial updates, safe
responses. Graded on what the API answers, so both libraries meet it alike."""

from __future__ import annotations

from typing import Any

import pytest

from workbook.client import AppHandle, Client, Response

PASSWORD = "correct horse 42"


def _created(response: Response) -> dict[str, Any]:
    assert response.status_code == 201, f"{response} (expected 201)"
    return dict((response.get_json() or {})["data"])


def _details(response: Response) -> dict[str, Any]:
    """The field errors of a 422 in the error envelope."""
    assert response.status_code == 422, f"{response} (expected 422)"
    error = (response.get_json() or {}).get("error", {})
    assert error.get("code") == "validation_error", f"code is {error.get('code')!r}"
    details = error.get("details")
    assert isinstance(details, dict) and details, "details does not map fields to messages"
    return details


def _field_error(response: Response, field: str) -> None:
    details = _details(response)
    messages = details.get(field)
    assert isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages), (
        f"details has no messages for {field!r} (it has {sorted(details)})"
    )


def _message(response: Response, field: str, wanted: str) -> None:
    """The 422's messages for ``field`` include the README's sentence (any case, any
    prefix a library adds, such as Pydantic's "Value error, ")."""
    _field_error(response, field)
    messages = _details(response)[field]
    assert any(wanted in str(m).lower() for m in messages), (
        f"the messages for {field!r} are {messages}, none says {wanted!r}"
    )


def _user(client: Client, email: str = "ada@example.com") -> dict[str, Any]:
    payload = {"email": email, "name": "Ada", "password": PASSWORD}
    return _created(client.post("/api/v1/auth/register", json=payload))


def _project(client: Client) -> dict[str, Any]:
    return _created(client.post("/api/v1/projects", json={"name": "Launch"}))


def _task(client: Client, **fields: Any) -> dict[str, Any]:
    project = _project(client)
    payload = {"project_id": project["id"], "title": "Plan", **fields}
    return _created(client.post("/api/v1/tasks", json=payload))


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_an_invalid_body_answers_422_with_field_details(client: Client) -> None:
    """A body that breaks its schema answers 422, code "validation_error", and details
    mapping each bad field to a list of messages."""
    _project(client)
    _field_error(client.post("/api/v1/projects", json={"name": 5}), "name")


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_every_bad_field_is_reported_at_once(client: Client) -> None:
    """One 422 lists every invalid field, so a client can fix them all in one go."""
    response = client.post(
        "/api/v1/auth/register", json={"email": "not-an-email", "name": "Ada", "password": "short"}
    )
    details = _details(response)
    assert {"email", "password"} <= set(details), f"details only has {sorted(details)}"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_a_body_that_is_not_json_still_answers_400(client: Client) -> None:
    """A body that is not a JSON object is a 400 (bad request), not a validation error."""
    _project(client)
    response = client.post(
        "/api/v1/projects", data="name=x", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400, str(response)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_unknown_fields_are_refused(client: Client) -> None:
    """Create schemas use unknown = RAISE: an unexpected field is a 422, never silently dropped
    (think of "is_admin": true)."""
    _field_error(client.post("/api/v1/projects", json={"name": "x", "color": "red"}), "color")
    payload = {"email": "eve@example.com", "name": "Eve", "password": PASSWORD, "is_admin": True}
    _field_error(client.post("/api/v1/auth/register", json=payload), "is_admin")
    project = _project(client)
    task = {"project_id": project["id"], "title": "t", "id": "mine"}
    _field_error(client.post("/api/v1/tasks", json=task), "id")


REQUEST_SCHEMAS = ("app.users.schemas", "app.projects.schemas", "app.tasks.schemas")


def _loads_requests(name: str) -> bool:
    """The README's request schemas: Create*, Update* and *Body* (the given routes' names)."""
    return name.startswith(("Create", "Update")) or "Body" in name


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_every_request_schema_declares_unknown_raise(app: AppHandle) -> None:
    """Every request schema says unknown = RAISE in its Meta, its own or a base schema's: the
    rule is written down, not left to marshmallow's default (or, with Pydantic, model_config
    has extra="forbid")."""
    missing = []
    for module in REQUEST_SCHEMAS:
        for name, found in app.classes(module, "Meta.unknown", "model_config").items():
            if not _loads_requests(name):
                continue
            if "BaseModel" in found["mro"]:
                config = found["attributes"]["model_config"]
                if not (isinstance(config, dict) and config.get("extra") == "forbid"):
                    missing.append(f"{module}.{name} (model_config has no extra='forbid')")
            elif "Schema" in found["mro"] and found["attributes"]["Meta.unknown"] != "raise":
                got = found["attributes"]["Meta.unknown"]
                missing.append(f"{module}.{name} (Meta.unknown is {got!r})")
    assert not missing, "no unknown = RAISE in " + ", ".join(missing)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_required_fields_and_types_are_checked(client: Client) -> None:
    """Required fields, UUIDs, emails and the status choices are checked field by field, in a
    project's nested initial tasks too (TaskBodySchema)."""
    project = _project(client)
    _field_error(client.post("/api/v1/tasks", json={"project_id": project["id"]}), "title")
    _field_error(
        client.post("/api/v1/tasks", json={"project_id": "p1", "title": "t"}), "project_id"
    )
    bad_status = {"project_id": project["id"], "title": "t", "status": "later"}
    _field_error(client.post("/api/v1/tasks", json=bad_status), "status")
    bad_email = {"email": "nobody", "name": "N", "password": PASSWORD}
    _field_error(client.post("/api/v1/auth/register", json=bad_email), "email")
    nested = {"name": "Launch", "tasks": [{"title": "ok"}, {"status": "later"}]}
    details = _details(client.post("/api/v1/projects", json=nested))
    # Under "tasks" (marshmallow nests its errors) or a key that starts with it ("tasks.1.status").
    reported = [key for key in details if str(key).startswith("tasks")]
    assert reported, f"a bad nested task is not reported under tasks ({sorted(details)})"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_every_required_field_and_length_limit_of_the_schema_table_holds(client: Client) -> None:
    """The schema table's limits hold at their edges: a project needs a name of 1 to 120
    characters, a user an email of at most 255, a name of 1 to 120 and a password of at
    least 8, a task a title of 1 to 200 and a project_id; a required field left out or one
    character past a limit is a 422 on that field, and the limit itself is fine."""
    # 256 characters, every label within the 63 an address allows.
    long_email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".com"
    cases = [
        ("/api/v1/projects", {}, "name"),
        ("/api/v1/auth/register", {"name": "Eve", "password": PASSWORD}, "email"),
        ("/api/v1/auth/register", {"email": "eve@example.com", "name": "Eve"}, "password"),
        (
            "/api/v1/auth/register",
            {"email": long_email, "name": "Eve", "password": PASSWORD},
            "email",
        ),
        ("/api/v1/projects", {"name": ""}, "name"),
        ("/api/v1/projects", {"name": "n" * 121}, "name"),
        ("/api/v1/auth/register", {"email": "eve@example.com", "password": PASSWORD}, "name"),
        (
            "/api/v1/auth/register",
            {"email": "eve@example.com", "name": "n" * 121, "password": PASSWORD},
            "name",
        ),
        (
            "/api/v1/auth/register",
            {"email": "eve@example.com", "name": "Eve", "password": "p" * 7},
            "password",
        ),
        (
            "/api/v1/auth/register",
            {"email": "e" * 244 + "@example.com", "name": "Eve", "password": PASSWORD},
            "email",
        ),
    ]
    for path, body, field in cases:
        _field_error(client.post(path, json=body), field)
    project = _project(client)
    long_title = {"project_id": project["id"], "title": "t" * 201}
    _field_error(client.post("/api/v1/tasks", json=long_title), "title")
    _field_error(client.post("/api/v1/tasks", json={"title": "t"}), "project_id")
    edges = [
        ("/api/v1/projects", {"name": "n" * 120}, "a project name of 120 characters"),
        ("/api/v1/projects", {"name": "n"}, "a project name of 1 character"),
        (
            "/api/v1/tasks",
            {"project_id": project["id"], "title": "t" * 200},
            "a 200-character title",
        ),
        ("/api/v1/tasks", {"project_id": project["id"], "title": "t"}, "a 1-character title"),
        (
            "/api/v1/auth/register",
            {"email": "n@example.com", "name": "n", "password": "p" * 8},
            "a 1-character name and an 8-character password",
        ),
        (
            "/api/v1/auth/register",
            {"email": "m@example.com", "name": "n" * 120, "password": PASSWORD},
            "a user name of 120 characters",
        ),
    ]
    for path, body, what in edges:
        response = client.post(path, json=body)
        assert response.status_code == 201, f"{what} is refused: {response}"


@pytest.mark.retired_at("05_auth")  # from 05 a project's owner is the token's user
@pytest.mark.task(2)
@pytest.mark.points(1)
def test_null_is_accepted_where_the_table_allows_it(client: Client) -> None:
    """ "UUID or null" and "ISO dates or null" accept an explicit null: a project with
    "owner_id": null and a task with both dates null are created."""
    project = client.post("/api/v1/projects", json={"name": "Launch", "owner_id": None})
    assert _created(project).get("owner") is None, "a null owner_id did not give a null owner"
    body = {
        "project_id": _created(project)["id"],
        "title": "t",
        "start_date": None,
        "due_date": None,
    }
    task = _created(client.post("/api/v1/tasks", json=body))
    assert task.get("start_date") is None and task.get("due_date") is None, "dates not null"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_defaults_fill_the_optional_fields(client: Client) -> None:
    """The defaults fill what a client leaves out: status "todo", dates null, description ""."""
    task = _task(client)
    assert task.get("status") == "todo", f"status is {task.get('status')!r}"
    assert task.get("start_date") is None and task.get("due_date") is None, "dates not null"
    assert _project(client).get("description") == "", 'description is not ""'


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_updates_accept_partial_input(client: Client) -> None:
    """PUT loads with partial=True: a client sends only what changes, the rest stays."""
    task = _task(client)
    changed = client.put(f"/api/v1/tasks/{task['id']}", json={"status": "done"})
    assert changed.status_code == 200, str(changed)
    body = (changed.get_json() or {})["data"]
    assert body["status"] == "done" and body["title"] == "Plan", "the update lost a field"
    project = _project(client)
    renamed = client.put(f"/api/v1/projects/{project['id']}", json={"description": "d"})
    assert renamed.status_code == 200 and renamed.get_json()["data"]["name"] == "Launch"


@pytest.mark.retired_at("05_auth")  # from 05 a user may only rename themselves
@pytest.mark.task(3)
@pytest.mark.points(1)
def test_a_user_is_renamed_with_a_partial_update(client: Client) -> None:
    """PUT /api/v1/users/<id> with only a name answers 200; its email may not change (422)."""
    user = _user(client)
    moved = client.put(f"/api/v1/users/{user['id']}", json={"name": "Ada L."})
    assert moved.status_code == 200 and moved.get_json()["data"]["name"] == "Ada L."
    _field_error(
        client.put(f"/api/v1/users/{user['id']}", json={"email": "x@example.com"}), "email"
    )


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_updates_still_validate_and_refuse_other_fields(client: Client) -> None:
    """Partial is not lax: a bad value, an explicit null for a name, a title past its limit or
    a field an update may not touch is a 422."""
    task = _task(client)
    _field_error(client.put(f"/api/v1/tasks/{task['id']}", json={"status": "later"}), "status")
    project = _project(client)
    _field_error(client.put(f"/api/v1/projects/{project['id']}", json={"tasks": []}), "tasks")
    _field_error(client.put(f"/api/v1/projects/{project['id']}", json={"name": None}), "name")
    _field_error(client.put(f"/api/v1/tasks/{task['id']}", json={"title": "t" * 201}), "title")


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_a_task_cannot_be_due_before_it_starts(client: Client) -> None:
    """A cross-field rule (@validates_schema, or a Pydantic validator): due_date before
    start_date is a 422 on due_date ("must not be before start_date"), in an update that
    sends both dates too; the same day is fine."""
    project = _project(client)
    wrong = {
        "project_id": project["id"],
        "title": "t",
        "start_date": "2026-03-02",
        "due_date": "2026-03-01",
    }
    _message(client.post("/api/v1/tasks", json=wrong), "due_date", "must not be before start_date")
    same = {**wrong, "due_date": "2026-03-02"}
    task = _created(client.post("/api/v1/tasks", json=same))
    assert task["due_date"] == "2026-03-02", "the same day is refused"
    dates = {"start_date": "2026-03-02", "due_date": "2026-03-01"}
    update = client.put(f"/api/v1/tasks/{task['id']}", json=dates)
    _message(update, "due_date", "must not be before start_date")


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_blank_names_and_titles_are_refused(client: Client) -> None:
    """A field rule (@validates, or a Pydantic validator): a project or user name or a task
    title of only spaces is a 422 on that field, saying "must not be blank", in a project
    update too."""
    _project(client)
    _message(client.post("/api/v1/projects", json={"name": "   "}), "name", "must not be blank")
    project = _project(client)
    blank = {"project_id": project["id"], "title": "  "}
    _message(client.post("/api/v1/tasks", json=blank), "title", "must not be blank")
    user = {"email": "eve@example.com", "name": " \t ", "password": PASSWORD}
    _message(client.post("/api/v1/auth/register", json=user), "name", "must not be blank")
    renamed = client.put(f"/api/v1/projects/{project['id']}", json={"name": "  "})
    _message(renamed, "name", "must not be blank")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_responses_never_show_the_password_or_its_hash(client: Client) -> None:
    """UserResponseSchema dumps id, email and name only: no password, no hash, anywhere."""
    user = _user(client)
    responses = [client.get("/api/v1/users"), client.get(f"/api/v1/users/{user['id']}")]
    assert set(user) == {"id", "email", "name"}, f"register shows {sorted(user)}"
    for response in responses:
        assert response.status_code == 200, str(response)
        text = response.text.lower()
        assert "password" not in text and "scrypt:" not in text and "pbkdf2:" not in text, (
            f"{response.label} shows a password or its hash"
        )


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_task_responses_show_exactly_the_documented_fields(client: Client) -> None:
    """TaskResponseSchema: id, project_id, title, status, start_date, due_date (ISO dates)."""
    task = _task(client, start_date="2026-01-01", due_date="2026-01-31")
    expected = {"id", "project_id", "title", "status", "start_date", "due_date"}
    assert set(task) == expected, f"a task shows {sorted(task)}"
    assert task["start_date"] == "2026-01-01", "dates are not ISO strings"


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_project_responses_show_exactly_the_documented_fields(client: Client) -> None:
    """ProjectResponseSchema: id, name, description, owner ({id, name} or null), task_count."""
    project = _project(client)
    listed = (client.get("/api/v1/projects").get_json() or {})["data"][0]
    for shown in (project, listed):
        assert set(shown) == {"id", "name", "description", "owner", "task_count"}, (
            f"a project shows {sorted(shown)}"
        )
