"""``workbook verify``: every reference scores full marks, every skeleton scores zero."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import click
from rich.table import Table

from grader import mutants as mutation
from grader import runner
from grader.submission import Submission
from workbook import catalog, workspace
from workbook.catalog import Stage
from workbook.results import SubmissionResult
from workbook.text import markup
from workbook.ui import console


def problems_of(kind: str, result: SubmissionResult) -> list[str]:
    """What is wrong with a reference (not full, regressions) or a skeleton (not zero)."""
    where = f"{result.stage} {kind}"
    if result.status != "graded":
        return [f"{where}: {result.message}"]
    if kind == "reference":
        lost = [t.id for t in result.tests if t.outcome != "passed"]
        lost += [f"{t.id} (regression)" for t in result.regressions]
        return [f"{where} fails {test}" for test in lost]
    return [f"{where} scores on {t.id}" for t in result.tests if t.points > 0]


@click.command()
@click.option("--stage", "stage_key", help="Only stages 1..N (default: every stage).")
@click.option("--jobs", type=click.IntRange(1, 64), default=lambda: os.cpu_count() or 1)
@click.option(
    "--mutants",
    type=click.IntRange(0),
    is_flag=False,
    flag_value=0,
    default=None,
    help="Instead, grade mutants of each stage's fenced solutions (N per stage; all if no N) "
    "and report the share its hidden suite kills.",
)
def verify(stage_key: str | None, jobs: int, mutants: int | None) -> None:
    """Check the workbook: references full marks, skeletons zero."""
    stages = catalog.upto(catalog.find(stage_key)) if stage_key else catalog.load()
    if mutants is not None:
        chosen = [catalog.find(stage_key)] if stage_key else stages
        sys.exit(mutation_report(chosen, jobs, mutants or None))
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="workbook-verify-") as tmp:
        pairs = []
        for stage in stages:
            base = Path(tmp) / stage.name
            pairs += [
                (Submission("reference", workspace.reference(stage, base / "reference")), stage),
                (Submission("skeleton", workspace.start(stage, base / "skeleton")), stage),
            ]
        # One pool for every stage: the warm trusted processes serve them all.
        for result in runner.grade_pairs(pairs, jobs, lambda r: None):
            problems += problems_of(result.learner, result)
            console.print(f"{result.stage} {result.learner}: {result.score:g}/{result.max_score:g}")
    for line in problems:
        console.print(f"[red]✗[/] {line}")
    if problems:
        sys.exit(1)
    console.print("[green]the workbook is sound[/]: references full marks, skeletons zero")


def mutation_report(stages: list[Stage], jobs: int, count: int | None) -> int:
    """Grade the mutants of each stage; print the scores and the survivors; 1 when a stage
    kills fewer than 90% of its non-equivalent mutants."""
    table = Table(title="Mutation score", title_justify="left")
    for name in ("stage", "mutants", "killed", "equivalent", "survived", "score"):
        table.add_column(name, justify="left" if name == "stage" else "right")
    survivors: list[str] = []
    below = False
    with tempfile.TemporaryDirectory(prefix="workbook-mutants-") as tmp:
        for stage in stages:
            chosen = mutation.sample(mutation.mutants(stage), count)
            marked = mutation.equivalent(stage)
            reference = workspace.reference(stage, Path(tmp) / stage.name / "reference")
            pairs = []
            for n, mutant in enumerate(chosen):
                project = Path(tmp) / stage.name / f"m{n}"
                shutil.copytree(reference, project)
                (project / mutant.relative).write_text(mutant.text, encoding="utf-8")
                pairs.append((Submission(f"m{n}", project), stage))
            results = runner.grade_pairs(pairs, jobs, lambda r: None)
            lived = [
                m
                for m, r in zip(chosen, results, strict=True)
                if r.status == "graded" and r.score == r.max_score and m.id not in marked
            ]
            equal = sum(m.id in marked for m in chosen)
            scored = len(chosen) - equal
            share = 1.0 if not scored else (scored - len(lived)) / scored
            below = below or share < 0.9
            table.add_row(
                stage.name,
                str(len(chosen)),
                str(scored - len(lived)),
                str(equal),
                str(len(lived)),
                f"{share:.0%}",
            )
            survivors += [f"{stage.name}: {m.id}" for m in lived]
    console.print(table)
    for line in survivors:
        console.print(f"  survived: {markup(line)}")
    return 1 if below else 0
