"""POST /auth/register and the welcome mail, PUT /auth/password and its notice."""

from __future__ import annotations

from unittest.mock import patch

from flask.testing import FlaskClient

from app.extensions import mail
from tests.conftest import AuthActions
from tests.factories import PASSWORD, UserFactory

NEW = {"email": "ada@example.com", "name": "Ada", "password": "analytical-1843"}


def test_register_answers_201_with_the_user_and_no_password(client: FlaskClient) -> None:
    """A valid registration: 201 and the user, never a password or its hash."""
    # BEGIN SOLUTION (task 3): POST NEW (with mail.send patched); assert 201 and that data's keys are exactly id, email and name.
    with patch.object(mail, "send"):
        response = client.post("/api/v1/auth/register", json=NEW)
    assert response.status_code == 201
    assert set(response.get_json()["data"]) == {"id", "email", "name"}
    # END SOLUTION


def test_register_with_a_bad_email_answers_422(client: FlaskClient) -> None:
    """An invalid body: 422 naming the field."""
    # BEGIN SOLUTION (task 3): POST NEW with email "not-an-email"; assert 422 and "email" in error.details.
    response = client.post("/api/v1/auth/register", json={**NEW, "email": "not-an-email"})
    assert response.status_code == 422
    assert "email" in response.get_json()["error"]["details"]
    # END SOLUTION


def test_register_sends_a_welcome_mail_to_the_new_address(client: FlaskClient) -> None:
    """The welcome mail goes through mail.send, patched: no real mail leaves a test."""
    # BEGIN SOLUTION (task 4): Patch mail.send, register, assert it was called once with a Message whose recipients are [NEW's email].
    with patch.object(mail, "send") as send:
        client.post("/api/v1/auth/register", json=NEW)
    send.assert_called_once()
    assert send.call_args.args[0].recipients == [NEW["email"]]
    # END SOLUTION


def test_login_with_a_wrong_password_answers_401(client: FlaskClient) -> None:
    """A wrong password gets no tokens."""
    # BEGIN SOLUTION (task 3): Make a user with UserFactory, log in with a wrong password, assert 401.
    user = UserFactory()
    response = client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": "not-the-password"}
    )
    assert response.status_code == 401
    # END SOLUTION


def test_me_without_a_token_answers_401(client: FlaskClient) -> None:
    """No token, no account."""
    # BEGIN SOLUTION (task 3): GET /api/v1/auth/me without headers; assert 401.
    assert client.get("/api/v1/auth/me").status_code == 401
    # END SOLUTION


def test_password_change_answers_204_and_sends_a_notice(
    client: FlaskClient, auth: AuthActions
) -> None:
    """A password change with the right current password: 204, a notice, the new one works."""
    # BEGIN SOLUTION (task 4): With mail.send patched, PUT /api/v1/auth/password as a factory user; assert 204, one mail to that user, and that the new password logs in.
    user = UserFactory()
    body = {"current_password": PASSWORD, "new_password": "a-new-password-1"}
    with patch.object(mail, "send") as send:
        response = client.put("/api/v1/auth/password", json=body, headers=auth.headers(user.email))
    assert response.status_code == 204
    send.assert_called_once()
    assert send.call_args.args[0].recipients == [user.email]
    assert auth.login(user.email, "a-new-password-1")["access_token"]
    # END SOLUTION


def test_password_change_with_a_wrong_current_password_answers_403(
    client: FlaskClient, auth: AuthActions
) -> None:
    """The current password must match; nothing is sent when it does not."""
    # BEGIN SOLUTION (task 4): With mail.send patched, PUT a wrong current_password; assert 403 and no mail.
    user = UserFactory()
    body = {"current_password": "wrong-password", "new_password": "a-new-password-1"}
    with patch.object(mail, "send") as send:
        response = client.put("/api/v1/auth/password", json=body, headers=auth.headers(user.email))
    assert response.status_code == 403
    send.assert_not_called()
    # END SOLUTION


def test_password_change_without_a_token_answers_401(client: FlaskClient) -> None:
    """No token, no change."""
    # BEGIN SOLUTION (task 3): PUT /api/v1/auth/password without headers; assert 401.
    body = {"current_password": PASSWORD, "new_password": "a-new-password-1"}
    assert client.put("/api/v1/auth/password", json=body).status_code == 401
    # END SOLUTION
