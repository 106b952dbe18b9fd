"""Spot attempts to tamper with grading, for the instructor's report.

Nothing here changes a score: the sandbox and the trusted process already make these tricks
useless. This module only reads a submission (never runs it) and names what it tried, so an
instructor can tell an honest zero from an attack. Each flag is one short sentence.
"""

from __future__ import annotations

import ast
import json
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from grader.submission import SubmissionError, check_central_directory

STARTUP_HOOKS = ("sitecustomize.py", "usercustomize.py")
PYTEST_CONFIG = ("conftest.py", "pytest.ini", "tox.ini", "setup.cfg", "pyproject.toml")
PYTEST_TRICKS = re.compile(
    r"addopts|pytest_(runtest|collection|configure|sessionfinish|report)|TestReport"
)
# Modules an app has no business importing: they reach the grader, pytest or the machine.
SUSPECT_IMPORTS = {
    "grader",
    "workbook",
    "authoring",
    "_pytest",
    "pytest",
    "ctypes",
    "multiprocessing",
    "subprocess",
    "socket",
    "atexit",
    "builtins",
    "gc",
    "pty",
    "resource",
    "signal",
}
SUSPECT_CALLS = {
    "os._exit",
    "os.fork",
    "os.forkpty",
    "os.setsid",
    "os.kill",
    "os.killpg",
    "os.system",
    "os.popen",
    "os.execv",
    "os.execvp",
    "os.symlink",
    "sys.settrace",
    "sys.setprofile",
    "sys.exit",
}
SUSPECT_TEXT = re.compile(
    r"results\.jsonl|grader/suites|/proc/|\.\./\.\.|^/(?:tmp|etc|root|home|var|usr|work|dev|srv|opt|mnt|media|sys)/"
)
NOTEBOOK_CALLS = {"setup", "check_task"}
SHADOWED = set(sys.stdlib_module_names) | {
    "pytest",
    "_pytest",
    "flask",
    "werkzeug",
    "sqlalchemy",
    "marshmallow",
    "grader",
    "workbook",
    "authoring",
}


def scan_source(source: Path) -> list[str]:
    """What the submission as handed in holds that copying leaves out or refuses."""
    if source.is_symlink():
        return [f"a symbolic link {source.name} -> {os.readlink(source)} (never followed)"]
    if source.is_file():
        if source.suffix == ".ipynb":
            return notebook_flags(source)
        return list(_zip_flags(source)) if source.suffix.lower() == ".zip" else []
    flags = []
    for folder, dirs, files in os.walk(source):
        for name in dirs + files:
            path = Path(folder) / name
            relative = path.relative_to(source).as_posix()
            if path.is_symlink():
                flags.append(f"a symbolic link {relative} -> {os.readlink(path)} (left out)")
            elif name.endswith((".pyc", ".pyo")):
                flags.append(f"compiled Python {relative} (left out; the source is graded)")
    return flags + _folder_notebook_flags(source)


def _folder_notebook_flags(source: Path) -> list[str]:
    """The flags of the one notebook a folder submission is (nbgrader's layout), if it is."""
    notebooks = [*source.glob("*.ipynb"), *source.glob("*/*.ipynb")]
    if (source / "app").is_dir() or len(notebooks) != 1 or notebooks[0].is_symlink():
        return []
    return notebook_flags(notebooks[0]) if notebooks[0].is_file() else []


def _kit_call(node: ast.stmt) -> bool:
    """A statement a stage notebook's own setup and test cells hold."""
    if isinstance(node, ast.ImportFrom):
        return node.module == "workbook.notebook"
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in NOTEBOOK_CALLS
        and all(isinstance(arg, ast.Constant) for arg in node.value.args)
    )


def notebook_flags(notebook: Path) -> list[str]:
    """Code cells of a notebook that are neither file cells nor the kit's own calls: they
    never run when grading, so whatever they do (patch the kit, pytest, builtins) is moot."""
    try:
        cells = json.loads(notebook.read_bytes().decode("utf-8")).get("cells", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return []
    odd = []
    for number, cell in enumerate(cells if isinstance(cells, list) else [], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        if text.lstrip().startswith("%%writefile"):
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError):
            odd.append(number)
            continue
        if not all(_kit_call(node) for node in tree.body):
            odd.append(number)
    if not odd:
        return []
    shown = ", ".join(map(str, odd[:5])) + (" ..." if len(odd) > 5 else "")
    return [f"notebook cell(s) {shown} run code of their own (never run when grading)"]


def _zip_flags(archive: Path) -> Iterator[str]:
    try:
        check_central_directory(archive)
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = PurePosixPath(info.filename.replace("\\", "/"))
                if name.is_absolute() or ".." in name.parts:
                    yield f"a zip entry {info.filename} that points outside the submission"
                elif stat.S_ISLNK(info.external_attr >> 16):
                    yield f"a zip entry {info.filename} that is a symbolic link"
                elif info.file_size > 100 * max(info.compress_size, 1) > 10**6:
                    yield f"a zip entry {info.filename} that inflates {info.file_size} bytes"
    except (zipfile.BadZipFile, OSError, EOFError, SubmissionError):
        return


def scan_project(project: Path) -> list[str]:
    """Files and code in the copied project that only make sense as an attack."""
    flags = []
    for path in sorted(project.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(project)
        flags.extend(_file_flags(path, relative))
    return flags


def _file_flags(path: Path, relative: Path) -> list[str]:
    name, shown = relative.name, relative.as_posix()
    flags = []
    if name in STARTUP_HOOKS or name.endswith(".pth"):
        flags.append(f"{shown}: an interpreter start-up hook (never loaded)")
    text = path.read_bytes().decode("utf-8", errors="replace")
    # The project's own suite (stage 08) loads tests/conftest.py, in its own sandbox only.
    if name in PYTEST_CONFIG and "tests" not in relative.parts and PYTEST_TRICKS.search(text):
        flags.append(f"{shown}: pytest configuration or hooks (never loaded)")
    top = relative.parts[0].removesuffix(".py")
    if top in SHADOWED and (len(relative.parts) > 1 or name.endswith(".py")):
        flags.append(f"{shown}: shadows the module {top}")
    if name.endswith(".py") and name != "conftest.py" and "tests" not in relative.parts:
        flags.extend(f"{shown}: {what}" for what in _code_flags(text))
    return flags


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _code_flags(text: str) -> list[str]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: set[str] = set()
    modules = {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(
                f"patches {_dotted(t)}"
                for t in targets
                if isinstance(t, ast.Attribute) and _dotted(t).split(".")[0] in modules
            )
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names.append(getattr(node, "module", None) or "")
            found.update(f"imports {n}" for n in names if n and n.split(".")[0] in SUSPECT_IMPORTS)
        elif isinstance(node, ast.Call) and _dotted(node.func) in SUSPECT_CALLS:
            found.add(f"calls {_dotted(node.func)}")
        elif isinstance(node, ast.Subscript) and _dotted(node.value) == "sys.modules":
            found.add("rewrites sys.modules")
        elif isinstance(node, ast.FunctionDef) and node.name == "__eq__" and _always(node):
            found.add("an __eq__ that always answers the same")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(f"names {m[0]!r}" for m in SUSPECT_TEXT.finditer(node.value))
    return sorted(found)


def _always(function: ast.FunctionDef) -> bool:
    """Whether ``__eq__`` returns one constant, whatever it is compared with."""
    returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
    return bool(returns) and all(isinstance(r.value, ast.Constant) for r in returns)
