"""Each stage's reference migrations upgrade and downgrade on SQLite and on real PostgreSQL.

PostgreSQL (127.0.0.1:5432, trust auth) must be reachable: an unreachable server fails these
tests, it does not skip them (`python3 run.py test` starts it when it is down).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import postgres_database

from workbook import catalog, workspace

STAGES = [s for s in catalog.load() if (s.solution_dir / "migrations").is_dir()]
LATEST = [max(STAGES, key=lambda s: s.number)] if STAGES else []


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with postgres_database() as url:
        yield url


def _flask(project: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x" * 40}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tables(url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _round_trip(project: Path, url: str) -> None:
    up = _flask(project, url, "db", "upgrade")
    assert up.returncode == 0, up.stderr[-2000:]
    assert {"users", "projects", "tasks"} <= _tables(url)
    check = _flask(project, url, "db", "check")
    assert check.returncode == 0, (check.stdout + check.stderr)[-2000:]
    down = _flask(project, url, "db", "downgrade", "base")
    assert down.returncode == 0, down.stderr[-2000:]
    assert _tables(url) == set()


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_reference_migrations_round_trip_on_postgresql(
    stage: catalog.Stage, tmp_path: Path, postgres_url: str
) -> None:
    project = workspace.reference(stage, tmp_path / "ref")
    _round_trip(project, postgres_url)


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_reference_migrations_round_trip_on_sqlite(stage: catalog.Stage, tmp_path: Path) -> None:
    project = workspace.reference(stage, tmp_path / "ref")
    _round_trip(project, f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.mark.parametrize("stage", LATEST, ids=lambda s: s.name)
def test_uuid_keys_are_native_on_postgresql(
    stage: catalog.Stage, tmp_path: Path, postgres_url: str
) -> None:
    project = workspace.reference(stage, tmp_path / "ref")
    assert _flask(project, postgres_url, "db", "upgrade").returncode == 0
    plain = postgres_url.replace("+psycopg", "")
    with psycopg.connect(plain) as conn:
        rows = conn.execute(
            "SELECT table_name, data_type FROM information_schema.columns "
            "WHERE column_name = 'id' AND table_schema = 'public'"
        ).fetchall()
    assert {table: kind for table, kind in rows if table != "alembic_version"} == {
        "users": "uuid",
        "projects": "uuid",
        "tasks": "uuid",
    }
