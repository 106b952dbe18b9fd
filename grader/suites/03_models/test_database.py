"""Stage 03, tasks 1 and 2: the database extensions, configuration and typed models."""

from __future__ import annotations

import ast
import uuid
from typing import Any

import pytest

from workbook.client import AppFactory, AppHandle, Client, Source
from workbook.transport import LearnerError

TABLES = ("users", "projects", "tasks")


def _data(response: Any, status: int) -> Any:
    assert response.status_code == status, f"{response} (expected {status})"
    return (response.get_json() or {}).get("data")


def _leading(schema: dict[str, Any], table: str) -> set[str]:
    """Columns that lead some index (or unique constraint) of ``table``."""
    info = schema[table]
    firsts = {index["columns"][0] for index in info["indexes"] if index["columns"]}
    return firsts | {cols[0] for cols in info["unique_constraints"] if cols}


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_database_extensions_are_bound_with_init_app(app: AppHandle, source: Source) -> None:
    """db = SQLAlchemy(...) and migrate = Migrate() are bare singletons bound by init_app."""
    extensions = app.extensions()
    assert "sqlalchemy" in extensions, "db.init_app(app) was not called"
    assert "migrate" in extensions, "migrate.init_app(app, db) was not called"
    calls = {}
    for node in source.tree("app/extensions.py").body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            for target in node.targets:
                calls[getattr(target, "id", "")] = node.value
    assert "db" in calls and "migrate" in calls, "app/extensions.py lacks db or migrate"
    assert not calls["migrate"].args, "migrate must be created bare: Migrate()"
    assert not calls["db"].args, "db must be created bare: SQLAlchemy(model_class=Base)"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_database_url_comes_from_the_environment(make_app: AppFactory) -> None:
    """SQLALCHEMY_DATABASE_URI comes from DATABASE_URL in testing and development; testing
    defaults to in-memory SQLite, development to sqlite:///taskboard.sqlite3."""
    url = make_app.temp_database()
    for name in ("testing", "development"):
        config = make_app(name, env={"DATABASE_URL": url}, dotenv="").config()
        assert config.get("SQLALCHEMY_DATABASE_URI") == url, f"{name} does not use DATABASE_URL"
    default = make_app("testing", env={"DATABASE_URL": None}, dotenv="").config()
    assert default.get("SQLALCHEMY_DATABASE_URI") == "sqlite://", "testing is not in-memory"
    local = make_app("development", env={"DATABASE_URL": None}, dotenv="", tables=False)
    got = local.config("SQLALCHEMY_DATABASE_URI").get("SQLALCHEMY_DATABASE_URI")
    assert got == "sqlite:///taskboard.sqlite3", f"development defaults to {got!r}"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_production_requires_a_database_url(make_app: AppFactory) -> None:
    """Production must refuse to start without DATABASE_URL, naming the setting."""
    make_app("testing")
    secret = "p" * 40
    with pytest.raises(LearnerError) as caught:
        make_app("production", env={"SECRET_KEY": secret, "DATABASE_URL": None}, dotenv="")
    assert "SQLALCHEMY_DATABASE_URI" in str(caught.value) or "DATABASE_URL" in str(caught.value)


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_shell_context_offers_db_and_the_models(app: AppHandle) -> None:
    """`flask shell` must offer db, User, Project and Task."""
    missing = {"db", "User", "Project", "Task"} - set(app.shell_context())
    assert not missing, f"flask shell lacks {sorted(missing)[0]}"


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_primary_keys_are_uuids(app: AppHandle, client: Client) -> None:
    """Every table's primary key is one UUID column `id`: ids that cannot be guessed or counted."""
    schema = app.schema()
    for table in TABLES:
        assert table in schema, f"no table {table}"
        assert schema[table]["primary_key"] == ["id"], f"{table} primary key is not id"
        kind = schema[table]["columns"]["id"]["type"].upper()
        assert "INT" not in kind, f"{table}.id is {kind!r}, not a UUID"
    project = _data(client.post("/api/v1/projects", json={"name": "p"}), 201)
    uuid.UUID(project["id"])


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_models_declare_typed_columns(app: AppHandle, source: Source) -> None:
    """Models declare columns as `Mapped[...] = mapped_column(...)`, the typed 2.0 style,
    never the untyped `db.Column(...)`."""
    assert "users" in app.schema(), "no table users"
    for path in source.glob("app/**/*.py"):
        for node in ast.walk(source.tree(path)):
            if isinstance(node, ast.ClassDef):
                for call in ast.walk(node):
                    name = getattr(getattr(call, "func", None), "attr", None) or getattr(
                        getattr(call, "func", None), "id", None
                    )
                    assert not (isinstance(call, ast.Call) and name == "Column"), (
                        f"{path}:{call.lineno} declares a column with Column(...) "
                        "(looked in every class of app/); use Mapped[...] = mapped_column(...)"
                    )


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_every_filtered_column_is_indexed(app: AppHandle) -> None:
    """users.email (unique), projects.owner_id, tasks.project_id and tasks.status are indexed."""
    schema = app.schema()
    for table, column in (
        ("users", "email"),
        ("projects", "owner_id"),
        ("tasks", "project_id"),
        ("tasks", "status"),
    ):
        assert table in schema and column in schema[table]["columns"], f"no {table}.{column}"
        assert column in _leading(schema, table), f"{table}.{column} has no index"
    unique = [i for i in schema["users"]["indexes"] if i["columns"] == ["email"] and i["unique"]]
    unique += [c for c in schema["users"]["unique_constraints"] if c == ["email"]]
    assert unique, "users.email is not unique"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_tasks_have_a_project_and_status_index(app: AppHandle) -> None:
    """__table_args__ adds one index on tasks (project_id, status), for "a project's open tasks"."""
    indexes = app.schema().get("tasks", {}).get("indexes", [])
    assert any(i["columns"] == ["project_id", "status"] for i in indexes), "no such index"


LENGTHS = {
    ("users", "email"): 255,
    ("users", "name"): 120,
    ("projects", "name"): 120,
    ("tasks", "title"): 200,
    ("tasks", "status"): 16,
}


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_columns_and_foreign_keys_follow_the_table(app: AppHandle) -> None:
    """The models' schema holds the README's table: string lengths (email 255, names 120,
    title 200, status 16), projects.owner_id -> users ON DELETE SET NULL and nullable,
    tasks.project_id -> projects ON DELETE CASCADE."""
    schema = app.schema()
    for (table, column), length in LENGTHS.items():
        kind = schema.get(table, {}).get("columns", {}).get(column, {}).get("type", "missing")
        assert f"({length})" in kind, f"{table}.{column} is {kind}, not a string of {length}"
    owner = schema["projects"]["columns"].get("owner_id", {})
    assert owner.get("nullable"), "projects.owner_id is not nullable"
    for table, column, parent, action in (
        ("projects", "owner_id", "users", "SET NULL"),
        ("tasks", "project_id", "projects", "CASCADE"),
    ):
        keys = [f for f in schema[table]["foreign_keys"] if f["columns"] == [column]]
        assert keys and keys[0]["table"] == parent, f"{table}.{column} is no key of {parent}"
        got = keys[0]["ondelete"]
        assert got == action, f"{table}.{column} says ON DELETE {got}, not {action}"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_deleting_a_project_deletes_its_tasks(client: Client) -> None:
    """The tasks relationship cascades: a deleted project takes its tasks with it."""
    project = _data(client.post("/api/v1/projects", json={"name": "p"}), 201)
    task = _data(
        client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "t"}), 201
    )
    assert client.delete(f"/api/v1/projects/{project['id']}").status_code == 204
    assert client.get(f"/api/v1/tasks/{task['id']}").status_code == 404, "the task survived"


@pytest.mark.task(2)
@pytest.mark.points(1)
def test_task_titles_are_unique_within_a_project(client: Client) -> None:
    """A unique (project_id, title) constraint: a repeated title in one project answers 409."""
    one = _data(client.post("/api/v1/projects", json={"name": "one"}), 201)
    two = _data(client.post("/api/v1/projects", json={"name": "two"}), 201)
    for project in (one, two):
        _data(client.post("/api/v1/tasks", json={"project_id": project["id"], "title": "a"}), 201)
    again = client.post("/api/v1/tasks", json={"project_id": one["id"], "title": "a"})
    assert again.status_code == 409, str(again)
