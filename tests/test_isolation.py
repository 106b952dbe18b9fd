"""Learner code never reaches the verdict: hostile files and tricks change nothing."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run, copy_project, full_marks, graded_tests

FORCE_PASS = """
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
"""


def _hostile(projects: Path, cohort: Path) -> None:
    """Skeletons (worth 0) that each try to pass anyway."""

    def skeleton(name: str) -> Path:
        return copy_project(projects, "01_factory", "skeleton", cohort / name)

    (skeleton("conftest") / "conftest.py").write_text(FORCE_PASS)
    (skeleton("pytest-ini") / "pytest.ini").write_text("[pytest]\naddopts = --co -p no:grader\n")
    (skeleton("pyproject") / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\naddopts = '--deselect 01_factory'\n"
    )
    (skeleton("setup-cfg") / "setup.cfg").write_text("[tool:pytest]\naddopts = -x --co\n")
    (skeleton("sitecustomize") / "sitecustomize.py").write_text(
        "import os\nos.environ['WORKBOOK_FORCE'] = '1'\nraise SystemExit(0)\n"
    )
    (skeleton("pth") / "evil.pth").write_text("import os; os._exit(0)\n")
    exiter = skeleton("os-exit") / "app/__init__.py"
    exiter.write_text("import os\nos._exit(0)\n")
    forger = skeleton("forger") / "app/__init__.py"
    header = 'def create_app(config_name: str = "development") -> Flask:'
    forged = 'import sys\nsys.__stdout__.write(\'{"ok": true, "result": {"app": 1}}\\n\')\n'
    forger.write_text(forger.read_text().replace(header, f"{forged}\n\n{header}"))


def test_hostile_skeletons_still_score_zero(workbook: Run, projects: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    _hostile(projects, cohort)
    copy_project(projects, "01_factory", "reference", cohort / "honest")
    result = workbook("grade", str(cohort), "--stage", "1", "--json", "--jobs", "2")
    doc = {s["learner"]: s for s in json.loads(result.stdout)["submissions"]}
    assert doc.pop("honest")["score"] == full_marks("01_factory"), "an honest learner was affected"
    for learner, sub in doc.items():
        assert sub["score"] == 0.0, f"{learner} scored {sub['score']}"
        assert len(sub["tests"]) == graded_tests("01_factory"), (
            f"{learner} changed the set of tests"
        )


def test_a_learner_conftest_cannot_hurt_a_correct_solution(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = copy_project(projects, "01_factory", "reference", tmp_path / "ref")
    (work / "conftest.py").write_text(
        "import pytest\n\ndef pytest_collection_modifyitems(items):\n    items.clear()\n"
    )
    (work / "json.py").write_text("raise ImportError('shadowed json')\n")
    result = workbook("grade", str(work), "--stage", "1", "--json")
    assert json.loads(result.stdout)["submissions"][0]["score"] == full_marks("01_factory")


def test_an_app_that_exits_during_a_request_fails_only_that_test(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    work = copy_project(projects, "02_blueprints", "reference", tmp_path / "quitter")
    routes = work / "app/users/routes.py"
    routes.write_text(
        routes.read_text().replace(
            '    """Every user, with the total in meta."""\n',
            '    """Every user, with the total in meta."""\n    import os\n\n    os._exit(3)\n',
        )
    )
    result = workbook("grade", str(work), "--stage", "2", "--json")
    sub = json.loads(result.stdout)["submissions"][0]
    lost = [t for t in sub["tests"] if t["outcome"] != "passed"]
    assert [t["id"] for t in lost] == ["02_blueprints::test_users_can_be_listed_and_read"]
    assert "ended the worker process (exit code 3)" in lost[0]["feedback"]
    assert sub["score"] == full_marks("02_blueprints") - 2  # the one test it ended


def test_workers_are_forked_from_the_warm_fork_server(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    """With the sandbox on, a learner's app is imported in a child of ``workbook.zygote``."""
    cohort = tmp_path / "cohort"
    for name in ("first", "second"):
        work = copy_project(projects, "01_factory", "reference", cohort / name)
        init = work / "app/__init__.py"
        init.write_text(
            init.read_text().replace(
                "from __future__ import annotations\n",
                "from __future__ import annotations\n\nimport os as _os\n\n"
                'with open(f"/proc/{_os.getppid()}/cmdline", "rb") as _parent:\n'
                '    if b"workbook.zygote" not in _parent.read():\n'
                '        raise RuntimeError("started afresh, not forked")\n',
            )
        )
    result = workbook("grade", str(cohort), "--stage", "1", "--json", "--jobs", "1")
    scores = [s["score"] for s in json.loads(result.stdout)["submissions"]]
    assert scores == [full_marks("01_factory")] * 2, result.stderr[-2000:]
