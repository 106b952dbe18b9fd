"""Typed configuration: one pydantic-settings class per environment.

Values come from the environment or a ``.env`` file; nothing secret is written here.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from pydantic import AliasChoices, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConfigError(RuntimeError):
    """A setting is missing or invalid; the message names it."""


class BaseConfig(BaseSettings):
    """What every environment shares."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    APP_NAME: str = "Taskboard"
    # A fresh random key per app unless one is configured: sessions do not outlive a
    # restart in development, and no key ever sits in the source.
    SECRET_KEY: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)
    DEBUG: bool = False
    TESTING: bool = False
    DEFAULT_PAGE_SIZE: int = Field(default=20, ge=1, le=100)
    SQLALCHEMY_DATABASE_URI: str = Field(
        default="sqlite:///taskboard.sqlite3",
        validation_alias=AliasChoices("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
    )
    SQLALCHEMY_TRACK_MODIFICATIONS: bool = False
    JWT_SECRET_KEY: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)
    JWT_ACCESS_TOKEN_EXPIRES: timedelta = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES: timedelta = timedelta(days=14)
    JWT_TOKEN_LOCATION: list[str] = ["headers"]
    # Were tokens ever sent in cookies, only over HTTPS and never cross-site.
    JWT_COOKIE_SECURE: bool = True
    JWT_COOKIE_SAMESITE: str = "Strict"
    # Hashing is slow on purpose; only the test suite may trade that for speed.
    PASSWORD_HASH_METHOD: str = "scrypt"
    # TODO(task 1): Cache in-process (SimpleCache, 60 s) and count limits in memory by default; a default limit for every route, limit headers on, the stricter auth limits, and MAX_CONTENT_LENGTH of 1 MiB.


class DevelopmentConfig(BaseConfig):
    """Local development: debug on."""

    DEBUG: bool = True


class TestingConfig(BaseConfig):
    """The test suite: TESTING on, a private in-memory database per app, cheap hashes."""

    TESTING: bool = True
    PASSWORD_HASH_METHOD: str = "pbkdf2:sha256:1000"
    SQLALCHEMY_DATABASE_URI: str = Field(
        default="sqlite://",
        validation_alias=AliasChoices("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
    )


class ProductionConfig(BaseConfig):
    """Production: a real secret and a real database are required, debug stays off."""

    SECRET_KEY: str = Field(min_length=32)
    JWT_SECRET_KEY: str = Field(min_length=32)
    # TODO(task 1): Require REDIS_URL; use Redis for the cache and for the limit counters (shared by every process), with pool settings.
    SQLALCHEMY_DATABASE_URI: str = Field(
        validation_alias=AliasChoices("DATABASE_URL", "SQLALCHEMY_DATABASE_URI")
    )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str) -> dict[str, Any]:
    """The settings of environment ``name`` as a dict for ``app.config``."""
    if name not in CONFIGS:
        raise ValueError(f"unknown config {name!r}; choose one of {', '.join(sorted(CONFIGS))}")
    try:
        return CONFIGS[name]().model_dump()
    except ValidationError as exc:
        bad = ", ".join(sorted({str(error["loc"][0]) for error in exc.errors()}))
        raise ConfigError(
            f"{name} configuration is invalid: set {bad} in the environment or .env"
        ) from None
