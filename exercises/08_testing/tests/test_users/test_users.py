"""GET and PUT /users."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import AuthActions
from tests.factories import UserFactory


def test_users_are_listed_without_their_hashes(client: FlaskClient, auth: AuthActions) -> None:
    """The list shows every user, each as id, email and name."""
    # TODO(task 3): Make two users, GET /api/v1/users as one of them; assert 200, meta.total 2, and every item's keys are id, email and name.
    raise NotImplementedError("TODO(task 3): Make two users, GET /api/v1/users as one of them; assert 200, meta.total 2, and every item's keys are id, email and name.")


def test_renaming_a_user_with_a_bad_name_answers_422(
    client: FlaskClient, auth: AuthActions
) -> None:
    """A name must be a string."""
    # TODO(task 3): PUT a name of 5 to /api/v1/users/<your id>; assert 422.
    raise NotImplementedError('TODO(task 3): PUT a name of 5 to /api/v1/users/<your id>; assert 422.')


def test_users_without_a_token_answer_401(client: FlaskClient) -> None:
    """No token, no users."""
    # TODO(task 3): GET /api/v1/users without headers; assert 401.
    raise NotImplementedError('TODO(task 3): GET /api/v1/users without headers; assert 401.')
