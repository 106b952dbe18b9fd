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
    CACHE_TYPE: str = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT: int = 60
    CACHE_REDIS_URL: str | None = None
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_DEFAULT: str = "300 per minute"
    RATELIMIT_HEADERS_ENABLED: bool = True
    LOGIN_LIMIT: str = "10 per minute"
    LOGIN_ACCOUNT_LIMIT: str = "5 per minute"
    REGISTER_LIMIT: str = "20 per hour"
    # No body bigger than 1 MiB is read, stored or cached: a larger one answers 413.
    MAX_CONTENT_LENGTH: int = 1024 * 1024
    MAIL_SERVER: str = "localhost"
    MAIL_PORT: int = 25
    MAIL_USE_TLS: bool = False
    MAIL_DEFAULT_SENDER: str = "Taskboard <noreply@taskboard.example>"


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
    REDIS_URL: str
    CACHE_TYPE: str = "RedisCache"
    CACHE_OPTIONS: dict[str, int] = {"socket_timeout": 2, "socket_connect_timeout": 2}
    RATELIMIT_STORAGE_OPTIONS: dict[str, int] = {"socket_timeout": 2, "max_connections": 50}
    # A brief Redis outage degrades to per-process counting instead of failing every request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED: bool = True

    @model_validator(mode="after")
    def use_redis(self) -> ProductionConfig:
        """One Redis for the cache and the limiter: counters shared across workers."""
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL
        return self

    SQLALCHEMY_DATABASE_URI: str = Field(
        validation_alias=AliasChoices("DATABASE_URL", "SQLALCHEMY_DATABASE_URI")
    )

    # TODO(task 2): Pool settings, validated, as engine options.


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
