"""Live widgets in a real JupyterLab: run a notebook, move a slider with the
keyboard, and see the figure change.

The test starts JupyterLab on 127.0.0.1 (a free port, a token) over a temporary
copy of the book, so nothing it runs or saves touches the repository. It drives
every chapter notebook that builds a widget panel (a code cell calling
``interactive(``) and a tiny fixture notebook of its own, which proves the
machinery whatever the chapters hold.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import checks
import pytest
from labserver import LabDidNotStart, running_lab

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
RUN_TIMEOUT_S = int(os.environ.get('LAB_RUN_TIMEOUT', 240))


def widget_notebooks(folder: Path) -> list[Path]:
    """Notebooks in ``folder`` with a code cell that calls ``interactive(``."""
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            source = "".join(cell.get("source", []))
            if cell.get("cell_type") == "code" and re.search(r"\binteractive\(", source):
                found.append(path)
                break
    return found


NOTEBOOKS = ([f"fixtures/{p.name}" for p in widget_notebooks(FIXTURES)]
             + [f"book/{p.name}" for p in widget_notebooks(REPO / "book")])


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    """A JupyterLab server on 127.0.0.1 over a temporary copy of the book."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "root"
    ignore = shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__")
    shutil.copytree(REPO / "book", root / "book", ignore=ignore)
    if (REPO / "benchmarks").is_dir():  # read by a chapter appendix
        shutil.copytree(REPO / "benchmarks", root / "benchmarks", ignore=ignore)
    shutil.copytree(FIXTURES, root / "fixtures", ignore=ignore)
    try:
        with running_lab(root, tmp) as server:
            yield server
    except LabDidNotStart as err:
        pytest.fail(str(err))


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    # if the kernel was not connected yet, Lab asks which one to start
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select")
    try:
        select.wait_for(timeout=2000)
        select.click()
    except Exception:  # no dialog: the kernel was already there
        pass


def _wait_until_run(notebook, timeout_s: int) -> None:
    """Until every code cell shows an execution count (none is pending)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        notebook.page.wait_for_function(
            """nb => {
                const p = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                return p.length > 0 && p.every(e => /\\[\\d+\\]/.test(e.innerText));
            }""", arg=notebook.element_handle(), timeout=timeout_s * 1000,
            polling=500)
    except PlaywrightTimeout:
        raise AssertionError(
            f"the notebook did not finish running in {timeout_s} s") from None


def _errors(notebook) -> list[str]:
    out = []
    for sel in ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]',
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'):
        for text in notebook.locator(sel).all_inner_texts():
            if "Traceback" in text or "Error" in text:
                out.append(text[-600:])
    return out


def _changes_figure(page, panel, act) -> bool:
    before = checks.shown_src(panel)
    assert before, "the panel shows no picture"
    act()
    return checks.wait_for_new_picture(page, panel, before, 5000)


def _press_slider(page, handle) -> None:
    handle.focus()
    now = float(handle.get_attribute("aria-valuenow") or 0)
    top = float(handle.get_attribute("aria-valuemax") or now + 1)
    page.keyboard.press("ArrowRight" if now < top else "ArrowLeft")


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebook with a widget panel")
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_widget_sliders_redraw_the_figure_in_jupyterlab(browser, lab, notebook):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    probe = checks.Probe((lab["base"],)).attach(page)
    try:
        # ?reset: a fresh workspace, so this notebook is the only tab
        page.goto(f"{lab['base']}lab/tree/{notebook}?reset&token={lab['token']}")
        nb = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
        nb.locator(".jp-Cell").first.wait_for(timeout=60000)
        # the kernel has started and is idle (status bar: "Python 3 (...) | Idle")
        page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")).first \
            .wait_for(timeout=90000)
        _run_all(page)
        _wait_until_run(nb, RUN_TIMEOUT_S)
        assert not _errors(nb), "\n\n".join(_errors(nb))

        panels = nb.locator(".jp-OutputArea-output").filter(
            has=page.locator("img.widget-image"))
        assert panels.count() >= 1, "no widget panel with an image was displayed"
        for k in range(panels.count()):
            panel = panels.nth(k)
            panel.scroll_into_view_if_needed()
            # one picture shown; the tabs that hold pictures made up front
            # show no tab bar (the controls choose the picture)
            assert panel.locator("img.widget-image:visible").count() == 1
            assert panel.locator(".lm-TabBar:visible").count() == 0
            sliders = panel.locator(".noUi-handle")
            toggles = panel.locator(".widget-toggle-button:not(.mod-active)")
            assert sliders.count() or toggles.count(), f"panel {k + 1} has no control"
            for s in range(sliders.count()):
                handle = sliders.nth(s)

                def move(h=handle):
                    _press_slider(page, h)

                assert _changes_figure(page, panel, move), (
                    f"{notebook}: panel {k + 1}, slider {s + 1}: the arrow key did "
                    f"not change the figure")
            if not sliders.count():
                button = toggles.first

                def toggle(b=button):
                    b.focus()
                    page.keyboard.press("Space")

                assert _changes_figure(page, panel, toggle), (
                    f"{notebook}: panel {k + 1}: a toggle did not change the figure")
        assert not _errors(nb), "\n\n".join(_errors(nb))
        assert not probe.external, f"JupyterLab requested other hosts: {probe.external}"
    except Exception:
        shot = Path(lab["root"]).parent / f"failure-{Path(notebook).stem}.png"
        page.screenshot(path=str(shot))
        print(f"screenshot of the failure: {shot}")
        raise
    finally:
        context.close()
