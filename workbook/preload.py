"""What a warm process imports before it forks workers: every library a stage's app or
checks use, and never the learner's code.

The grading fork server (:mod:`workbook.zygote`) and ``workbook watch`` both warm up with it,
so each forked child starts with the libraries loaded and imports only the learner's modules,
fresh every time.
"""

from __future__ import annotations

import contextlib
import gc
import importlib

from workbook.shortcuts import flask_cli

PRELOAD = (
    "flask",
    "flask_sqlalchemy",
    "sqlalchemy",
    "flask_migrate",
    "alembic",
    "marshmallow",
    "flask_jwt_extended",
    "pydantic_settings",
    "dotenv",
    "flask_caching",
    "flask_limiter",
    "pythonjsonlogger",
    "werkzeug.security",
    "workbook.apphost",
    # What the first tests of every worker would otherwise import: the SQLite driver and
    # dialect, the test client and runner, logging's configuration modules, and what
    # Flask-Migrate and Flask-SQLAlchemy import when an app takes them.
    "sqlite3",
    "sqlalchemy.dialects.sqlite",
    "flask.testing",
    "click.testing",
    "logging.config",
    "logging.handlers",
    "encodings.idna",
    "flask_migrate.cli",
    "flask_sqlalchemy.cli",
    # What a project's own test suite (stage 08) imports when it runs in a worker.
    "flask_mail",
    "pytest",
    "factory",
    "unittest.mock",
)


def warm_up() -> None:
    """Import :data:`PRELOAD` (what is missing is skipped) and the ``flask`` commands, then
    freeze what is loaded out of the collector's sight: a child's collections skip it, and
    its pages stay shared with this process instead of being copied."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        flask_cli()  # and the ``flask`` commands of installed packages
    gc.collect()
    gc.freeze()
