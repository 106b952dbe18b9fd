"""Shared fixtures: run the ``workbook`` CLI as a learner or instructor would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent


def full_marks(stage: str) -> float:
    """A stage's full marks: its reference sample's expected score (kept true by the demo)."""
    from grader import samples
    from workbook import catalog

    found = samples.load(catalog.find(stage))
    return next(sample.expected_score for sample in found if sample.name == "reference")


def graded_tests(stage: str) -> int:
    """How many tests a grading run of ``stage`` gives a result: suites 1..N, collected."""
    from grader import runner

    return len(runner.expected_tests(catalog_name(stage)))


def catalog_name(stage: str) -> str:
    """The stage's full name (``"01_factory"`` for ``"1"`` or ``"01_factory"``)."""
    from workbook import catalog

    return catalog.find(stage).name


Run = Callable[..., subprocess.CompletedProcess[str]]
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on the machine's PostgreSQL (its SQLAlchemy URL), dropped after.

    An unreachable server fails here, loudly: the kit's integration tests never skip it.
    """
    name = f"workbook_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment with a private progress folder and gradebook."""
    return {
        **os.environ,
        "WORKBOOK_HOME": str(tmp_path / "home"),
        "WORKBOOK_GRADEBOOK": str(tmp_path / "gradebook.sqlite"),
        "COLUMNS": "200",
    }


@pytest.fixture
def workbook(env: dict[str, str], tmp_path: Path) -> Run:
    """``workbook(*args, cwd=..., extra_env=...)``: the CLI in a subprocess."""

    def run(
        *args: str,
        cwd: Path | None = None,
        extra_env: dict[str, str] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "grader", *args],
            cwd=cwd or tmp_path,
            env={**env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Reference and skeleton projects of every stage, made once: ``<stage>/<kind>``."""
    base = tmp_path_factory.mktemp("projects")
    for stage in ("01_factory", "02_blueprints"):
        for kind, verb in (("reference", "solution"), ("skeleton", "start")):
            flag = "--out" if verb == "solution" else "--dir"
            subprocess.run(
                [sys.executable, "-m", "grader", verb, stage, flag, str(base / stage / kind)],
                check=True,
                capture_output=True,
            )
    return base


def copy_project(projects: Path, stage: str, kind: str, dest: Path) -> Path:
    """A fresh copy of a reference or skeleton project at ``dest``."""
    shutil.copytree(projects / stage / kind, dest)
    return dest


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the workbook's sources, for ``WORKBOOK_ROOT``."""
    dest = tmp_path / "kit"
    for name in ("solutions", "exercises", "notebooks", "samples"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def command_lines(mark: str | None = None) -> list[str]:
    """The command line of every process on the machine (the kit's tests run as root); with
    ``mark``, only of those whose command line or environment holds it (a test's own TMPDIR:
    other runs on the machine are not the test's business)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                if mark is None or mark in line or mark.encode() in (proc / "environ").read_bytes():
                    found.append(line)
            except OSError:
                continue
    return found
