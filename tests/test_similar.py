"""``workbook similar``: a copied submission tops the ranking, and code every learner starts
with (the earlier references and the skeleton) counts for nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import Run, copy_project


def _similarity(stdout: str, first: str, second: str) -> int:
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if first in cells and second in cells:
            return int(re.search(r"(\d+)%", line).group(1))  # type: ignore[union-attr]
    raise AssertionError(f"no row for {first} and {second}:\n{stdout}")


def test_a_copied_submission_tops_the_ranking_and_shared_starting_code_scores_nothing(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    shutil.copytree(cohort / "ada", cohort / "bob")  # bob hands in ada's work
    views = cohort / "bob/app/users/routes.py"
    views.write_text(views.read_text().replace("payload", "body"))  # and renames a variable
    copy_project(projects, "02_blueprints", "skeleton", cohort / "cy")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "dee")
    result = workbook("similar", str(cohort), "--stage", "2", "--html", "similar.html")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "%" in line]
    assert "ada" in rows[0] and "bob" in rows[0], result.stdout
    assert _similarity(result.stdout, "ada", "bob") >= 80
    assert _similarity(result.stdout, "cy", "dee") == 0, "the shared skeleton was counted"
    assert (tmp_path / "similar.html").is_file()
