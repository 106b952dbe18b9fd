"""``workbook release``: the learner kit for stages 1..N, the learner package and nothing else.

The kit holds the ``workbook`` package as it is (the learner's CLI, the catalog, the workspace,
the checks' transport), and under ``workbook/content/`` the instructions, hints, skeletons and
public checks of stages 1..N and the finished references of stages 1..N-1. The grading side
(``grader``: the hidden suites, the sandbox, the gradebook) and the build (``authoring``:
the fenced solutions) are separate packages and are never copied.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

from workbook import __version__, catalog, paths
from workbook.catalog import Stage
from workbook.errors import WorkbookError
from workbook.overlays import overlay_files, reference_files
from workbook.workspace import prepare

TEMPLATES = Path(__file__).resolve().parent / "learner_kit"
# Files of the learner package that are never code or data: caches.
NOT_SHIPPED = ("__pycache__", ".pyc", "content")


def _learner_package(dest: Path) -> None:
    """Copy the ``workbook`` package, its source files only."""
    for path in sorted(paths.PACKAGE.rglob("*")):
        relative = path.relative_to(paths.PACKAGE)
        if not path.is_file() or relative.parts[0] in NOT_SHIPPED or path.suffix == ".pyc":
            continue
        if "__pycache__" in relative.parts:
            continue
        target = dest / "workbook" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _content(stage: Stage, content: Path) -> None:
    """Stages 1..N's exercises; stages 1..N-1's references, fences removed."""
    for each in catalog.upto(stage):
        for path, relative in overlay_files(each.exercise_dir):
            target = content / "exercises" / each.name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        if each.number == stage.number:
            continue
        for relative, data in reference_files(each):
            target = content / "references" / each.name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def _dependencies() -> tuple[list[str], list[str]]:
    """The kit's runtime dependencies and the notebook extras, read from its pyproject."""
    project = tomllib.loads((paths.PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
    notebooks = project["project"]["optional-dependencies"].get("notebooks", [])
    return list(project["project"]["dependencies"]), list(notebooks)


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f'    "{item}",\n' for item in items) + "]"


def _templates(stage: Stage, dest: Path) -> None:
    """The kit's README, ``run.py`` and ``pyproject.toml``, filled in for stage N."""
    dependencies, notebooks = _dependencies()
    values = {
        "version": __version__,
        "stage": stage.name,
        "number": str(stage.number),
        "dependencies": _toml_list(dependencies),
        "notebooks": _toml_list(notebooks),
        "stages": "\n".join(f"| `{s.name}` | {s.title} |" for s in catalog.upto(stage)),
    }
    for name in ("README.md", "run.py", "pyproject.toml"):
        text = (TEMPLATES / f"{name}.in").read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        (dest / name).write_text(text, encoding="utf-8")


def release(stage: Stage, dest: Path, *, force: bool = False) -> Path:
    """Write the learner kit for stages 1..N into ``dest``."""
    if not paths.solutions().is_dir():
        raise WorkbookError("`workbook release` runs in the instructor's kit (no solutions/ here)")
    prepare(dest, force=force)
    _learner_package(dest)
    _content(stage, dest / "workbook" / "content")
    _templates(stage, dest)
    return dest
