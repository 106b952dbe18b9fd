"""Stage 04 public checks: a quick subset of what the hidden suite grades."""

from __future__ import annotations

import pytest

from workbook.client import Client


def _project_id(client: Client) -> str:
    response = client.post("/api/v1/projects", json={"name": "Launch"})
    assert response.status_code == 201, f"{response} (expected 201)"
    return str((response.get_json() or {})["data"]["id"])


@pytest.mark.task(1)
def test_invalid_input_answers_422(client: Client) -> None:
    """POST /api/v1/projects with a non-string name must answer 422 with details.name."""
    response = client.post("/api/v1/projects", json={"name": 5})
    assert response.status_code == 422, str(response)
    details = (response.get_json() or {}).get("error", {}).get("details", {})
    assert "name" in details, f"details: {details}"


@pytest.mark.task(2)
def test_an_unknown_project_field_answers_422(client: Client) -> None:
    """An unknown field must answer 422, not be ignored."""
    response = client.post("/api/v1/projects", json={"name": "x", "color": "red"})
    assert response.status_code == 422, str(response)


@pytest.mark.task(3)
def test_partial_updates_work(client: Client) -> None:
    """PUT /api/v1/projects/<id> with only a description must answer 200."""
    response = client.put(f"/api/v1/projects/{_project_id(client)}", json={"description": "d"})
    assert response.status_code == 200, str(response)


@pytest.mark.task(4)
def test_due_date_before_start_date_is_refused(client: Client) -> None:
    """A task due before it starts must answer 422."""
    payload = {"project_id": _project_id(client), "title": "t",
               "start_date": "2026-03-02", "due_date": "2026-03-01"}
    assert client.post("/api/v1/tasks", json=payload).status_code == 422


@pytest.mark.task(5)
def test_register_shows_no_password(client: Client) -> None:
    """POST /api/v1/auth/register must answer 201 with id, email and name only."""
    response = client.post("/api/v1/auth/register",
                           json={"email": "a@example.com", "name": "A", "password": "pw-123456"})
    assert response.status_code == 201, str(response)
    assert set((response.get_json() or {})["data"]) == {"id", "email", "name"}
