"""Live widgets in JupyterLab: how long from a key press to the new figure?

Run from the repository root (``make bench`` does, after bench.py):

    .venv/bin/python benchmarks/live_latency.py            # every drawing
    .venv/bin/python benchmarks/live_latency.py --presses 10 --no-save

The script writes a notebook that shows every drawing of ``cnnlib.viz`` as a
live panel (``interactive(cls.example())``), starts a real JupyterLab on
127.0.0.1 (the launcher of the browser tests), opens the notebook in headless
Chromium driven by Playwright, runs it, and then, for every panel, presses an
arrow key on each slider (or Space on an option button) again and again. In the
page, the time of the ``keydown`` is taken, and then the time at which the
panel's image holds a new picture that the browser has decoded
(``img.decode()`` after its ``src`` changed or a new image replaced it): the
whole path of one step, from the key to the screen. A panel of a drawing with
few states switches between pictures made up front, in the page; any other
goes through the kernel (update, draw, PNG) and the websocket back.
JupyterLab runs with the book's kernel connection (:mod:`cnnlib.lab`, as
``make lab`` starts it). Then the whole run is repeated as the reference,
every step redrawn by the kernel with JupyterLab's default connection, and the
ratio of the two medians is stored. The medians are stored in
benchmarks/results.json under ``live_latency``, beside the target.

This is a measurement, never a test: nothing here fails a build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import checks  # noqa: E402  (tests/browser: finding Chromium)
from labserver import running_lab  # noqa: E402
from results_file import finish  # noqa: E402  (benchmarks/, beside this file)

TARGET_MS = 50.0

#: In the page: remember when a key goes down or a button is pressed, and push
#: the time from then until the image shows a decoded new picture.
_WATCH = """(root) => {
  window.__lat = [];
  window.__t0 = null;
  const mark = () => { window.__t0 = performance.now(); };
  document.addEventListener('keydown', mark, true);
  document.addEventListener('pointerdown', mark, true);
  // the panel's picture: the image shown (a panel whose pictures are made up
  // front keeps them all in the page and hides all but one)
  const shown = () => [...root.querySelectorAll('img.widget-image')]
    .find((img) => img.offsetParent !== null);
  let last = shown() && shown().src;
  new MutationObserver(() => {
    const img = shown();
    if (!img || img.src === last) return;
    last = img.src;
    const t0 = window.__t0;
    img.decode().then(() => {
      if (t0 !== null) window.__lat.push(performance.now() - t0);
    }).catch(() => {});
  }).observe(root, {subtree: true, childList: true, attributes: true,
                    attributeFilter: ['src', 'class']});
}"""


def _notebook(classes, reference: bool) -> dict:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [],
              "execution_count": None,
              "source": "from cnnlib.viz import all_drawings\n"
                        "from cnnlib.widgets import interactive\n"
                        "drawings = {c.__name__: c for c in all_drawings()}"}]
    for cls in classes:
        cells.append({"cell_type": "code", "metadata": {}, "outputs": [],
                      "execution_count": None,
                      "source": f"interactive(drawings[{cls.__name__!r}].example()"
                                + (", precompute=False)" if reference else ")")})
    return {"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}


def _wait_for_new_sample(page, n_before: int, timeout_ms: int = 5000) -> bool:
    try:
        page.wait_for_function(f"window.__lat.length > {n_before}",
                               timeout=timeout_ms)
        return True
    except Exception:  # no new picture within the timeout
        return False


def _measure_panel(page, panel, presses: int) -> dict:
    panel.evaluate(_WATCH)
    sliders = panel.locator(".noUi-handle")
    toggles = panel.locator(".widget-toggle-button")
    missed = 0
    for s in range(sliders.count()):
        handle = sliders.nth(s)
        handle.focus()
        lo = float(handle.get_attribute("aria-valuemin") or 0)
        hi = float(handle.get_attribute("aria-valuemax") or 0)
        key = "ArrowRight"
        for _ in range(presses):
            now = float(handle.get_attribute("aria-valuenow") or 0)
            if now >= hi:
                key = "ArrowLeft"
            elif now <= lo:
                key = "ArrowRight"
            n = page.evaluate("window.__lat.length")
            page.keyboard.press(key)
            missed += not _wait_for_new_sample(page, n)
    if toggles.count() > 1:
        for k in range(presses):
            button = toggles.nth(k % toggles.count())
            if "mod-active" in (button.get_attribute("class") or ""):
                button = toggles.nth((k + 1) % toggles.count())
            n = page.evaluate("window.__lat.length")
            button.click()
            missed += not _wait_for_new_sample(page, n)
    samples = page.evaluate("window.__lat")
    return {"samples_ms": [round(v, 1) for v in samples], "missed": missed,
            "control": " and ".join(
                c for c, n in (("slider (arrow key)", sliders.count()),
                               ("option button", toggles.count() > 1)) if n)}


def _run(presses: int, reference: bool) -> list[dict]:
    """One JupyterLab, every drawing's panel: a row per drawing. The book's
    way (``make lab``'s kernel connection, ``interactive``'s defaults) or the
    reference (JupyterLab's default connection, the kernel redrawing every
    step)."""
    from playwright.sync_api import sync_playwright

    from cnnlib.viz import all_drawings

    classes = all_drawings()
    chromium = checks.chromium_executable()
    if not chromium:
        raise SystemExit("no Chromium found (apt-get install chromium)")
    rows = []
    label = "reference" if reference else "book"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = tmp / "root"
        root.mkdir()
        (root / "latency.ipynb").write_text(json.dumps(_notebook(classes, reference)))
        with running_lab(root, tmp, quick_connection=not reference) as lab, \
                sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium,
                                        args=checks.CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab['base']}lab/tree/latency.ipynb?reset&token={lab['token']}")
            nb = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
            nb.locator(".jp-Cell").first.wait_for(timeout=60000)
            page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")) \
                .first.wait_for(timeout=90000)
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
            panels = nb.locator(".jp-OutputArea-output").filter(
                has=page.locator("img.widget-image"))
            panels.nth(len(classes) - 1).wait_for(timeout=240000)
            for k, cls in enumerate(classes):
                panel = panels.nth(k)
                panel.scroll_into_view_if_needed()
                row = _measure_panel(page, panel, presses)
                row["drawing"] = f"{cls.__module__}.{cls.__name__}"
                row["path"] = "kernel" if reference or not _switched(cls) else "page"
                s = row["samples_ms"]
                row["median_ms"] = statistics.median(s) if s else None
                rows.append(row)
                print(f"{label} ({row['path']}): {row['drawing']:40s} median "
                      f"{row['median_ms'] or 0:7.1f} ms over {len(s)} steps "
                      f"({row['control']}, missed {row['missed']})")
            browser.close()
    return rows


def _switched(cls) -> bool:
    """Whether ``interactive`` makes this drawing's pictures up front and the
    page switches them (else the kernel redraws on every step)."""
    from cnnlib.widgets import interactive

    return bool(interactive(cls.example()).links)


def _median(rows: list[dict]) -> float | None:
    everything = [v for r in rows for v in r["samples_ms"]]
    return statistics.median(everything) if everything else None


def measure(presses: int) -> dict:
    """The book's panels in the book's lab and, in the same run, the
    reference: JupyterLab's default kernel connection, the kernel redrawing
    the figure on every step."""
    rows = _run(presses, reference=False)
    load = [round(v, 2) for v in os.getloadavg()]
    reference = _run(presses, reference=True)
    median, ref_median = _median(rows), _median(reference)
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "median_ms": median,
        "target_ms": TARGET_MS,
        "reference": {"rows": reference, "median_ms": ref_median,
                      "what": ("JupyterLab's default kernel connection (Nagle on), "
                               "the kernel redrawing every step"),
                      "load_average": [round(v, 2) for v in os.getloadavg()]},
        "ratio": (median / ref_median) if median and ref_median else None,
        "cores": os.cpu_count(),
        "load_average": load,
        "note": ("key press (or button press) in JupyterLab, headless Chromium, to "
                 "the panel's image showing the new, decoded picture; medians over "
                 "all steps of all drawings; the book's panels (pictures switched "
                 "in the page where a drawing has at most PRECOMPUTE_LIMIT states, "
                 "else redrawn by the kernel) in JupyterLab with the book's kernel "
                 "connection (cnnlib.lab, as make lab starts it); the reference: "
                 "every step redrawn by the kernel, JupyterLab's default "
                 "connection"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=12,
                        help="key presses per control")
    parser.add_argument("--no-save", action="store_true",
                        help="print only; leave benchmarks/results.json alone")
    args = parser.parse_args(argv)
    result = measure(args.presses)
    return finish(f"all drawings: median {result['median_ms']:.1f} ms "
                  f"(target <= {TARGET_MS:.0f} ms); reference (kernel redraws, "
                  f"default connection) {result['reference']['median_ms']:.1f} ms, "
                  f"ratio {result['ratio']:.2f}", {"live_latency": result},
                  args.no_save)


if __name__ == "__main__":
    raise SystemExit(main())
