"""E-mail to users, through Flask-Mail: the app's one call to the outside world."""

from __future__ import annotations

from flask_mail import Message

from app.extensions import mail
from app.models import User


def send_welcome(user: User) -> None:
    """Greet a new account at its address."""
    mail.send(
        Message(
            subject="Welcome to Taskboard",
            recipients=[user.email],
            body=f"Hello {user.name}, your Taskboard account is ready.",
        )
    )


def send_password_changed(user: User) -> None:
    """Tell an account that its password was just changed."""
    mail.send(
        Message(
            subject="Your Taskboard password was changed",
            recipients=[user.email],
            body="If this was not you, reset your password at once.",
        )
    )
