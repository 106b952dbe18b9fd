"""Author verbs: ``build`` and ``solution``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader import build as builder
from grader import catalog, paths, workspace
from grader.ui import console


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
