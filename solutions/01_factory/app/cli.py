"""Custom ``flask`` commands."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

# SECRET or PASSWORD anywhere in the name, or a name that ends in TOKEN. Settings about
# tokens (JWT_ACCESS_TOKEN_EXPIRES, JWT_TOKEN_LOCATION) are no secret and stay readable.
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN$")


@click.command("show-config")
@with_appcontext
def show_config() -> None:
    """Print the app's settings as JSON, secrets masked."""
    # BEGIN SOLUTION (task 4): Print current_app.config as one JSON object with sorted keys; show *** for keys with SECRET or PASSWORD in them or ending in TOKEN, and for the password of a URL value.
    masked = {
        key: "***" if SECRET_NAME.search(key) else without_password(value)
        for key, value in current_app.config.items()
    }
    click.echo(json.dumps(masked, sort_keys=True, indent=2, default=str))
    # END SOLUTION


def without_password(value: Any) -> Any:
    """``value``, or, when it is a URL with a password, the URL with *** for the password."""
    if not isinstance(value, str) or "://" not in value:
        return value
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        return value
    if not password:
        return value
    user = f"{parts.username}:" if parts.username else ":"
    return parts._replace(netloc=f"{user}***@{parts.netloc.rpartition('@')[2]}").geturl()
