"""The floor for the caching benchmark: a bare Flask hello-world under the same Gunicorn."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Hello."""
    return "hello"
