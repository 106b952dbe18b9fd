"""``workbook stats --stage N``: per check, how many learners failed it and the feedback they
most often got; per task, how the points spread; the same as an HTML report with charts."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from conftest import Run, copy_project


def test_stats_count_failures_per_check_and_scores_per_task(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    copy_project(projects, "02_blueprints", "reference", cohort / "cy")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "bob")
    graded = workbook("grade", str(cohort), "--stage", "2", "--json")
    assert graded.returncode == 0, graded.stderr
    doc = json.loads(graded.stdout)["submissions"]
    result = workbook("stats", "--stage", "2", "--html", "stats.html")
    assert result.returncode == 0, result.stderr
    for test in doc[0]["tests"]:
        failures = sum(
            t["outcome"] != "passed" for sub in doc for t in sub["tests"] if t["id"] == test["id"]
        )
        name = test["id"].split("::")[-1]
        row = next(line for line in result.stdout.splitlines() if f" {name[:30]}" in line)
        assert f"{failures}/3" in row, row
    for task in {t["task"] for t in doc[0]["tests"]}:
        scores = Counter(
            round(sum(t["points"] for t in sub["tests"] if t["task"] == task), 2) for sub in doc
        )
        shown = ", ".join(f"{score:g}: {count}" for score, count in sorted(scores.items()))
        assert f"task {task}, learners per score: {shown}" in result.stdout
    page = (tmp_path / "stats.html").read_text()
    assert page.count("<svg") == len({t["task"] for t in doc[0]["tests"]})
    assert "default-src 'none'" in page and not re.search(r"(src|href)=\"?https?:", page)


def test_stats_of_a_stage_nobody_handed_in_is_a_one_line_error(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    copy_project(projects, "02_blueprints", "reference", tmp_path / "cohort" / "ada")
    assert workbook("grade", "cohort", "--stage", "2").returncode == 0
    result = workbook("stats", "--stage", "5")
    assert result.returncode == 2
    assert result.stderr.strip() == "workbook: error: the gradebook has no result of 05_auth"
