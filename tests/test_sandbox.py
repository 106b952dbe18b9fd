"""The grading sandbox shows a worker only what it needs: walked from inside, nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader import paths, sandbox
from workbook import paths as learner_paths

# Inside the folders it is given (the libraries, Python, its packages), all is allowed: the
# walk lists them, not their contents.
WALK = """
import json, os, sys
seen, given = [], set(sys.argv[2:]) | {"/proc", "/dev"}
for folder, dirs, files in os.walk("/", followlinks=False):
    if folder in given:
        dirs[:] = []
        continue
    for name in dirs + files:
        seen.append(os.path.join(folder, name))
json.dump(seen, open(sys.argv[1], "w"))
"""


def _walk(top: Path, live_stack: bool) -> tuple[Path, set[Path]]:
    """A worker's own folder under ``top``, and every path it can see, walked from inside."""
    if sandbox.bwrap() is None:
        pytest.fail("bubblewrap is missing: run.py installs it (apt-get install bubblewrap)")
    own = top / "own"
    own.mkdir()
    (top / "classmate-project.py").write_text("secret = 1\n")
    given = [str(p) for p in sandbox.readable(live_stack) if p.is_dir()]
    command = [sys.executable, "-I", "-c", WALK, str(own / "seen.json"), *given]
    accounts = top / "accounts" if live_stack else None
    wrapped = sandbox.wrap(command, [own], cwd=own, accounts=accounts)
    subprocess.run(wrapped, check=True, timeout=120)
    return own, {Path(p) for p in json.loads((own / "seen.json").read_text())}


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[Path]]:
    """What a worker of a stage without services sees."""
    return _walk(tmp_path_factory.mktemp("sandbox"), live_stack=False)


def _allowed(path: Path, own: Path, live_stack: bool = False) -> bool:
    tops = [*sandbox.readable(live_stack), own, Path("/proc"), Path("/dev")]
    if any(path == top or path.is_relative_to(top) for top in tops):
        return True
    if path in sandbox.SYSTEM_LIBRARIES:  # /lib -> usr/lib on merged-/usr systems
        return True
    return any(top.is_relative_to(path) for top in tops)  # a folder on the way to one


def test_a_worker_sees_only_libraries_python_its_packages_and_its_own_folder(
    seen: tuple[Path, set[Path]],
) -> None:
    own, paths_seen = seen
    extra = sorted(str(p) for p in paths_seen if not _allowed(p, own))
    assert extra == [], f"visible beyond the allowed set: {extra[:10]}"


def test_a_worker_sees_none_of_the_kit_the_host_or_other_learners(
    seen: tuple[Path, set[Path]],
) -> None:
    own, visible = seen
    assert own.parent / "classmate-project.py" not in visible
    assert not [p for p in visible if p.is_relative_to(paths.suites())], "a hidden suite"
    assert not [p for p in visible if p.is_relative_to(learner_paths.solutions())], "a solution"
    for private in ("/etc", "/home", "/srv", "/var", "/opt"):
        assert not [p for p in visible if p.is_relative_to(private)], private
    assert not [p for p in visible if p.is_relative_to(paths.PACKAGE)], "the grading side"


def test_only_a_live_stack_worker_sees_the_servers_and_an_account_file_naming_nobody(
    seen: tuple[Path, set[Path]], tmp_path: Path
) -> None:
    """Stage 09's worker also sees the servers' programs and data, a shell, Nginx's empty
    temporary folders and account files the grader wrote, never the host's."""
    own, visible = _walk(tmp_path, live_stack=True)
    extra = sorted(str(p) for p in visible if not _allowed(p, own, live_stack=True))
    nginx_temp = {f"/var/lib/nginx/{name}" for name in sandbox.NGINX_TEMP}
    known = {"/bin", "/bin/sh", "/etc", "/etc/passwd", "/etc/group", "/var", "/var/lib"}
    known |= {"/var/lib/nginx", *nginx_temp}
    assert set(extra) <= known, f"visible beyond the live stack's set: {extra[:10]}"
    assert [p for p in sandbox.readable(True) if p.is_relative_to("/etc")] <= [
        Path("/etc/nginx/mime.types")
    ]
    assert not [p for p in visible if p.is_relative_to("/home") or p.is_relative_to("/srv")]
    names = (tmp_path / "accounts" / "passwd").read_text().splitlines()
    assert [line.split(":")[0] for line in names] == ["nobody"]
    assert "/etc/passwd" not in {str(p) for p in seen[1]}, "a plain worker sees the accounts"
