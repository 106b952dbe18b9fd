"""How a run of tests is set up: the same arguments for a learner's check and for grading."""

from __future__ import annotations

from pathlib import Path

from workbook import catalog, paths
from workbook.catalog import Stage


def pytest_args(
    stage: Stage,
    results: Path,
    project: Path | None,
    *,
    plugins: tuple[str, ...] = (),
    folders: list[Path],
) -> list[str]:
    """The arguments of a grading or checking run: the kit's own config, never the learner's.
    ``plugins`` are loaded after the workbook's (grading adds its worker transport)."""
    top = folders[0].parent if len(folders) > 1 else folders[0]
    args = [
        "-c",
        str(paths.PACKAGE / "pytest.ini"),
        "--rootdir",
        str(top),
        "--confcutdir",
        str(top),
        "-p",
        "no:cacheprovider",
        "-p",
        "workbook.plugin",
        *[arg for plugin in plugins for arg in ("-p", plugin)],
        "-p",
        "pytest_timeout",
        # What they report (warnings about unraisable exceptions) is never graded, and they
        # end every session with five full garbage collections.
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
        "-q",
        "--assert=plain",
        "--no-header",
        "-rN",
        f"--timeout={stage.request_timeout * 4 + 30:g}",
        "--workbook-results",
        str(results),
        f"--workbook-request-timeout={stage.request_timeout:g}",
        f"--workbook-stage={stage.name}",
        *(["--workbook-login"] if catalog.needs_login(stage) else []),
    ]
    if project is not None:
        args += ["--workbook-project", str(project)]
    return args + [str(folder) for folder in folders]
