"""Taskboard: the application factory."""

from __future__ import annotations

from flask import Flask

from app import cli, health
from app.config import load_config
from app.extensions import store


def create_app(config_name: str = "development") -> Flask:
    """Build a new Taskboard app configured for ``config_name``."""
    # BEGIN SOLUTION (task 3): Create the Flask app, load load_config(config_name) into app.config, run the five register_* steps, return the app.
    app = Flask(__name__)
    app.config.from_mapping(load_config(config_name))
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_shell_context(app)
    register_cli(app)
    return app
    # END SOLUTION


def register_extensions(app: Flask) -> None:
    """Bind every extension singleton to this app."""
    # BEGIN SOLUTION (task 2): Call init_app(app) on each singleton of app/extensions.py.
    store.init_app(app)
    # END SOLUTION


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint under /api/v1."""
    app.register_blueprint(health.bp, url_prefix="/api/v1")


def register_error_handlers(app: Flask) -> None:
    """Stage 02 adds JSON error handlers here."""


def register_shell_context(app: Flask) -> None:
    """Offer the extension singletons in ``flask shell``."""
    # BEGIN SOLUTION (task 4): Register a shell context processor that offers the store.
    app.shell_context_processor(lambda: {"store": store})
    # END SOLUTION


def register_cli(app: Flask) -> None:
    """Add the custom ``flask`` commands."""
    # BEGIN SOLUTION (task 4): Add the show-config command from app/cli.py to app.cli.
    app.cli.add_command(cli.show_config)
    # END SOLUTION
