"""Stage 01 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.transport import LearnerError
from workbook.client import AppFactory, AppHandle, Client


@pytest.mark.task(1)
def test_testing_config_is_loaded(app: AppHandle) -> None:
    """create_app("testing") must set TESTING = True."""
    assert app.config("TESTING").get("TESTING") is True, "TESTING is not True"


@pytest.mark.task(1)
def test_production_needs_a_secret_key(make_app: AppFactory) -> None:
    """Production must refuse to start without SECRET_KEY and say so."""
    with pytest.raises(LearnerError) as caught:
        make_app("production", env={"SECRET_KEY": None}, dotenv="")
    assert not caught.value.is_a("NotImplementedError"), (
        f"create_app is not written yet: {caught.value.shown}"
    )
    assert "SECRET_KEY" in str(caught.value), (
        f"the error does not name SECRET_KEY: {caught.value.shown}"
    )


@pytest.mark.task(2)
def test_store_is_bound_to_the_app(app: AppHandle) -> None:
    """store.init_app(app) must put the tables in app.extensions["store"]."""
    assert "store" in app.extensions(), "app.extensions has no 'store'"


@pytest.mark.task(3)
def test_each_call_builds_a_new_app(make_app: AppFactory) -> None:
    """create_app must return a new app on every call."""
    assert make_app("testing").app_id != make_app("testing").app_id, "same app twice"


@pytest.mark.task(4)
def test_health_answers_ok(client: Client) -> None:
    """GET /api/v1/health must answer 200 {"data": {"status": "ok"}, "meta": {}}."""
    response = client.get("/api/v1/health")
    assert response.status_code == 200, str(response)
    assert response.get_json() == {"data": {"status": "ok"}, "meta": {}}, "wrong body"
