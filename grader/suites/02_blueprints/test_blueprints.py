"""Stage 02, tasks 1 and 5: one blueprint per domain, thin handlers, JSON errors."""

from __future__ import annotations

import ast
import uuid

import pytest

from workbook.client import AppHandle, Client, Source

DOMAINS = ("auth", "users", "projects", "tasks")
METHODS = {"get", "post", "put", "patch", "delete"}


def _rules_by_domain(app: AppHandle) -> dict[str, list[dict[str, object]]]:
    rules = app.url_rules()
    return {d: [r for r in rules if str(r["rule"]).startswith(f"/api/v1/{d}")] for d in DOMAINS}


def _route_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.decorator_list]


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_each_domain_has_its_own_blueprint(app: AppHandle) -> None:
    """Routes under /api/v1/<domain> must come from that domain's blueprint (auth, users, ...),
    registered on the app or nested in a parent blueprint ("api.projects.list_projects")."""
    for domain, rules in _rules_by_domain(app).items():
        assert rules, f"no route under /api/v1/{domain}"
        wrong = [r["endpoint"] for r in rules if _blueprint(str(r["endpoint"])) != domain]
        assert not wrong, f"{wrong[0]!r} is served under /api/v1/{domain}"


def _blueprint(endpoint: str) -> str:
    """The innermost blueprint of an endpoint: "projects" for "api.projects.list_projects"."""
    parts = endpoint.split(".")
    return parts[-2] if len(parts) > 1 else ""


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_every_route_lives_under_api_v1(app: AppHandle) -> None:
    """Every API route must be versioned under /api/v1/ (blueprints registered with url_prefix)."""
    assert all(_rules_by_domain(app).values()), "a domain has no routes yet"
    stray = [
        r["rule"]
        for r in app.url_rules()
        if r["endpoint"] != "static" and not str(r["rule"]).startswith("/api/v1/")
    ]
    assert not stray, f"{stray[0]!r} is not under /api/v1/"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_routes_use_method_decorators(app: AppHandle, source: Source) -> None:
    """Views must use @bp.get/post/put/delete, not @bp.route(..., methods=[...])."""
    assert all(_rules_by_domain(app).values()), "a domain has no routes yet"
    for domain in DOMAINS:
        for function in _route_functions(source.tree(f"app/{domain}/routes.py")):
            for decorator in function.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = getattr(call, "attr", "")
                assert name != "route", f"{domain}/routes.py:{function.name} uses @bp.route"


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_unknown_route_answers_json_404(client: Client) -> None:
    """An unknown URL must answer 404 {"error": {"code": "not_found", "message", "details"}}."""
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404, str(response)
    body = response.get_json()
    assert isinstance(body, dict) and "error" in body, "not the JSON error envelope"
    error = body["error"]
    assert error.get("code") == "not_found", f"code is {error.get('code')!r}"
    assert isinstance(error.get("message"), str) and error["message"], "no message"
    assert isinstance(error.get("details"), dict), "details is not an object"


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_wrong_method_answers_json_405(client: Client) -> None:
    """A wrong method must answer 405 with code "method_not_allowed" in the error envelope,
    keeping its Allow header."""
    response = client.delete("/api/v1/health")
    assert response.status_code == 405, str(response)
    body = response.get_json() or {}
    assert body.get("error", {}).get("code") == "method_not_allowed", "not the 405 envelope"
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
    assert "GET" in allowed, "the 405 lost its Allow header (it must list GET)"


@pytest.mark.task(5)
@pytest.mark.points(1)
def test_missing_resource_answers_json_404(client: Client) -> None:
    """A project that does not exist must answer 404 in the error envelope, not HTML."""
    response = client.get(f"/api/v1/projects/{uuid.uuid4()}")
    assert response.status_code == 404, str(response)
    assert (response.get_json() or {}).get("error", {}).get("code") == "not_found", "no envelope"


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_handlers_stay_thin_and_delegate_to_services(app: AppHandle, source: Source) -> None:
    """Each view must be under 15 lines and leave the store to services.py:
    routes parse and answer, services do the work."""
    assert all(_rules_by_domain(app).values()), "a domain has no routes yet"
    for domain in DOMAINS:
        tree = source.tree(f"app/{domain}/routes.py")
        for function in _route_functions(tree):
            length = (function.end_lineno or 0) - function.body[0].lineno + 1
            assert length <= 15, f"{domain}/routes.py:{function.name} is {length} lines"
        names = {getattr(n, "id", getattr(n, "attr", "")) for n in ast.walk(tree)}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        leaked = names & {"store", "extensions", "current_app"}
        assert not leaked, f"{domain}/routes.py touches {sorted(leaked)[0]}: leave it to services"
