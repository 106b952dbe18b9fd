"""/tasks: create in your project, validation, and the token."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import ProjectFactory, UserFactory


def test_a_new_task_gets_201_and_status_todo(client: FlaskClient, auth: AuthActions) -> None:
    """A task in your project: 201, status todo."""
    # BEGIN SOLUTION (task 3): POST a title and your project's id to /api/v1/tasks; assert 201 and data.status "todo".
    user = UserFactory()
    project = ProjectFactory(owner=user)
    body = {"project_id": str(project.id), "title": "Write tests"}
    response = client.post("/api/v1/tasks", json=body, headers=auth.headers(user.email))
    assert response.status_code == 201
    assert response.get_json()["data"]["status"] == "todo"
    # END SOLUTION


def test_create_task_without_a_title_answers_422(client: FlaskClient, auth: AuthActions) -> None:
    """The title is required."""
    # BEGIN SOLUTION (task 3): POST only a project_id; assert 422 and "title" in error.details.
    user = UserFactory()
    project = ProjectFactory(owner=user)
    response = client.post(
        "/api/v1/tasks", json={"project_id": str(project.id)}, headers=auth.headers(user.email)
    )
    assert response.status_code == 422
    assert "title" in response.get_json()["error"]["details"]
    # END SOLUTION


def test_tasks_without_a_token_answer_401(client: FlaskClient) -> None:
    """No token: neither list nor create."""
    # BEGIN SOLUTION (task 3): GET and POST /api/v1/tasks without headers; assert 401 for both.
    project = ProjectFactory()
    assert client.get("/api/v1/tasks").status_code == 401
    body = {"project_id": str(project.id), "title": "x"}
    assert client.post("/api/v1/tasks", json=body).status_code == 401
    # END SOLUTION
