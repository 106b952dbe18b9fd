"""Stage 01, tasks 2 and 3: extensions with init_app, and the application factory."""

from __future__ import annotations

import ast

import pytest

from workbook.client import AppFactory, AppHandle, Source

STEPS = (
    "register_extensions",
    "register_blueprints",
    "register_error_handlers",
    "register_shell_context",
    "register_cli",
)


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            func = call.func
            names.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    return names


def _module_level_calls(tree: ast.Module) -> set[str]:
    skip = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return set().union(*(_called_names(n) for n in tree.body if not isinstance(n, skip)))


@pytest.mark.retired_at("03_models")  # the database replaces the store
@pytest.mark.task(2)
@pytest.mark.points(1)
def test_store_extension_is_registered_on_the_app(app: AppHandle) -> None:
    """register_extensions must call store.init_app(app), which puts app.extensions["store"]."""
    assert "store" in app.extensions(), "app.extensions has no 'store'"


@pytest.mark.retired_at("03_models")  # the database replaces the store
@pytest.mark.task(2)
@pytest.mark.points(2)
def test_each_app_gets_its_own_store(make_app: AppFactory) -> None:
    """init_app must give every app its own tables, so two apps never share data."""
    first, second = make_app("testing"), make_app("testing")
    a, b = first.extensions().get("store"), second.extensions().get("store")
    assert a and b, "app.extensions has no 'store'"
    assert a["id"] != b["id"], "two apps share one store object"


@pytest.mark.retired_at("03_models")  # the database replaces the store
@pytest.mark.task(2)
@pytest.mark.points(1)
def test_extension_singletons_are_created_bare(app: AppHandle, source: Source) -> None:
    """app/extensions.py must create `store = MemoryStore()` with no app:
    init_app binds it later."""
    assert "store" in app.extensions(), "app.extensions has no 'store'"
    tree = source.tree("app/extensions.py")
    bare = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign)
        and any(getattr(t, "id", "") == "store" for t in n.targets)
        and isinstance(n.value, ast.Call)
        and not n.value.args
        and not n.value.keywords
    ]
    assert bare, "no module-level `store = MemoryStore()` in app/extensions.py"
    assert "Flask" not in _module_level_calls(tree), "app/extensions.py builds a Flask app"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_create_app_builds_a_new_app_on_each_call(make_app: AppFactory) -> None:
    """create_app must return a new Flask app on every call (that is what a factory is for)."""
    first, second = make_app("testing"), make_app("testing")
    assert first.app_id != second.app_id, "create_app returned the same app twice"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_create_app_defaults_to_development(make_app: AppFactory) -> None:
    """create_app() with no argument must use the development config."""
    config = make_app(None, dotenv="").config("DEBUG", "TESTING")
    assert config.get("DEBUG") is True and config.get("TESTING") is False, "not development"


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_factory_runs_the_five_register_steps(make_app: AppFactory) -> None:
    """create_app must delegate to register_extensions, register_blueprints,
    register_error_handlers, register_shell_context and register_cli."""
    ran = make_app("testing", trace=True).info["calls"]
    for step in STEPS:
        mine = [call for call in ran if call["name"] == step]
        assert mine, (
            f"create_app('testing') ran no function named {step} (looked at every function "
            "of your project it called, however it called them)"
        )
        assert any(call["takes_app"] for call in mine), f"{step} was not given the new app"


@pytest.mark.task(3)
@pytest.mark.points(1)
def test_importing_the_package_creates_no_app(app: AppHandle, make_app: AppFactory) -> None:
    """Importing app/ must not build an app: only create_app() does, when called."""
    built = make_app.apps_built_at_import()
    assert built == 0, f"importing the app package built {built} Flask app(s)"
