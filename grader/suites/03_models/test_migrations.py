"""Stage 03, task 4: Flask-Migrate migrations that build the schema and undo it."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from workbook.client import AppFactory, AppHandle, Source

TABLES = {"users", "projects", "tasks"}


def _is_empty(statement: ast.stmt) -> bool:
    """``pass``, ``...`` or a docstring: a statement that does nothing."""
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _migrated(make_app: AppFactory) -> AppHandle:
    url = make_app.temp_database()
    app = make_app("testing", env={"DATABASE_URL": url}, dotenv="", tables=False)
    result = app.cli("db", "upgrade")
    assert result.exit_code == 0, str(result)
    return app


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_upgrade_builds_exactly_the_models_schema(make_app: AppFactory) -> None:
    """`flask db upgrade` must build the models' schema: `flask db check` then finds nothing,
    and every column has the type (its length too, which db check overlooks) and nullability
    the models give it."""
    app = _migrated(make_app)
    migrated = app.schema()
    assert TABLES <= set(migrated), "upgrade does not create users, projects and tasks"
    check = app.cli("db", "check")
    assert check.exit_code == 0, "the migrations and the models differ (flask db check)"
    modelled = make_app("testing", env={"DATABASE_URL": None}, dotenv="").schema()
    for table in sorted(TABLES):
        for column, wanted in modelled[table]["columns"].items():
            got = migrated[table]["columns"].get(column)
            assert got == wanted, (
                f"{table}.{column} is {got} after upgrade; the model says {wanted}"
            )
        keys, wanted_keys = (_keys(s[table]) for s in (migrated, modelled))
        assert keys == wanted_keys, (
            f"{table}'s foreign keys are {keys} after upgrade; the models say {wanted_keys}"
        )


def _keys(table: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """A table's foreign keys as (columns, referred table, ON DELETE), sorted."""
    return sorted(
        (",".join(f["columns"]), f["table"], f["ondelete"]) for f in table["foreign_keys"]
    )


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_downgrade_to_base_leaves_no_table(make_app: AppFactory) -> None:
    """`flask db downgrade base` must undo every migration: no table but alembic_version."""
    app = _migrated(make_app)
    result = app.cli("db", "downgrade", "base")
    assert result.exit_code == 0, str(result)
    left = set(app.schema()) - {"alembic_version"}
    assert not left, f"{sorted(left)[0]!r} is still there after downgrade base"


@pytest.mark.task(4)
@pytest.mark.points(1)
def test_every_migration_has_a_real_downgrade(make_app: AppFactory, source: Source) -> None:
    """Each file in migrations/versions has a downgrade() that does something, not `pass`."""
    _migrated(make_app)
    files = source.glob("migrations/versions/*.py")
    assert files, "no migration in migrations/versions"
    for path in files:
        functions = {n.name: n for n in source.tree(path).body if isinstance(n, ast.FunctionDef)}
        assert "downgrade" in functions, f"{path} has no downgrade()"
        body = [s for s in functions["downgrade"].body if not _is_empty(s)]
        assert body, f"{path} has an empty downgrade()"
