"""The learner's ``workbook`` command: a thin click group; each verb lives in ``commands/``.

The instructor's kit adds its verbs to the same group (``grader.cli``); a learner kit has only
these, so an instructor verb there is an unknown command.
"""

from __future__ import annotations

import sys

import click

from workbook import __version__
from workbook.commands import check, learner, submit, watch
from workbook.errors import WorkbookError
from workbook.text import printable

LEARNER_COMMANDS = (
    learner.list_stages,
    learner.start,
    check.check,
    learner.hint,
    watch.watch,
    learner.reset,
    submit.submit,
)


# The instructor's verbs: a learner kit names them as such rather than as unknown commands.
INSTRUCTOR_VERBS = ("grade", "report", "export", "demo", "build", "verify", "solution", "release")


class LearnerGroup(click.Group):
    """A click group that refuses an instructor verb in one line."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """Resolve as click does; an instructor verb missing here is a one-line error."""
        if args and args[0] in INSTRUCTOR_VERBS and self.get_command(ctx, args[0]) is None:
            raise WorkbookError(f"`{args[0]}` is an instructor command; a learner kit has none")
        return super().resolve_command(ctx, args)


def group() -> click.Group:
    """The ``workbook`` group with the learner's verbs."""

    @click.group(cls=LearnerGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, prog_name="workbook")
    def cli() -> None:
        """Flask Workbook: learn production Flask stage by stage, graded."""

    for command in LEARNER_COMMANDS:
        cli.add_command(command)
    return cli


def run(cli: click.Group) -> None:
    """Run ``cli``: a WorkbookError becomes one line on stderr and exit code 2."""
    try:
        cli.main(standalone_mode=False)
    except WorkbookError as exc:
        click.echo(f"workbook: error: {printable(exc)}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("workbook: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)


def main() -> None:
    """The learner kit's entry point."""
    run(group())
