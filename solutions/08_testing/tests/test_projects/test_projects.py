"""/projects: create, list, and the number of statements a list takes."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import AuthActions, QueryCounter
from tests.factories import ProjectFactory, TaskFactory, UserFactory


def test_create_project_answers_201(client: FlaskClient, auth: AuthActions) -> None:
    """A valid project: 201 and the project, owned by you, with no tasks yet."""
    # BEGIN SOLUTION (task 3): POST {"name": "Launch"}; assert 201, data.name "Launch", data.task_count 0.
    response = client.post("/api/v1/projects", json={"name": "Launch"}, headers=auth.headers())
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["task_count"]) == ("Launch", 0)
    # END SOLUTION


def test_create_project_with_an_unknown_field_answers_422(
    client: FlaskClient, auth: AuthActions
) -> None:
    """An unknown field is refused, not ignored."""
    # BEGIN SOLUTION (task 3): POST a name and "color": "red"; assert 422.
    body = {"name": "Launch", "color": "red"}
    assert client.post("/api/v1/projects", json=body, headers=auth.headers()).status_code == 422
    # END SOLUTION


def test_projects_without_a_token_answer_401(client: FlaskClient) -> None:
    """No token: neither list nor create."""
    # BEGIN SOLUTION (task 3): GET and POST /api/v1/projects without headers; assert 401 for both.
    assert client.get("/api/v1/projects").status_code == 401
    assert client.post("/api/v1/projects", json={"name": "Launch"}).status_code == 401
    # END SOLUTION


def test_the_project_list_shows_your_projects_with_task_counts(
    client: FlaskClient, auth: AuthActions
) -> None:
    """Only your projects are listed, each with its number of tasks."""
    # BEGIN SOLUTION (task 3): Make one of your projects with two tasks and someone else's project; GET the list; assert one project with task_count 2.
    user = UserFactory()
    project = ProjectFactory(owner=user)
    TaskFactory.create_batch(2, project=project)
    ProjectFactory()
    response = client.get("/api/v1/projects", headers=auth.headers(user.email))
    assert [p["task_count"] for p in response.get_json()["data"]] == [2]
    # END SOLUTION


def test_the_project_list_takes_as_many_statements_for_five_projects_as_for_one(
    client: FlaskClient, auth: AuthActions, count_queries: type[QueryCounter]
) -> None:
    """No N+1: the statement count does not grow with the number of projects listed."""
    # BEGIN SOLUTION (task 5): Count the statements of GET /projects with one project (with tasks), then with five; a write before each GET, so neither is served from the cache; assert the counts are equal.
    user = UserFactory()
    headers = auth.headers(user.email)

    def listed() -> QueryCounter:
        client.post("/api/v1/projects", json={"name": "new"}, headers=headers)  # a fresh cache
        with count_queries() as counted:
            assert client.get("/api/v1/projects", headers=headers).status_code == 200
        return counted

    one = listed()
    for project in ProjectFactory.create_batch(4, owner=user):
        TaskFactory.create_batch(2, project=project)
    assert listed().count == one.count
    # END SOLUTION
