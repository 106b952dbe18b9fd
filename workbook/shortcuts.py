"""Shortcuts that make a grading run cheaper without changing what the learner's app does.

A grading run builds a fresh app for almost every test, so what an app costs to build is paid
dozens of times per submission. Each shortcut here skips work whose result is already known
and gives the app exactly what it would have had; each applies only where that is certain,
and anything it cannot vouch for takes the ordinary path. They run in the process that hosts
the learner's app (the worker, or ``workbook check``), installed before the app is imported.
``WORKBOOK_SHORTCUTS=off`` turns them all off, to compare.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

# Password hashing is slow on purpose; grading a test suite that registers users does not
# need that strength. The hash strings and their checks are unchanged, only the work factor
# behind them is smaller.
SCRYPT_MAX_N = 16
PBKDF2_MAX_ITERATIONS = 10

# Werkzeug compiles two URL-building functions (Python source, through ``ast`` and
# ``compile``) for every rule of every app: about half of what ``create_app()`` costs. They
# depend only on the rule's text and its parsed parts, and take the rule as an argument, so
# one compiled pair serves every app with the same rule. Rules with defaults are compiled
# as usual.
MAX_CACHED_BUILDERS = 4096

# Schemas of in-memory SQLite databases kept for copying: (metadata, fingerprint, image).
MAX_SCHEMAS = 16
_schemas: list[tuple[Any, tuple[Any, ...], bytes]] = []


def enabled() -> bool:
    """Whether the shortcuts are on (``WORKBOOK_SHORTCUTS=off`` turns them off)."""
    return os.environ.get("WORKBOOK_SHORTCUTS", "on") != "off"


def install() -> None:
    """Install the process-wide shortcuts, when they are on (idempotent)."""
    if enabled():
        fast_password_hashing()
        shared_url_builders()


def fast_password_hashing() -> None:
    """Cap the work factor of ``hashlib.scrypt`` and ``hashlib.pbkdf2_hmac`` in this process."""
    import hashlib

    if getattr(hashlib.scrypt, "workbook_capped", False):
        return
    scrypt, pbkdf2 = hashlib.scrypt, hashlib.pbkdf2_hmac

    def capped_scrypt(password: bytes, *, salt: bytes, n: int, r: int, p: int, **kw: Any) -> bytes:
        return scrypt(password, salt=salt, n=min(n, SCRYPT_MAX_N), r=r, p=p, **kw)

    def capped_pbkdf2(name: str, password: bytes, salt: bytes, iterations: int, *a: Any) -> bytes:
        return pbkdf2(name, password, salt, min(iterations, PBKDF2_MAX_ITERATIONS), *a)

    capped_scrypt.workbook_capped = True  # type: ignore[attr-defined]
    hashlib.scrypt = capped_scrypt  # type: ignore[assignment]
    hashlib.pbkdf2_hmac = capped_pbkdf2  # type: ignore[assignment]


def shared_url_builders() -> None:
    """Compile each distinct Werkzeug URL builder once in this process."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "workbook_shared", False):
        return
    builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        if self.defaults:
            return compile_builder(self, append_unknown)
        key = (self.rule, tuple(self._trace), append_unknown)
        builder = builders.get(key)
        if builder is None:
            builder = compile_builder(self, append_unknown)
            if len(builders) < MAX_CACHED_BUILDERS:
                builders[key] = builder
        return builder

    shared.workbook_shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = shared  # type: ignore[method-assign]


def flask_cli() -> Any:
    """The ``flask`` command group to run an app's command with: one for every app, since
    building it loads the commands installed packages add (``flask db``, ``flask limiter``),
    scanning every distribution; a new one each time when the shortcuts are off."""
    from flask.cli import FlaskGroup

    return _shared_flask_cli() if enabled() else FlaskGroup()


@functools.cache
def _shared_flask_cli() -> Any:
    from flask.cli import FlaskGroup

    group = FlaskGroup()
    group._load_plugin_commands()
    return group


def create_all(app: Any) -> None:
    """``db.create_all()`` for ``app``; an in-memory SQLite database gets a copy of the
    schema the first app with the same models got, instead of running the DDL again."""
    extension = app.extensions["sqlalchemy"]
    with app.app_context():
        target = _copy_target(extension) if enabled() else None
        if target is None:
            extension.create_all()
            return
        engine, metadata, fingerprint = target
        image = next((i for m, f, i in _schemas if m is metadata and f == fingerprint), None)
        with _driver_connection(engine) as connection:
            if connection is None or _has_tables(connection):
                extension.create_all()
            elif image is not None:
                connection.deserialize(image)
            else:
                extension.create_all()
                if len(_schemas) < MAX_SCHEMAS:
                    _schemas.append((metadata, fingerprint, connection.serialize()))


def _copy_target(extension: Any) -> tuple[Any, Any, tuple[Any, ...]] | None:
    """The engine, metadata and fingerprint of an app whose schema may be copied; ``None``
    for anything else, a learner's own object under ``extensions["sqlalchemy"]`` included."""
    try:
        if set(extension.engines) != {None} or set(extension.metadatas) != {None}:
            return None
        engine, metadata = extension.engines[None], extension.metadatas[None]
        if not _copyable(engine, metadata):
            return None
        return engine, metadata, _fingerprint(metadata)
    except Exception:  # noqa: BLE001 - not Flask-SQLAlchemy as we know it: the ordinary path
        return None


def _copyable(engine: Any, metadata: Any) -> bool:
    """Whether ``engine`` is an in-memory SQLite database on a single connection and nothing
    listens to the DDL ``metadata`` would run on it."""
    from sqlalchemy.pool import StaticPool

    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:"):
        return False
    if url.query or not isinstance(engine.pool, StaticPool):
        return False
    watched = [engine.dispatch.before_cursor_execute, engine.dispatch.after_cursor_execute]
    watched += [engine.dispatch.before_execute, engine.dispatch.after_execute]
    for target in [metadata, *metadata.tables.values()]:
        watched += [target.dispatch.before_create, target.dispatch.after_create]
    return not any(watched)


def _fingerprint(metadata: Any) -> tuple[Any, ...]:
    """What the DDL of ``metadata`` depends on, cheaply: its tables, columns and indexes."""
    return tuple(
        (name, tuple(table.c.keys()), len(table.indexes), len(table.constraints))
        for name, table in sorted(metadata.tables.items())
    )


@contextlib.contextmanager
def _driver_connection(engine: Any) -> Iterator[sqlite3.Connection | None]:
    """The engine's single DB-API connection (``None`` if it is not ``sqlite3``)."""
    proxy = engine.raw_connection()
    try:
        connection = getattr(proxy, "driver_connection", None)
        yield connection if isinstance(connection, sqlite3.Connection) else None
    finally:
        proxy.close()


def _has_tables(connection: sqlite3.Connection) -> bool:
    """Whether the app already created something (its own ``create_all()``, say)."""
    return bool(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
