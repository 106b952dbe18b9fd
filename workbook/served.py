"""What the live stack's Gunicorn serves: the learner's production app, the grader's probe
routes (a slow request for the graceful-shutdown check), and in front of the app a path it
never sees: what Gunicorn logs for that one is the access log alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app import create_app
from workbook.apphost import add_probe_routes

ACCESS_PROBE = "/__grader__/access-probe"

app = create_app("production")
add_probe_routes(app)
_wsgi = app.wsgi_app


def _outside_the_app(
    environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == ACCESS_PROBE:
        start_response("204 No Content", [])
        return [b""]
    return _wsgi(environ, start_response)


app.wsgi_app = _outside_the_app
