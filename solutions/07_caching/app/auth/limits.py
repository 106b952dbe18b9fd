"""Rate-limit helpers for the auth routes: limits from the config, and the account key."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request


def config_limit(name: str) -> Callable[[], str]:
    """A limit read from the config when the request comes (so each app can set its own)."""
    return lambda: str(current_app.config[name])


def account_key() -> str:
    """Login attempts per account, whatever address they come from."""
    # BEGIN SOLUTION (task 4): Key on the lower-cased email of the JSON body.
    body = request.get_json(silent=True)
    email = body.get("email", "") if isinstance(body, dict) else ""
    return f"login-account:{str(email).lower()}"
    # END SOLUTION
