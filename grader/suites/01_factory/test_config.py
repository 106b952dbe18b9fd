"""Stage 01, task 1: typed configuration with pydantic-settings."""

from __future__ import annotations

import ast
import secrets

import pytest

from workbook.client import PRODUCTION_ENV, AppFactory, AppHandle, Source
from workbook.transport import LearnerError


def _new_secret() -> str:
    return secrets.token_urlsafe(36)


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_testing_config_turns_testing_on_and_debug_off(app: AppHandle) -> None:
    """create_app("testing") must load TestingConfig: TESTING = True and DEBUG = False."""
    config = app.config("TESTING", "DEBUG")
    assert config.get("TESTING") is True, f"TESTING is {config.get('TESTING')!r}"
    assert config.get("DEBUG") is False, f"DEBUG is {config.get('DEBUG')!r}"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_development_config_turns_debug_on(make_app: AppFactory) -> None:
    """create_app("development") must load DevelopmentConfig: DEBUG = True, TESTING = False."""
    config = make_app("development", dotenv="").config("TESTING", "DEBUG")
    assert config.get("DEBUG") is True, f"DEBUG is {config.get('DEBUG')!r}"
    assert config.get("TESTING") is False, f"TESTING is {config.get('TESTING')!r}"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_production_refuses_to_start_without_secret_key(make_app: AppFactory) -> None:
    """Production must refuse to start without SECRET_KEY, with an error that names SECRET_KEY."""
    with pytest.raises(LearnerError) as caught:
        make_app("production", env={"SECRET_KEY": None}, dotenv="")
    assert not caught.value.is_a("NotImplementedError"), "create_app is not written yet"
    assert "SECRET_KEY" in str(caught.value), "the error does not name SECRET_KEY"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_production_refuses_a_short_secret_key(make_app: AppFactory) -> None:
    """Production must refuse a SECRET_KEY shorter than 32 characters (validated settings):
    31 characters are refused, 32 are fine."""
    with pytest.raises(LearnerError) as caught:
        make_app("production", env={"SECRET_KEY": "too-short"}, dotenv="")
    assert not caught.value.is_a("NotImplementedError"), "create_app is not written yet"
    assert "SECRET_KEY" in str(caught.value), "the error does not name SECRET_KEY"
    with pytest.raises(LearnerError):
        make_app("production", env={**PRODUCTION_ENV, "SECRET_KEY": "k" * 31}, dotenv="")
    make_app("production", env={**PRODUCTION_ENV, "SECRET_KEY": "k" * 32}, dotenv="")


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_production_reads_secret_key_from_environment(make_app: AppFactory) -> None:
    """Production must take SECRET_KEY from the environment and keep DEBUG and TESTING off."""
    secret = _new_secret()
    config = make_app("production", env={**PRODUCTION_ENV, "SECRET_KEY": secret}, dotenv="")
    config = config.config()
    assert config.get("SECRET_KEY") == secret, "SECRET_KEY is not the environment's value"
    assert config.get("DEBUG") is False and config.get("TESTING") is False, "DEBUG/TESTING on"


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_secret_key_is_read_from_dotenv_file(make_app: AppFactory) -> None:
    """Settings must also come from a .env file in the working folder (python-dotenv)."""
    secret = _new_secret()
    settings = {**PRODUCTION_ENV, "SECRET_KEY": secret}
    dotenv = "".join(f"{key}={value}\n" for key, value in settings.items())
    app = make_app("production", env={"SECRET_KEY": None}, dotenv=dotenv)
    assert app.config("SECRET_KEY").get("SECRET_KEY") == secret, "SECRET_KEY not read from .env"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_settings_are_typed_validated_and_defaulted(make_app: AppFactory) -> None:
    """The settings table holds: APP_NAME defaults to "Taskboard" and DEFAULT_PAGE_SIZE to 20;
    DEFAULT_PAGE_SIZE arrives as an int, 1 and 100 are fine, 0, 101 and "many" are refused;
    a SECRET_KEY needs at least 16 characters (15 are refused, naming SECRET_KEY)."""
    defaults = make_app("testing", dotenv="").config("APP_NAME", "DEFAULT_PAGE_SIZE")
    assert defaults.get("APP_NAME") == "Taskboard", f"APP_NAME is {defaults.get('APP_NAME')!r}"
    assert defaults.get("DEFAULT_PAGE_SIZE") == 20, (
        f"DEFAULT_PAGE_SIZE defaults to {defaults.get('DEFAULT_PAGE_SIZE')!r}, not 20"
    )
    for good in ("50", "1", "100"):
        app = make_app("testing", env={"DEFAULT_PAGE_SIZE": good}, dotenv="")
        got = app.config("DEFAULT_PAGE_SIZE").get("DEFAULT_PAGE_SIZE")
        assert got == int(good), f"DEFAULT_PAGE_SIZE={good} gives {got!r}, not the int {good}"
    for bad in ("0", "101", "many"):
        with pytest.raises(LearnerError):
            make_app("testing", env={"DEFAULT_PAGE_SIZE": bad}, dotenv="")
    make_app("testing", env={"SECRET_KEY": "k" * 16}, dotenv="")
    with pytest.raises(LearnerError) as caught:
        make_app("testing", env={"SECRET_KEY": "k" * 15}, dotenv="")
    assert "SECRET_KEY" in str(caught.value), "a 15-character SECRET_KEY is not refused by name"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_invalid_settings_raise_config_error_naming_each_one(make_app: AppFactory) -> None:
    """Invalid settings must raise ConfigError (not the library's own error), and its message
    must name each bad setting: a short SECRET_KEY and DEFAULT_PAGE_SIZE=0 at once, both named."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": "k" * 20, "DEFAULT_PAGE_SIZE": "0"}
    with pytest.raises(LearnerError) as caught:
        make_app("production", env=env, dotenv="")
    assert not caught.value.is_a("NotImplementedError"), "create_app is not written yet"
    assert caught.value.is_a("ConfigError"), (
        f"invalid settings raised {caught.value.info['type']!r}, not ConfigError"
    )
    unnamed = [
        name for name in ("SECRET_KEY", "DEFAULT_PAGE_SIZE") if name not in str(caught.value)
    ]
    assert not unnamed, f"with two bad settings, the ConfigError does not name {unnamed[0]}"


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_unknown_config_name_is_refused_with_value_error(make_app: AppFactory) -> None:
    """create_app("staging") must raise ValueError: an unknown config name is a caller's mistake."""
    with pytest.raises(LearnerError) as caught:
        make_app("staging", dotenv="")
    assert caught.value.is_a("ValueError"), f"got {caught.value.info['type']!r}"


def _hard_coded_secrets(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        target = value = None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        name = getattr(target, "id", "")
        if "SECRET" in name.upper() and value is not None:
            literals = [n for n in ast.walk(value) if isinstance(n, ast.Constant)]
            found += [name for n in literals if isinstance(n.value, str) and n.value.strip()]
    return found


@pytest.mark.task(1)
@pytest.mark.points(1)
def test_no_secret_is_hard_coded(make_app: AppFactory, source: Source) -> None:
    """No secret may be written in app/config.py; development makes a random one instead."""
    key = make_app("development", env={"SECRET_KEY": None}, dotenv="").config("SECRET_KEY")
    assert len(str(key.get("SECRET_KEY") or "")) >= 16, "development has no usable SECRET_KEY"
    found = _hard_coded_secrets(source.tree("app/config.py"))
    assert not found, f"a string is assigned to {found[0]} in app/config.py"
