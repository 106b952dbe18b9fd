"""Stage 09's in-worker inspections: Gunicorn's settings as Gunicorn reads them, the engine's
pool, and the project's own ruff and mypy run with its own ``pyproject.toml``."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

# Probe files the tools must flag: unused, unsorted imports (ruff), a wrong type and an
# untyped function (mypy), spacing the formatter rewrites (ruff format).
PROBE_NAME = "zz_grader_probe.py"
PROBE_FOLDERS = ("app", "migrations", "tests")
PROBE = """import sys
import os

count: int = "many"
spacing = {  'a':1 }


def probe(value):
    return value
"""
TOOL_SECONDS = 120
MAX_LINES = 200


@contextlib.contextmanager
def cpu_count(cpus: int | None) -> Iterator[None]:
    """Every way Python tells the CPU count says ``cpus`` inside the block."""
    if cpus is None:
        yield
        return
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(os, "cpu_count", lambda: cpus))
        stack.enter_context(mock.patch.object(multiprocessing, "cpu_count", lambda: cpus))
        stack.enter_context(
            mock.patch.object(os, "sched_getaffinity", lambda _pid: set(range(cpus)))
        )
        if hasattr(os, "process_cpu_count"):
            stack.enter_context(mock.patch.object(os, "process_cpu_count", lambda: cpus))
        yield


def gunicorn_settings(project: Path, cpus: int | None) -> dict[str, Any]:
    """Load ``gunicorn.conf.py`` as Gunicorn does (each known name set on a fresh Config)."""
    from gunicorn.config import Config

    path = project / "gunicorn.conf.py"
    if not path.is_file():
        raise FileNotFoundError("the project has no gunicorn.conf.py")
    cfg = Config()
    with cpu_count(cpus):
        namespace = runpy.run_path(str(path))
    for key, value in namespace.items():
        if key in cfg.settings:
            cfg.set(key.lower(), value)
    return {
        "workers": cfg.workers,
        "worker_class": str(cfg.worker_class_str),
        "bind": [str(b) for b in cfg.bind],
        "accesslog": cfg.accesslog,
        "graceful_timeout": cfg.graceful_timeout,
        "logconfig_dict": bool(cfg.logconfig_dict),
    }


def engine_pool(app: Any) -> dict[str, Any]:
    """The engine's dialect and pool options, read from the pool the engine made."""
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    pool = engine.pool
    size = getattr(pool, "size", None)
    return {
        "dialect": engine.dialect.name,
        "pool": type(pool).__name__,
        "size": size() if callable(size) else None,
        "max_overflow": getattr(pool, "_max_overflow", None),
        "recycle": getattr(pool, "_recycle", None),
        "pre_ping": bool(getattr(pool, "_pre_ping", False)),
    }


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    try:
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, timeout=TOOL_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return {"code": None, "lines": [f"did not finish within {TOOL_SECONDS} s"]}
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return {
        "code": done.returncode,
        "lines": [line[:300] for line in text.splitlines()][:MAX_LINES],
    }


def _tools(project: Path, scratch: Path, mypy_cache: Path) -> dict[str, Any]:
    """``ruff check``, ``ruff format --check`` and ``mypy`` with the project's pyproject.toml."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    ruff = [sys.executable, "-m", "ruff"]
    config = ["--config", "pyproject.toml", "--no-cache"]
    mypy = [sys.executable, "-m", "mypy", "--config-file", "pyproject.toml"]
    mypy += ["--cache-dir", str(mypy_cache), "--no-color-output"]
    return {
        "ruff": _run([*ruff, "check", *config, "--output-format", "concise", "."], project, env),
        "format": _run([*ruff, "format", "--check", *config, "."], project, env),
        "mypy": _run(mypy, project, env),
    }


def project_tools(
    project: Path, probes: bool = True, mypy_cache: Path | None = None
) -> dict[str, Any]:
    """The tools on a copy of the project as it is (``clean``) and, with ``probes``, with a
    probe file in each of app/, migrations/ and tests/ (``probed``): what they flag there
    shows what they check.

    ``mypy_cache``: mypy's incremental cache, kept between runs (the learner's own check:
    a warm run takes a fraction of a second, and mypy re-checks what changed). Grading never
    gives one: each run starts from an empty cache, so no cached verdict can be submitted."""
    if not (project / "pyproject.toml").is_file():
        raise FileNotFoundError("the project has no pyproject.toml")
    with tempfile.TemporaryDirectory(prefix="tools-") as folder:
        scratch = Path(folder)
        copy = scratch / "project"
        skip = shutil.ignore_patterns(".venv", "__pycache__", ".mypy_cache", ".ruff_cache")
        shutil.copytree(project, copy, symlinks=True, ignore=skip)
        cache = mypy_cache or scratch / "mypy-cache"
        clean = _tools(copy, scratch, cache)
        if not probes:
            return {"clean": clean, "probed": None, "probe": PROBE_NAME}
        for name in PROBE_FOLDERS:
            if (copy / name).is_dir():
                (copy / name / PROBE_NAME).write_text(PROBE, encoding="utf-8")
        probed = _tools(copy, scratch, cache)
    return {"clean": clean, "probed": probed, "probe": PROBE_NAME}
