"""A learner's JupyterLab in a real headless Chromium (Debian's, driven by Playwright).

``learner_lab(home, student)`` starts ``jupyter lab`` as that learner (their HOME, their login
name: nbgrader submits as it) and yields a page logged in to it. The helpers act as a learner
does: menus, the *Assignments* panel, the notebook toolbar, a cell at a time.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page, sync_playwright
from production_stack import free_port, stop_group

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Generous: a busy machine may take long; nothing here measures speed.
WAIT_MS = int(os.environ.get("WORKBOOK_TEST_WAIT_MS", "300000"))
# Render every cell (JupyterLab renders only the visible ones by default).
NOTEBOOK_SETTINGS = "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"


def _lab_command(home: Path, port: int, token: str) -> list[str]:
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "jupyter"), "lab", "--no-browser", f"--port={port}"]
    command += ["--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    command += [f"--ServerApp.root_dir={home}"]
    return command + (["--allow-root"] if os.geteuid() == 0 else [])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("jupyter lab did not start")


@contextmanager
def _server(home: Path, student: str) -> Iterator[str]:
    """``jupyter lab`` run as ``student`` in ``home``; yields its URL with the token."""
    settings = home / ".jupyter" / "lab" / "user-settings" / NOTEBOOK_SETTINGS
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "HOME": str(home), "USER": student, "LOGNAME": student}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    log = (home / "jupyterlab.log").open("wb")
    server = subprocess.Popen(
        _lab_command(home, port, token),
        cwd=home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/api/status?token={token}", server)
        yield f"http://127.0.0.1:{port}/lab?token={token}"
    finally:
        stop_group(server, grace=30)
        log.close()


@contextmanager
def learner_lab(home: Path, student: str) -> Iterator[Page]:
    """A Chromium page on ``student``'s JupyterLab, loaded. A screenshot is left in ``home``
    if the block fails."""
    with _server(home, student) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(WAIT_MS)
        try:
            page.goto(url)
            page.wait_for_selector("#jp-main-dock-panel")
            yield page
        except BaseException:
            page.screenshot(path=str(home / "failure.png"))
            raise
        finally:
            browser.close()


def open_assignment_list(page: Page) -> None:
    """Nbgrader ▸ Assignment List, once it has listed the released and submitted stages."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.get_by_text("Assignment List", exact=True).click()
    for listing in ("released", "submitted"):
        page.locator(f"#{listing}_assignments_list_loading").wait_for(state="hidden")


def run_each_code_cell(page: Page, count: int) -> list[Locator]:
    """Run the open notebook's ``count`` code cells one by one, as a learner does (select it,
    Run ▸ Run Selected Cell and Do not Advance), each once the kernel has answered the one
    before; the cells."""
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    cells.nth(count - 1).wait_for()  # the whole notebook is shown
    done = []
    for index in range(count):
        cell = cells.nth(index)
        before = cell.locator(".jp-InputPrompt").inner_text()
        cell.locator(".jp-InputPrompt").click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").click()
        page.get_by_text("Run Selected Cell and Do not Advance", exact=True).click()
        page.wait_for_function(
            "([cell, before]) => {"
            " const prompt = cell.querySelector('.jp-InputPrompt').textContent;"
            " return /\\[\\d+\\]/.test(prompt) && prompt !== before; }",
            arg=[cell.element_handle(), before],
            timeout=WAIT_MS,
        )
        done.append(cell)
    return done
