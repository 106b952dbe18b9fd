"""GET and PUT /users."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import UserFactory


def test_users_are_listed_without_their_hashes(client: FlaskClient, auth: AuthActions) -> None:
    """The list shows every user, each as id, email and name."""
    # BEGIN SOLUTION (task 3): Make two users, GET /api/v1/users as one of them; assert 200, meta.total 2, and every item's keys are id, email and name.
    UserFactory()
    response = client.get("/api/v1/users", headers=auth.headers())
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"]["total"] == 2
    assert all(set(user) == {"id", "email", "name"} for user in body["data"])
    # END SOLUTION


def test_renaming_a_user_with_a_bad_name_answers_422(
    client: FlaskClient, auth: AuthActions
) -> None:
    """A name must be a string."""
    # BEGIN SOLUTION (task 3): PUT a name of 5 to /api/v1/users/<your id>; assert 422.
    user = UserFactory()
    response = client.put(
        f"/api/v1/users/{user.id}", json={"name": 5}, headers=auth.headers(user.email)
    )
    assert response.status_code == 422
    # END SOLUTION


def test_users_without_a_token_answer_401(client: FlaskClient) -> None:
    """No token, no users."""
    # BEGIN SOLUTION (task 3): GET /api/v1/users without headers; assert 401.
    assert client.get("/api/v1/users").status_code == 401
    # END SOLUTION
