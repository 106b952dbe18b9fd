"""Projects: create, list, read, update and delete under /api/v1/projects."""

from __future__ import annotations

from flask import abort

from app.projects import bp, services
from app.responses import Body, found, json_body, ok

# TODO(task 3): Add POST "" (201), GET "" (meta total), GET/PUT/DELETE "/<project_id>" (200, 200, 204; 404 when missing).
