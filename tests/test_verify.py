"""`workbook verify`: references full marks, skeletons zero, or exit 1 naming the failure."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, full_marks

# `workbook verify` on the whole workbook is a command of the README's author block, which
# tests/test_readme.py runs: it must exit 0 there.


def test_verify_names_a_reference_that_lost_points(workbook: Run, kit_copy: Path) -> None:
    health = kit_copy / "solutions/01_factory/app/health.py"
    health.write_text(health.read_text().replace('"meta": {}}, 200', '"meta": {}}, 201'))
    result = workbook("verify", "--stage", "2", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 1
    full = full_marks("02_blueprints")
    assert f"02_blueprints skeleton: 0/{full:g}" in result.stdout
    assert (
        "01_factory reference fails 01_factory::test_health_endpoint_answers_ok_in_the_envelope"
        in result.stdout
    )
    assert (
        "02_blueprints reference fails 01_factory::test_health_endpoint_answers_ok_in_the_"
        "envelope (regression)" in result.stdout
    )


def test_verify_names_a_skeleton_that_scores(workbook: Run, kit_copy: Path) -> None:
    solution = kit_copy / "solutions/02_blueprints"
    for path in solution.rglob("*.py"):
        target = kit_copy / "exercises/02_blueprints" / path.relative_to(solution)
        target.write_text(path.read_text())  # a "skeleton" that is the full solution
    result = workbook("verify", "--stage", "2", extra_env={"WORKBOOK_ROOT": str(kit_copy)})
    assert result.returncode == 1
    assert (
        "02_blueprints skeleton scores on 02_blueprints::test_each_domain_has_its_own_"
        "blueprint" in result.stdout
    )
    assert "01_factory" not in "".join(line for line in result.stdout.splitlines() if "✗" in line)
