"""Gunicorn's settings: ``gunicorn -c gunicorn.conf.py "app:create_app('production')"``.

Every value can be changed at deploy time through the environment, none in this file.
"""

from __future__ import annotations

import os

# TODO(task 4): Bind, workers, worker class, timeouts, JSON access log.
