"""A trusted pytest process that stays warm across submissions.

``workbook grade`` keeps one per job: pytest, the grader's plugin and the hidden suites are
imported once, and each submission is one ``pytest.main`` run in it. It never imports learner
code (the fixtures reach the learner's app through a sandboxed worker), so nothing leaks
from one learner's run into the next. Protocol: one JSON request per line on stdin
(``{"args": [...]}``), one JSON answer per line on the original stdout (``{"code": N,
"output": "..."}``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys

from workbook.worker import die_with_parent


def _stop(signum: int, frame: object) -> None:
    """Told to stop (the grader died or was interrupted): kill the fork server and remove
    its folder first, then exit. It runs in the middle of whatever the process was doing,
    so it imports nothing and waits on no lock that code may hold."""
    # SIGTERM comes twice (the grader's, then its death's): the second must wait, not cut
    # this handler's removal short.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    backends = sys.modules.get("grader.backends")
    with contextlib.suppress(Exception):
        if backends is not None:
            backends.close_fork_server(from_signal=True)
    os._exit(128 + signum)


def main() -> int:
    """Answer grading runs until stdin closes, or until SIGTERM (sent too when the grader
    that started it dies)."""
    signal.signal(signal.SIGTERM, _stop)
    die_with_parent(signal.SIGTERM)
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    os.environ["WORKBOOK_FORK_SERVER"] = "on"  # workers forked warm (workbook.zygote)
    import pytest
    import pytest_timeout

    import workbook.plugin
    from grader.backends import close_fork_server, fork_server

    fork_server()  # started now, it imports its libraries while this process waits for work

    # Handed over as modules, the ``-p`` plugins need no search of installed packages.
    plugins = [workbook.plugin, pytest_timeout]
    for line in sys.stdin:
        args = json.loads(line)["args"]
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            code = int(pytest.main(args, plugins=plugins))
        replies.write(json.dumps({"code": code, "output": output.getvalue()[-4000:]}) + "\n")
        replies.flush()
    # The grader closes stdin and sends SIGTERM at once when a run is interrupted: held
    # until the fork server's folder is gone, SIGTERM cannot cut its removal short.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    close_fork_server()
    return 0


if __name__ == "__main__":
    sys.exit(main())
