"""The sandbox around a grading worker: bubblewrap where the machine has it, said aloud if not.

With bubblewrap the worker starts from an empty root. Bound into it, read-only, are only the
system's shared libraries, the interpreter, the installed packages and the learner-side
package ``workbook`` (what a learner kit ships anyway); writable, only its own project copy
and home folder. Nothing else of the machine is there: no other learner, no hidden suite, no
solution, no ``/tmp``, no ``/etc``. It also gets no network (a fresh network namespace holds
only loopback), its own PID and IPC namespaces (when the worker dies, every process and
shared-memory segment it made goes with it) and, when the grader runs as root, an
unprivileged user. ``WORKBOOK_SANDBOX=off`` turns it off (for benchmarks); without bubblewrap
the worker runs with resource limits only, and ``workbook grade`` prints a warning saying so.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from grader import cgroups, paths
from workbook import paths as learner_paths
from workbook import stack

UNPRIVILEGED = 65534  # nobody
# The system's shared libraries (libc, libsqlite3, libssl, ...): code, never anybody's data.
SYSTEM_LIBRARIES = (Path("/usr/lib"), Path("/usr/lib64"), Path("/lib"), Path("/lib64"))


@functools.cache
def bwrap() -> str | None:
    """The bubblewrap binary, if it is installed and can make namespaces here."""
    if os.environ.get("WORKBOOK_SANDBOX", "on") == "off":
        return None
    found = shutil.which("bwrap")
    if found is None:
        return None
    probe = [found, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--", "true"]
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    return found if ok else None


def describe() -> tuple[bool, str]:
    """Whether the full sandbox is on, and one line that says what protects the worker."""
    if bwrap():
        user = ", an unprivileged user" if os.geteuid() == 0 else ""
        why_not = cgroups.available()
        limits = (
            f"a cgroup per job ({cgroups.MEMORY // 1024**3} GiB, 1 CPU)"
            if why_not is None
            else f"{why_not}: memory and CPU are limited per process only"
        )
        return True, (
            "sandbox: bubblewrap (empty root, no network, own PID and IPC namespaces"
            f"{user}); {limits}"
        )
    if os.environ.get("WORKBOOK_SANDBOX", "on") == "off":
        reason = "WORKBOOK_SANDBOX=off"
    else:
        reason = "bubblewrap is not installed or cannot make namespaces here"
    return False, (
        f"warning: {reason}: learner code runs with resource limits only "
        "(network, files and processes are not isolated); install the bubblewrap package"
    )


def drops_to_user() -> bool:
    """Whether the worker switches to an unprivileged user (inside bubblewrap, as root)."""
    return bwrap() is not None and os.geteuid() == 0


def prepare(folders: list[Path]) -> None:
    """Hand the worker's writable folders to the unprivileged user it will become, readable
    by nobody else on the host."""
    if not drops_to_user():
        return
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            os.lchown(path, UNPRIVILEGED, UNPRIVILEGED)
        folder.chmod(0o700)


@functools.cache
def readable(live_stack: bool = False) -> tuple[Path, ...]:
    """What a worker may read, besides its own folders: libraries, Python, its packages and
    the learner-side package ``workbook`` (existing paths, symbolic links resolved); with
    ``live_stack`` (a stage that declares services), the stack's programs and their data."""
    found = [p for p in SYSTEM_LIBRARIES if p.is_dir() and not p.is_symlink()]
    found += [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]
    found.append(learner_paths.PACKAGE)  # the learner-side package: the worker and its host
    if live_stack:
        found += stack.service_files()  # stage 09's live stack: Redis, PostgreSQL, Nginx
    return tuple(dict.fromkeys(found))


# The only account a worker can look up (PostgreSQL's initdb asks who it runs as).
IDENTITY = {
    "passwd": f"nobody:x:{UNPRIVILEGED}:{UNPRIVILEGED}:nobody:/nonexistent:/usr/sbin/nologin\n",
    "group": f"nogroup:x:{UNPRIVILEGED}:\n",
}
SHELL = Path("/bin/sh")
# Nginx's compiled-in temporary folders: present, and nobody's to write.
NGINX_TEMP = ("body", "proxy", "fastcgi", "uwsgi", "scgi")


def account_files(folder: Path) -> dict[str, Path]:
    """``/etc/passwd`` and ``/etc/group`` for the sandbox, naming its one user only, written
    into ``folder`` (the caller's own, gone with it; root's, so no worker can change them)."""
    folder.mkdir(mode=0o755, exist_ok=True)
    files = {}
    for name, text in IDENTITY.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o644)
        files[f"/etc/{name}"] = path
    return files


def _live_stack_files(accounts: Path) -> list[str]:
    """What the live stack needs besides its programs: the sandbox's account files (from
    ``accounts``), a shell and Nginx's temporary folders."""
    args: list[str] = []
    for target, source in account_files(accounts).items():
        args += ["--ro-bind", str(source), target]
    if SHELL.exists():  # initdb starts postgres through popen(), that is /bin/sh
        args += ["--ro-bind", str(SHELL.resolve()), str(SHELL)]
    if stack.nginx() is not None:
        for name in NGINX_TEMP:
            args += ["--perms", "0755", "--dir", f"/var/lib/nginx/{name}"]
    return args


def _mount_points(targets: list[Path]) -> list[str]:
    """Create every folder above the mount points, traversable (bubblewrap would make them
    0700, root's own, and the unprivileged worker could not reach its project)."""
    parents = sorted({p for t in targets for p in t.parents if p != Path("/")}, key=str)
    args: list[str] = []
    for parent in parents:
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def wrap(
    command: list[str], writable: list[Path], cwd: Path, *, accounts: Path | None = None
) -> list[str]:
    """``command`` inside bubblewrap (or as it is, without the sandbox). ``accounts``, a
    folder of the caller's, shows the worker the live stack too (:func:`_live_stack_files`)."""
    binary = bwrap()
    if binary is None:
        return command
    shown = readable(accounts is not None)
    extra = [] if accounts is None else [Path("/etc/passwd"), SHELL]
    args = [binary, *_mount_points([*shown, *writable, *extra])]
    for top in SYSTEM_LIBRARIES:
        if top.is_symlink():  # merged /usr: /lib -> usr/lib
            args += ["--symlink", os.readlink(top), str(top)]
    for path in shown:
        args += ["--ro-bind", str(path), str(path)]
    if any(paths.suites().is_relative_to(p) for p in shown if p.is_dir()):
        args += ["--tmpfs", str(paths.suites())]  # an installed kit keeps them in its packages
    for folder in writable:
        args += ["--bind", str(folder), str(folder)]
    if accounts is not None:
        args += _live_stack_files(accounts)
    args += ["--dev", "/dev", "--proc", "/proc"]
    args += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    args += ["--die-with-parent", "--new-session", "--chdir", str(cwd), "--"]
    return args + command
