"""Stage 02 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.client import AppHandle, Client


@pytest.mark.task(1)
def test_projects_blueprint_is_mounted(app: AppHandle) -> None:
    """The projects blueprint must serve /api/v1/projects."""
    rules = [r for r in app.url_rules() if r["rule"].startswith("/api/v1/projects")]
    assert rules and rules[0]["endpoint"].startswith("projects."), "no projects blueprint"


@pytest.mark.task(2)
def test_register_answers_201(client: Client) -> None:
    """POST /api/v1/auth/register must answer 201 with the user in the envelope."""
    response = client.post("/api/v1/auth/register",
                           json={"email": "ada@example.com", "name": "Ada", "password": "pw-12345"})
    assert response.status_code == 201, str(response)
    assert (response.get_json() or {}).get("data", {}).get("email") == "ada@example.com"


@pytest.mark.task(3)
def test_create_project_answers_201(client: Client) -> None:
    """POST /api/v1/projects must answer 201 with {"data": project, "meta": {}}."""
    response = client.post("/api/v1/projects", json={"name": "Launch"})
    assert response.status_code == 201, str(response)
    assert (response.get_json() or {}).get("data", {}).get("name") == "Launch", "wrong body"


@pytest.mark.task(4)
def test_task_for_an_unknown_project_is_404(client: Client) -> None:
    """POST /api/v1/tasks for a project that does not exist must answer 404."""
    project = client.post("/api/v1/projects", json={"name": "Launch"}).get_json() or {}
    made = client.post("/api/v1/tasks", json={"project_id": project.get("data", {}).get("id"),
                                              "title": "ok"})
    assert made.status_code == 201, f"first, a task for an existing project must get 201: {made}"
    response = client.post("/api/v1/tasks", json={"project_id": "nope", "title": "x"})
    assert response.status_code == 404, str(response)


@pytest.mark.task(5)
def test_unknown_route_is_a_json_404(client: Client) -> None:
    """An unknown URL must answer 404 in the JSON error envelope."""
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404, str(response)
    assert (response.get_json() or {}).get("error", {}).get("code") == "not_found", "no envelope"
