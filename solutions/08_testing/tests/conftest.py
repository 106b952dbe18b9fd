"""What every test shares: one testing app, a clean database per test, a client, auth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from app import create_app
from app.extensions import cache, db, limiter
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """One app for the whole run, in testing configuration, with its tables made once."""
    # BEGIN SOLUTION (task 1): Build create_app("testing"), create every table in its app context, yield the app.
    app = create_app("testing")
    with app.app_context():
        db.create_all()
    yield app
    # END SOLUTION


@pytest.fixture(autouse=True)
def clean(app: Flask) -> Iterator[None]:
    """Each test in an app context of its own, then every table emptied, the cache cleared
    and the rate limits reset: no test sees another's data."""
    # BEGIN SOLUTION (task 1): Push an app context around the test; afterwards delete every table's rows (children first), commit, clear the cache, reset the limiter.
    with app.app_context():
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        cache.clear()
        limiter.reset()
    # END SOLUTION


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    # BEGIN SOLUTION (task 1): Return the app's test client.
    return app.test_client()
    # END SOLUTION


class AuthActions:
    """Log in as a user the factories made, and build the headers that carry the token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        """POST /auth/login; the tokens it answered."""
        # BEGIN SOLUTION (task 1): POST the email and password to /api/v1/auth/login, assert 200, return the data.
        response = self.client.post(
            "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert response.status_code == 200, response.get_json()
        tokens: dict[str, str] = response.get_json()["data"]
        return tokens
        # END SOLUTION

    def headers(self, email: str | None = None) -> dict[str, str]:
        """An Authorization header for ``email`` (a new user when None)."""
        # BEGIN SOLUTION (task 1): Make a user with UserFactory when no email is given, log in, return {"Authorization": "Bearer <access token>"}.
        if email is None:
            email = UserFactory().email
        return {"Authorization": f"Bearer {self.login(email)['access_token']}"}
        # END SOLUTION


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log-in helpers bound to the test client."""
    return AuthActions(client)


class QueryCounter:
    """Counts the SQL statements the app's engine runs inside a ``with`` block."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> QueryCounter:
        """Start counting."""
        # BEGIN SOLUTION (task 5): Listen for before_cursor_execute on db.engine; each call adds one.
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self
        # END SOLUTION

    def __exit__(self, *exc: object) -> None:
        """Stop counting."""
        # BEGIN SOLUTION (task 5): Stop listening.
        event.remove(db.engine, "before_cursor_execute", self._seen)
        # END SOLUTION

    def _seen(self, *args: Any) -> None:
        """One more statement."""
        self.count += 1


@pytest.fixture
def count_queries() -> type[QueryCounter]:
    """``with count_queries() as counted: ...`` then ``counted.count``."""
    return QueryCounter
