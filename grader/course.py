"""An nbgrader course for the workbook: its configuration, the learners' configuration, and
one source assignment per stage (``workbook export nbgrader``)."""

from __future__ import annotations

from pathlib import Path

from authoring import nbbuild
from workbook.catalog import Stage
from workbook.errors import WorkbookError

COURSE_ID = "flask-workbook"
# What a learner's submit leaves out: the workspace a notebook builds next to itself is
# rebuilt by its setup cell, never handed in.
IGNORE = '[".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "taskboard"]'

COURSE_CONFIG = '''\
"""nbgrader configuration for the Flask Workbook course (written by `workbook export nbgrader`)."""

c = get_config()  # noqa: F821  (nbgrader provides it)

c.CourseDirectory.course_id = "{course_id}"
# The exchange release_assignment writes to and collect reads from (shared with the learners).
c.Exchange.root = {exchange!r}
# A fence in a file cell leaves its TODO line; an empty stub keeps every file importable.
c.ClearSolutions.code_stub = {{"python": ""}}
# A submission that deleted a test cell gets it back from the source.
c.OverwriteCells.add_missing_cells = True
# Validate runs each task cell's public checks in the learner's kernel: give it time.
c.Execute.timeout = 300
# Autograde runs no cell in a kernel: the grading kit grades the file cells in its sandbox and
# writes each task cell's feedback and points (nbgrader's partial credit). grader.nbgrader
c.Autograde.autograde_preprocessors = [
    "grader.nbgrader.GradeInSandbox",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.CourseDirectory.ignore = {ignore}
'''

LEARNER_CONFIG = '''\
"""A learner's nbgrader configuration for the Flask Workbook course: save it as
~/.jupyter/nbgrader_config.py (written by `workbook export nbgrader`)."""

c = get_config()  # noqa: F821  (nbgrader provides it)

c.CourseDirectory.course_id = "{course_id}"
# Where fetch_assignment finds the released stages and submit hands work in.
c.Exchange.root = {exchange!r}
# Validate runs each task cell's public checks: give it time.
c.Execute.timeout = 300
# The workspace a notebook builds next to itself (taskboard/) is never submitted.
c.CourseDirectory.ignore = {ignore}
'''


def configs(exchange: str) -> dict[str, str]:
    """The course's ``nbgrader_config.py`` and the one its learners use, for ``exchange``."""
    values = {"course_id": COURSE_ID, "exchange": exchange, "ignore": IGNORE}
    return {
        "nbgrader_config.py": COURSE_CONFIG.format(**values),
        "learner_nbgrader_config.py": LEARNER_CONFIG.format(**values),
    }


def write_course(course: Path, stages: list[Stage], *, exchange: str, force: bool) -> list[Path]:
    """Lay out an nbgrader course: its config, the learners' config and one source assignment
    per stage.

    A source notebook that differs from the generated one is kept unless ``force``: the
    instructor may have edited it, and nbgrader's gradebook holds its checksums.
    """
    if course.exists() and not course.is_dir():
        raise WorkbookError(f"{course} exists and is not a folder")
    planned = [(course / name, text.encode("utf-8")) for name, text in configs(exchange).items()]
    for stage in stages:
        target = course / "source" / stage.name / f"{stage.name}.ipynb"
        planned.append((target, nbbuild.render(stage)))
    clashes = [p for p, data in planned if p.is_file() and p.read_bytes() != data]
    if clashes and not force:
        names = ", ".join(str(p.relative_to(course)) for p in clashes)
        raise WorkbookError(f"{names} already exist(s) and differ(s); pass --force to replace")
    written = []
    for path, data in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
