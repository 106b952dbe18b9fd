"""The workbook's own soundness: stages, READMEs, hints, hidden suites and samples agree."""

from __future__ import annotations

import re

import pytest

from grader import runner, samples
from workbook import catalog

STAGES = [stage.name for stage in catalog.load()]


def test_the_catalog_holds_the_stages_in_order() -> None:
    assert STAGES[:2] == ["01_factory", "02_blueprints"]
    assert [s.number for s in catalog.load()] == list(range(1, len(STAGES) + 1))


@pytest.mark.parametrize("name", STAGES)
def test_readme_headings_match_the_numbered_tasks(name: str) -> None:
    stage = catalog.find(name)
    readme = (stage.exercise_dir / "README.md").read_text()
    headings = re.findall(r"^## (\d+)\. (.+)$", readme, flags=re.MULTILINE)
    assert [int(n) for n, _ in headings] == [t.number for t in stage.tasks]
    assert all(task.hints for task in stage.tasks), "a task has no hint"


@pytest.mark.parametrize("name", STAGES)
def test_hidden_suite_has_points_tasks_and_feedback_on_every_test(name: str) -> None:
    stage = catalog.find(name)
    own = [t for t in runner.expected_tests(name) if t.stage == name]
    assert len(own) >= 12, f"{name} has {len(own)} hidden tests"
    assert len({t.id for t in own}) == len(own), "two hidden tests share an id"
    numbers = {task.number for task in stage.tasks}
    for test in own:
        assert test.task in numbers, f"{test.id} names task {test.task}"
        assert test.points > 0, f"{test.id} is worth nothing"
        assert len(test.feedback) > 30, f"{test.id} has no teaching sentence"
    assert {t.task for t in own} == numbers, "a task has no hidden test"


@pytest.mark.parametrize("name", STAGES)
def test_public_checks_are_a_smaller_set_than_the_hidden_suite(name: str) -> None:
    stage = catalog.find(name)
    checks = list(stage.checks_dir.glob("test_*.py"))
    hidden = [t for t in runner.expected_tests(name) if t.stage == name]
    assert checks, f"{name} has no public checks"
    count = sum(text.count("\ndef test_") for text in (p.read_text() for p in checks))
    assert 0 < count < len(hidden)


@pytest.mark.parametrize("name", STAGES)
def test_every_stage_ships_the_demo_scenarios(name: str) -> None:
    stage = catalog.find(name)
    found = {s.name: s for s in samples.load(stage)}
    assert {"reference", "skeleton", "partial", "syntax-error", "hangs"} <= set(found)
    full = sum(t.points for t in runner.expected_tests(name) if t.stage == name)
    assert found["reference"].expected_score == full
    assert found["skeleton"].expected_score == 0
    assert all(0 <= s.expected_score <= full for s in found.values())
