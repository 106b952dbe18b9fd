"""Gunicorn's settings: ``gunicorn -c gunicorn.conf.py "app:create_app('production')"``.

Every value can be changed at deploy time through the environment, none in this file.
"""

from __future__ import annotations

import os

# BEGIN SOLUTION (task 4): Bind, workers, worker class, timeouts, JSON access log.
# PORT: where Nginx (or the platform's router) sends requests.
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# One worker per CPU this process may use (what `nproc` prints); WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
# sync for CPU-bound work; gevent when requests mostly wait on the network.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# On SIGTERM, requests in flight get this long to finish before workers are killed.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "30"))
timeout = 60

# One JSON object per request on stdout, formatted by python-json-logger.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(name)s %(levelname)s %(message)s",
        }
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    # Replaces Gunicorn's own handlers, so the root logger needs one of these.
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}
# END SOLUTION
