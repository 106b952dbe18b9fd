"""A submission's manifest: which stage, which kit, and a hash of every file handed in.

``workbook submit`` writes it into the zip; grading compares it with the files it unpacked, so
a file changed, added or removed after submitting shows as a flag beside the grade.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

NAME = "workbook-manifest.json"


def digest(data: bytes) -> str:
    """The hash a manifest records for a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def build(stage: str, version: str, files: dict[str, bytes]) -> bytes:
    """The manifest of ``files`` (relative POSIX path to bytes) as JSON bytes."""
    body = {
        "stage": stage,
        "kit_version": version,
        "files": {name: digest(data) for name, data in sorted(files.items())},
    }
    return (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    return data


def verify(project: Path, stage: str) -> list[str]:
    """Flags for a project whose manifest disagrees with its files (none without a manifest)."""
    path = project / NAME
    if not path.is_file():
        return []
    data = _read(path)
    if data is None:
        return [f"{NAME} is damaged (not the manifest `workbook submit` writes)"]
    flags = []
    if data.get("stage") != stage:
        flags.append(f"the manifest is for stage {str(data.get('stage'))[:40]!r}, not {stage}")
    listed: dict[str, Any] = data["files"]
    present = {
        p.relative_to(project).as_posix(): p
        for p in project.rglob("*")
        if p.is_file() and not p.is_symlink() and p != path
    }
    changed = sorted(n for n, p in present.items() if n in listed and listed[n] != _hash(p))
    added = sorted(n for n in present if n not in listed)
    missing = sorted(n for n in listed if n not in present)
    for what, names in (("changed", changed), ("added", added), ("missing", missing)):
        if names:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            flags.append(f"manifest mismatch: {len(names)} file(s) {what} after submit ({shown})")
    return flags


def _hash(path: Path) -> str:
    return digest(path.read_bytes())
