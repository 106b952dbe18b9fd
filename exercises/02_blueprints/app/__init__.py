"""Taskboard: the application factory."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from app import auth, cli, errors, health, projects, tasks, users
from app.config import load_config
from app.extensions import store


def create_app(config_name: str = "development") -> Flask:
    """Build a new Taskboard app configured for ``config_name``."""
    app = Flask(__name__)
    app.config.from_mapping(load_config(config_name))
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_shell_context(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension singleton to this app."""
    store.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint under /api/v1."""
    app.register_blueprint(health.bp, url_prefix="/api/v1")
    # TODO(task 1): Register the auth, users, projects and tasks blueprints at /api/v1/<name>.


def register_error_handlers(app: Flask) -> None:
    """Answer every HTTP error in the JSON error envelope."""
    # TODO(task 5): Register errors.handle_http_error for HTTPException.


def register_shell_context(app: Flask) -> None:
    """Offer the extension singletons in ``flask shell``."""
    app.shell_context_processor(lambda: {"store": store})


def register_cli(app: Flask) -> None:
    """Add the custom ``flask`` commands."""
    app.cli.add_command(cli.show_config)
