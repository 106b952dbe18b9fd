"""Stage 01, task 4: the health endpoint, the shell context and a CLI command."""

from __future__ import annotations

import json
import re
import secrets

import pytest

from workbook.client import AppFactory, AppHandle, Client


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_health_endpoint_answers_ok_in_the_envelope(client: Client) -> None:
    """GET /api/v1/health must answer 200 with {"data": {"status": "ok"}, "meta": {}}."""
    response = client.get("/api/v1/health")
    assert response.status_code == 200, str(response)
    assert response.mimetype == "application/json", f"Content-Type is {response.mimetype!r}"
    assert response.get_json() == {"data": {"status": "ok"}, "meta": {}}, "wrong body"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_health_endpoint_lives_in_the_health_blueprint(app: AppHandle, client: Client) -> None:
    """The health view must belong to the "health" blueprint mounted at /api/v1, GET only."""
    assert client.get("/api/v1/health").status_code == 200, "GET /api/v1/health is not 200"
    rules = [r for r in app.url_rules() if r["rule"] == "/api/v1/health"]
    assert rules, "no URL rule /api/v1/health"
    blueprints = str(rules[0]["endpoint"]).split(".")[:-1]  # "health" or "api.health"
    assert blueprints[-1:] == ["health"], f"endpoint is {rules[0]['endpoint']!r}"
    assert set(rules[0]["methods"]) <= {"GET", "HEAD", "OPTIONS"}, "health accepts writes"


@pytest.mark.retired_at("03_models")  # the database replaces the store
@pytest.mark.task(4)
@pytest.mark.points(1)
def test_shell_context_offers_the_store(app: AppHandle) -> None:
    """`flask shell` must offer `store` through a shell context processor."""
    assert "store" in app.shell_context(), "flask shell does not offer `store`"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_show_config_prints_settings_as_json(app: AppHandle) -> None:
    """`flask show-config` must print the settings as one JSON object, keys sorted, and exit 0."""
    result = app.cli("show-config")
    assert result.exit_code == 0, str(result)
    try:
        pairs = json.loads(result.output, object_pairs_hook=list)
    except ValueError:
        raise AssertionError("the output is not one JSON object") from None
    assert isinstance(pairs, list), "the output is not one JSON object"
    shown = dict(pairs)
    assert shown.get("TESTING") is True, "TESTING missing or wrong"
    keys = [key for key, _ in pairs]
    assert keys == sorted(keys), "the keys are not printed in sorted order"


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_show_config_masks_secrets(make_app: AppFactory) -> None:
    """`flask show-config` must show *** for every key with SECRET or PASSWORD in its name or
    ending in TOKEN, and for the password inside a URL (a database's, Redis's): the secret
    itself is never printed."""
    secret, password = secrets.token_urlsafe(36), secrets.token_urlsafe(12)
    env = {
        "SECRET_KEY": secret,
        # Read from stage 03 on (the database, Redis): their passwords must not show either.
        "DATABASE_URL": f"postgresql+psycopg://ada:{password}@db.example:5432/taskboard",
        "REDIS_URL": f"redis://:{password}@cache.example:6379/0",
    }
    # tables=False: nothing connects to the made-up database; show-config only reads config.
    result = make_app("testing", env=env, dotenv="", tables=False).cli("show-config")
    assert result.exit_code == 0, str(result)
    assert secret not in result.output, "the secret key is printed"
    assert password not in result.output, "a password inside a URL setting is printed"
    shown = json.loads(result.output)
    assert shown.get("SECRET_KEY") == "***", "SECRET_KEY is not ***"
    secret_keys = [k for k in shown if re.search(r"SECRET|PASSWORD|TOKEN$", k)]
    unmasked = [key for key in secret_keys if shown[key] != "***"]
    assert not unmasked, f"{unmasked[0]} (its name says it is secret) is not ***"
