"""Tasks: create, list (filtered), read, update and delete under /api/v1/tasks."""

from __future__ import annotations

from flask import abort, request

from app.responses import Body, found, json_body, ok
from app.tasks import bp, services

# TODO(task 4): Add POST "" (201; 404 for an unknown project), GET "" filtered by ?project_id= and ?status=, GET/PUT/DELETE "/<task_id>".
