"""A chapter run live in the reader's browser: JupyterLite with Pyodide, offline.

The built book is served on 127.0.0.1 and every request to another host is
aborted. The test follows chapter 4's "Run this chapter live" link, runs every
cell in Python compiled to WebAssembly, moves a widget slider with the arrow key
and sees the figure change, and types a cell that asks one of the chapter's
exercise checkers about a right and a wrong answer. Start-up times and bytes are
measured in benchmarks/live.py.
"""

from __future__ import annotations

import os
import re

import checks
import pytest
from test_lab import _changes_figure, _errors, _press_slider, _run_all, _wait_until_run

CHAPTER = "04-backprop-deltas"
#: Generous: on an idle 2-core machine the chapter runs in about a minute, but
#: Python in WebAssembly on a machine shared with other jobs is many times slower.
RUN_TIMEOUT_S = int(os.environ.get("LIVE_RUN_TIMEOUT", 600))
#: Exercise 4.3 (a kernel for which rot180(w) = w): a right, then a wrong answer.
ANSWERS = ("from cnnlib.exercises.ch04 import check_mixup_is_hidden as check; "
           "check([[1, 2, 1], [2, 5, 2], [1, 2, 1]]), "
           "check([[1, 2, 3], [4, 5, 6], [7, 8, 9]])")


#: True in the page once a code cell of ``nb`` runs or has run ("[*]" or "[n]").
_STARTED = (r"nb => [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            r".some(p => /\[(\*|\d+)\]/.test(p.innerText))")


def _run_all_until_started(page, nb, tries: int = 3) -> None:
    """Run All, again if no cell starts within a minute: a command given while
    the in-browser kernel is still starting can be lost."""
    for _ in range(tries):
        _run_all(page)
        try:
            page.wait_for_function(_STARTED, arg=nb.element_handle(), timeout=60000)
            return
        except Exception:  # nothing started: give the command again
            continue
    raise AssertionError(f"Run All started no cell in {tries} tries")


def _output_text(cell) -> str:
    return "\n".join(cell.locator(".jp-OutputArea-output").all_inner_texts())


@pytest.fixture
def live_page(browser, site, live_app):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    probe = checks.Probe((site.url,)).attach(page)
    yield page, probe
    context.close()


def test_chapter_runs_live_offline_with_keyboard_sliders_and_checkers(
        live_page, site, tmp_path):
    page, probe = live_page
    try:
        page.goto(f"{site.url}book/{CHAPTER}.html")
        button = page.locator("a.runlive-button")
        assert button.count() == 1, "no 'Run this chapter live' link on the page"
        button.click()
        page.wait_for_url(re.compile(rf"/live/notebooks/.*path={CHAPTER}\.ipynb"))
        nb = page.locator(".jp-Notebook").first
        nb.locator(".jp-Cell").first.wait_for(timeout=60000)
        _run_all_until_started(page, nb)
        _wait_until_run(nb, RUN_TIMEOUT_S)
        assert not _errors(nb), "\n\n".join(_errors(nb))

        # a figure, and a slider moved by the keyboard redraws it
        panel = nb.locator(".jp-OutputArea-output").filter(
            has=page.locator("img.widget-image")).first
        panel.scroll_into_view_if_needed()
        handle = panel.locator(".noUi-handle").first
        before = handle.get_attribute("aria-valuenow")
        assert _changes_figure(page, panel, lambda: _press_slider(page, handle)), (
            "the arrow key on a focused slider did not change the figure")
        assert handle.get_attribute("aria-valuenow") != before

        # answers typed by the reader: the checker judges both, it does not raise
        nb.locator(".jp-Cell").last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type(ANSWERS)
        page.keyboard.press("Shift+Enter")
        cell = nb.locator(".jp-CodeCell").filter(has_text="check_mixup_is_hidden").last
        cell.locator(".jp-OutputArea-output").last.wait_for(timeout=60000)
        page.wait_for_function(
            "c => c.innerText.includes('(True, False)')",
            arg=cell.element_handle(), timeout=60000)
        answer = _output_text(cell)
        assert "Traceback" not in answer, answer
        assert answer.index("Right.") < answer.index("Not yet."), answer

        assert not probe.external, f"requests to other hosts: {probe.external}"
    except Exception:
        shot = tmp_path / "failure-live.png"
        page.screenshot(path=str(shot))
        print(f"screenshot of the failure: {shot}")
        raise
