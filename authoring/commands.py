"""Author verbs: ``build``, ``solution`` and ``release``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from authoring import build as builder
from authoring import release as releaser
from workbook import catalog, paths, workspace
from workbook.ui import console


@click.command()
@click.option("--check", "check_only", is_flag=True, help="Fail if generated files drifted.")
def build(check_only: bool) -> None:
    """Generate exercises/ from solutions/ (or check that they agree)."""
    if check_only:
        problems = builder.drift()
        for line in problems:
            console.print(line)
        if problems:
            console.print(f"{len(problems)} generated file(s) out of date; run `workbook build`")
            sys.exit(1)
        console.print("generated files are up to date")
        return
    changed = builder.write()
    for path in changed:
        console.print(f"wrote {path.relative_to(paths.root())}")
    console.print(f"{len(changed)} file(s) changed")


@click.command()
@click.argument("stage")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Overwrite a non-empty folder.")
def solution(stage: str, out: Path, force: bool) -> None:
    """Assemble the full reference project of a stage."""
    chosen = catalog.find(stage)
    workspace.reference(chosen, out, force=force)
    console.print(f"reference project of {chosen.name} in {out}")


@click.command()
@click.option("--stage", "stage", required=True, help="The last stage the kit holds.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--force", is_flag=True, help="Overwrite a non-empty folder.")
def release(stage: str, out: Path, force: bool) -> None:
    """Write the learner kit for stages 1..N: no hidden test, no solution of stage N on."""
    chosen = catalog.find(stage)
    releaser.release(chosen, out, force=force)
    console.print(f"learner kit for stages 1 to {chosen.number} in {out}")
    console.print(f"learners run: cd {out} && python3 run.py start {chosen.number}")
