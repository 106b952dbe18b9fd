"""Taskboard: the application factory."""

from __future__ import annotations

from flask import Flask
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from app import auth, cli, errors, health, models, projects, tasks, users
from app.auth import tokens  # noqa: F401  (registers the JWT callbacks on jwt)
from app.config import load_config
from app.exceptions import DomainError
from app.extensions import cache, db, jwt, limiter, mail, migrate
from app.log import configure_logging
from app.middleware import register_middleware


def create_app(config_name: str = "development") -> Flask:
    """Build a new Taskboard app configured for ``config_name``."""
    # BEGIN SOLUTION (task 3): No static route in production; ProxyFix for Nginx.
    production = config_name == "production"
    app = Flask(__name__, static_folder=None if production else "static")
    if production:
        # Nginx sets X-Forwarded-For and -Proto: trust exactly one proxy's word for them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    # SKELETON
    # app = Flask(__name__)
    # END SOLUTION
    app.config.from_mapping(load_config(config_name))
    configure_logging(app)
    register_extensions(app)
    register_middleware(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_shell_context(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension singleton to this app."""
    db.init_app(app)
    migrate.init_app(app, db)
    jwt.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint under /api/v1."""
    app.register_blueprint(health.bp, url_prefix="/api/v1")
    app.register_blueprint(auth.bp, url_prefix="/api/v1/auth")
    app.register_blueprint(users.bp, url_prefix="/api/v1/users")
    app.register_blueprint(projects.bp, url_prefix="/api/v1/projects")
    app.register_blueprint(tasks.bp, url_prefix="/api/v1/tasks")


def register_error_handlers(app: Flask) -> None:
    """Answer every error, expected or not, in the JSON error envelope."""
    app.register_error_handler(HTTPException, errors.handle_http_error)
    app.register_error_handler(ValidationError, errors.handle_validation_error)
    app.register_error_handler(DomainError, errors.handle_domain_error)
    app.register_error_handler(Exception, errors.handle_unexpected_error)


def register_shell_context(app: Flask) -> None:
    """Offer the database and the models in ``flask shell``."""
    app.shell_context_processor(
        lambda: {"db": db, "User": models.User, "Project": models.Project, "Task": models.Task}
    )


def register_cli(app: Flask) -> None:
    """Add the custom ``flask`` commands."""
    app.cli.add_command(cli.show_config)
