"""``workbook verify --mutants``: mutants of a stage's fenced solutions are graded by its
hidden suite, and the report counts what it kills."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Run

from grader import mutants
from workbook import catalog


def test_every_mutant_changes_only_fenced_code_and_still_parses() -> None:
    for every in catalog.load():
        ids = [m.id for m in mutants.mutants(every)]
        assert len(set(ids)) == len(ids), f"{every.name}: mutant ids must be unique"
    stage = catalog.find("01_factory")
    found = mutants.mutants(stage)
    assert len(found) > 20
    assert "BEGIN SOLUTION" not in "".join(m.text for m in found), "fences were left in"
    assert mutants.sample(found, 5) == mutants.sample(found, 5), "the sample is not stable"


def test_verify_mutants_reports_killed_and_surviving_mutants(workbook: Run, tmp_path: Path) -> None:
    result = workbook("verify", "--mutants", "6", "--stage", "1", "--jobs", "2")
    assert result.returncode in (0, 1), result.stderr
    row = next(line for line in result.stdout.splitlines() if "01_factory" in line and "%" in line)
    mutants_, killed, equivalent, survived = map(int, re.findall(r"│\s+(\d+)\s", row)[:4])
    assert mutants_ == 6 and killed + equivalent + survived == 6 and killed >= 1, row
    assert result.stdout.count("survived: 01_factory:") == survived
    assert result.returncode == (1 if killed < 0.9 * (6 - equivalent) else 0)


def test_every_equivalent_mark_names_a_mutant_that_exists_with_a_reason() -> None:
    for stage in catalog.load():
        ids = {m.id for m in mutants.mutants(stage)}
        for marked, why in mutants.equivalent(stage).items():
            assert marked in ids, f"{stage.name}: {marked} is no mutant (did a line move?)"
            assert len(why.split()) >= 4, f"{stage.name}: {marked} needs a reason"
