"""Typed configuration: one pydantic-settings class per environment.

Values come from the environment or a ``.env`` file; nothing secret is written here.
"""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names it."""


class BaseConfig(BaseSettings):
    """What every environment shares."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    # TODO(task 1): Declare APP_NAME, SECRET_KEY (random unless set), DEBUG, TESTING and DEFAULT_PAGE_SIZE (1..100) with types.


class DevelopmentConfig(BaseConfig):
    """Local development: debug on."""

    # TODO(task 1): Turn DEBUG on.


class TestingConfig(BaseConfig):
    """The test suite: TESTING on, so errors propagate to the test client."""

    # TODO(task 1): Turn TESTING on.


class ProductionConfig(BaseConfig):
    """Production: a real secret is required, debug stays off."""

    # TODO(task 1): Make SECRET_KEY required (no default) and at least 32 characters long.


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str) -> dict[str, Any]:
    """The settings of environment ``name`` as a dict for ``app.config``."""
    # TODO(task 1): Pick the class from CONFIGS (ValueError for an unknown name), build it, and turn a ValidationError into a ConfigError naming the bad settings.
    raise NotImplementedError('TODO(task 1): Pick the class from CONFIGS (ValueError for an unknown name), build it, and turn a ValidationError into a ConfigError naming the bad settings.')
