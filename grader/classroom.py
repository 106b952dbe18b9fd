"""GitHub Classroom: a learner template repository, and the per-task results its workflow
reports.

``workbook export classroom --stage N --out DIR`` writes the learner kit for stages 1..N,
stage N's workspace (``NN_name/``, as ``start`` makes it) and
``.github/workflows/classroom.yml`` in the shape Classroom's reporter needs
(classroom-resources/autograding-grading-reporter): the workflow ``Autograding Tests``, one
job ``run-autograding-tests``, a step that grades the workspace once, then one step per task
whose ``result`` output is base64 of the version-3 JSON the Python grader emits, and the
reporter step. No hidden test is in the repository: the runner downloads the grading kit from
the URL in the ``WORKBOOK_GRADER`` secret, the stage's Gradescope autograder zip (``export
gradescope``) kept where learners cannot read it.

The reporter totals a runner two ways (the sum of ``tests[].score`` for Classroom, passed over
total times ``max_score`` on the console: reporter#10), which disagree when a task's checks
are worth different points. So each point is one test entry worth 1: both totals are then the
same whole number.

``python -m grader.classroom RESULTS.json TASK`` prints ``result=<base64>`` for
``$GITHUB_OUTPUT``.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from authoring.release import release
from workbook import workspace
from workbook.catalog import Stage
from workbook.errors import WorkbookError

RESULTS = "/tmp/workbook-results.json"


def workflow(stage: Stage) -> str:
    """``classroom.yml`` for ``stage``: grade once, then report each task."""
    steps = [
        "      - uses: actions/checkout@v4",
        "      - uses: actions/setup-python@v5",
        "        with:",
        '          python-version: "3.11"',
        "      - name: Install the grading kit",
        "        env:",
        "          WORKBOOK_GRADER: ${{ secrets.WORKBOOK_GRADER }}",
        "        run: |",
        "          sudo apt-get update && sudo apt-get install -y bubblewrap",
        '          curl -fsSL "$WORKBOOK_GRADER" -o "$RUNNER_TEMP/grader.zip"',
        '          unzip -q "$RUNNER_TEMP/grader.zip" -d "$RUNNER_TEMP/grader"',
        '          python -m pip install "$RUNNER_TEMP/grader/kit"',
        '          echo "WORKBOOK_ROOT=$RUNNER_TEMP/grader/kit" >> "$GITHUB_ENV"',
        '          echo "PYTHONPATH=$RUNNER_TEMP/grader/kit" >> "$GITHUB_ENV"',
        f"      - name: Grade {stage.name}",
        f"        run: workbook grade {stage.name} --stage {stage.number} --json"
        f" > {RESULTS} || true",
    ]
    runners = []
    for task in stage.tasks:
        step = f"task-{task.number}"
        runners.append(step)
        steps += [
            f"      - name: Task {task.number} ({_yaml_text(task.title)})",
            f"        id: {step}",
            f'        run: python -m grader.classroom {RESULTS} {task.number} >> "$GITHUB_OUTPUT"',
        ]
    steps += [
        "      - name: Autograding Reporter",
        "        uses: classroom-resources/autograding-grading-reporter@v1",
        "        env:",
        *[f"          {r.upper()}_RESULTS: ${{{{ steps.{r}.outputs.result }}}}" for r in runners],
        "        with:",
        f"          runners: {','.join(runners)}",
    ]
    head = [
        "name: Autograding Tests",
        "on: [push, repository_dispatch]",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
    ]
    return "\n".join(head + steps) + "\n"


def _yaml_text(text: str) -> str:
    return "".join(c for c in text if c.isalnum() or c in " -,./")


def write_template(stage: Stage, out: Path, *, force: bool = False) -> Path:
    """The learner template repository for ``stage`` in ``out``; the workflow's path."""
    release(stage, out, force=force)
    workspace.start(stage, out / stage.name)
    path = out / ".github" / "workflows" / "classroom.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(workflow(stage), encoding="utf-8")
    return path


def task_result(results: dict[str, Any], task: int) -> dict[str, Any]:
    """The v3 document of one task of the one submission in a ``grade --json`` document."""
    [submission] = results["submissions"]
    if submission["status"] != "graded":
        message = str(submission.get("message", "not graded"))[:500]
        max_score = sum(int(t["max_points"]) for t in submission["tests"] if t["task"] == task)
        return {
            "version": 3,
            "status": "error",
            "message": message,
            "max_score": max_score,
            "tests": [],
        }
    tests: list[dict[str, Any]] = []
    for n, test in enumerate((t for t in submission["tests"] if t["task"] == task), 1):
        points = test["max_points"]
        if points != int(points):
            raise WorkbookError(f"task {task}: Classroom needs whole points, not {points}")
        passed = test["outcome"] == "passed"
        for point in range(1, int(points) + 1):
            tests.append(
                {
                    "name": f"Task {task}.{n}, point {point} of {int(points)}",
                    "status": "pass" if passed else "fail",
                    "message": "" if passed else str(test["feedback"])[:500],
                    "test_code": "",
                    "task_id": task,
                    "filename": "",
                    "line_no": 0,
                    "duration": 0,
                    "score": 1 if passed else 0,
                }
            )
    status = "pass" if all(t["status"] == "pass" for t in tests) else "fail"
    return {"version": 3, "status": status, "max_score": len(tests), "tests": tests}


def encoded(doc: dict[str, Any]) -> str:
    """``doc`` as the reporter reads a runner's result: base64 of compact JSON."""
    return base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


if __name__ == "__main__":
    document = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(f"result={encoded(task_result(document, int(sys.argv[2])))}")
