"""``workbook feedback --out DIR``: one self-contained page per learner, checked in a real
headless Chromium (Debian's, through Playwright): it renders, it fetches nothing, it runs
no learner's markup, and it shows no hidden test."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import Run, copy_project, full_marks
from jupyterlab import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

HOSTILE = '<img src=x onerror="window.pwned=1">eve'


def _graded_cohort(workbook: Run, projects: Path, tmp_path: Path) -> None:
    cohort = tmp_path / "cohort"
    copy_project(projects, "02_blueprints", "reference", cohort / "ada")
    copy_project(projects, "02_blueprints", "skeleton", cohort / "bob")
    eve = copy_project(projects, "02_blueprints", "reference", cohort / HOSTILE)
    health = eve / "app/health.py"
    health.write_text(health.read_text().replace('"ok"', '"fine"'))  # a regression
    assert workbook("grade", str(cohort), "--stage", "2").returncode == 0


def test_feedback_pages_render_offline_with_scores_sentences_and_no_hidden_test(
    workbook: Run, projects: Path, tmp_path: Path
) -> None:
    _graded_cohort(workbook, projects, tmp_path)
    result = workbook("feedback", "--out", "pages")
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "pages").glob("*.html"))
    assert len(pages) == 3, pages
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", p.name) for p in pages)
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.on("request", lambda request: requests.append(request.url))
        texts = {}
        for path in pages:
            page.goto(path.as_uri())
            texts[path.name] = page.inner_text("body")
            assert page.evaluate("window.pwned") is None, "a learner's markup ran"
        shot = tmp_path / "bob.png"
        page.goto(next(p for p in pages if p.name.startswith("bob-")).as_uri())
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    fetched = set(requests) - {p.as_uri() for p in pages}
    assert not fetched, f"a page fetched {sorted(fetched)[:3]}"
    ada = next(t for n, t in texts.items() if n.startswith("ada-"))
    bob = next(t for n, t in texts.items() if n.startswith("bob-"))
    eve = next(t for n, t in texts.items() if n.startswith("img-"))
    full = f"{full_marks('02_blueprints'):g}"
    assert f"02_blueprints: {full} / {full} points" in ada and "What to fix" not in ada
    assert f"02_blueprints: 0 / {full} points" in bob and "What to fix" in bob
    assert HOSTILE in eve, "the learner's name is not shown as text"
    assert "Earlier stages that no longer pass" in eve
    for text in texts.values():
        assert not re.search(r"test_\w+|::", text), "a hidden test's name is on a page"
        assert "assert " not in text
    assert shot.stat().st_size > 10_000, "the screenshot is blank"
