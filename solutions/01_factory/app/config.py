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

    # BEGIN SOLUTION (task 1): Declare APP_NAME, SECRET_KEY (random unless set), DEBUG, TESTING and DEFAULT_PAGE_SIZE (1..100) with types.
    APP_NAME: str = "Taskboard"
    # A fresh random key per app unless one is configured: sessions do not outlive a
    # restart in development, and no key ever sits in the source.
    SECRET_KEY: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)
    DEBUG: bool = False
    TESTING: bool = False
    DEFAULT_PAGE_SIZE: int = Field(default=20, ge=1, le=100)
    # END SOLUTION


class DevelopmentConfig(BaseConfig):
    """Local development: debug on."""

    # BEGIN SOLUTION (task 1): Turn DEBUG on.
    DEBUG: bool = True
    # END SOLUTION


class TestingConfig(BaseConfig):
    """The test suite: TESTING on, so errors propagate to the test client."""

    # BEGIN SOLUTION (task 1): Turn TESTING on.
    TESTING: bool = True
    # END SOLUTION


class ProductionConfig(BaseConfig):
    """Production: a real secret is required, debug stays off."""

    # BEGIN SOLUTION (task 1): Make SECRET_KEY required (no default) and at least 32 characters long.
    SECRET_KEY: str = Field(min_length=32)
    # END SOLUTION


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str) -> dict[str, Any]:
    """The settings of environment ``name`` as a dict for ``app.config``."""
    # BEGIN SOLUTION (task 1): Pick the class from CONFIGS (ValueError for an unknown name), build it, and turn a ValidationError into a ConfigError naming the bad settings.
    if name not in CONFIGS:
        raise ValueError(f"unknown config {name!r}; choose one of {', '.join(sorted(CONFIGS))}")
    try:
        return CONFIGS[name]().model_dump()
    except ValidationError as exc:
        bad = ", ".join(sorted({str(error["loc"][0]) for error in exc.errors()}))
        raise ConfigError(
            f"{name} configuration is invalid: set {bad} in the environment or .env"
        ) from None
    # END SOLUTION
