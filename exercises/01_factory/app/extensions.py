"""Extension singletons: created bare here, bound to each app by ``create_app``."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

Row = dict[str, Any]


class MemoryStore:
    """In-memory tables, one set per app, until stage 03 swaps in SQLAlchemy."""

    TABLES = ("users", "projects", "tasks")

    def init_app(self, app: Flask) -> None:
        """Give ``app`` its own empty tables in ``app.extensions["store"]``."""
        # TODO(task 2): Store a dict with one empty dict per name in TABLES under app.extensions["store"].
        raise NotImplementedError('TODO(task 2): Store a dict with one empty dict per name in TABLES under app.extensions["store"].')

    def table(self, name: str) -> dict[str, Row]:
        """The current app's table ``name``: rows by id."""
        tables: dict[str, dict[str, Row]] = current_app.extensions["store"]
        return tables[name]


store = MemoryStore()
