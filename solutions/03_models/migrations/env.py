"""Alembic's environment for Flask-Migrate: the app's engine and metadata, typed."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app
from sqlalchemy import Engine, MetaData

# The Alembic Config object: the values of alembic.ini.
config = context.config

# Set up the loggers alembic.ini describes.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")


def get_engine() -> Engine:
    """The engine of the app Flask-Migrate was given."""
    engine: Engine = current_app.extensions["migrate"].db.engine
    return engine


def get_engine_url() -> str:
    """The engine's URL, password included, escaped for the ini parser."""
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db


def get_metadata() -> MetaData:
    """The models' metadata, for autogenerate."""
    found = target_db.metadatas[None] if hasattr(target_db, "metadatas") else target_db.metadata
    metadata: MetaData = found
    return metadata


def run_migrations_offline() -> None:
    """Write the migrations as SQL for a URL, without connecting."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def process_revision_directives(_context: Any, _revision: Any, directives: list[Any]) -> None:
    """Write no empty revision when autogenerate finds no change in the schema."""
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def run_migrations_online() -> None:
    """Run the migrations on a connection of the app's engine."""
    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with get_engine().connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
