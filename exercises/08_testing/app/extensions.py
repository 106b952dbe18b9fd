"""Extension singletons: created bare here, bound to each app by ``create_app``."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask_caching import Cache
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The declarative base every model inherits (SQLAlchemy 2.0 typed style)."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


jwt = JWTManager()
cache = Cache()
# Keyed by client address; the limits themselves come from the config (RATELIMIT_*).
limiter = Limiter(get_remote_address)
# The one external call: tests patch it (Flask-Mail sends nothing while TESTING is on).
mail = Mail()


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked, per connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
