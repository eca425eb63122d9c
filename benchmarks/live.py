"""Start-up of a chapter run live in the browser (JupyterLite + Pyodide), measured.

Serves the built book (``_build/html``, or ``--html``) on 127.0.0.1 with every
other host unreachable (Chromium resolves no other name; Playwright's request
interception is not used, as it would turn the browser's cache off), opens a
chapter's live notebook in headless Chromium, runs all its cells and presses
the arrow key on the first slider until the figure changes. Twice: *cold* (a
new browser profile on disk: nothing cached) and *warm* (the same profile again,
as a reader's second visit; an incognito context's memory cache would drop the
large files).

For each it records the bytes the server sent (counted by the server itself,
so the web worker's downloads count too; a 304 "not modified" sends none), the
seconds from opening the page to the first figure, and to the first working
slider: the first slider whose arrow key changed the figure (after "Run all",
so the kernel has run every cell before it). Writes the ``live`` entry of
benchmarks/results.json (other entries are kept); the performance appendix
reports it. Budgets (issue 12): slider cold <= 60 s, warm <= 15 s; <= 60 MB.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import checks  # noqa: E402
from results_file import finish  # noqa: E402  (benchmarks/, beside this file)

BUDGETS = {"cold_slider_s": 60.0, "warm_slider_s": 15.0, "megabytes": 60.0}
CHAPTER = "04-backprop-deltas"
#: No host name but 127.0.0.1 resolves: the browser cannot reach another host.
OFFLINE_ARGS = [*checks.CHROMIUM_ARGS,
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files and adds the body bytes of each response to ``sent``."""

    sent = [0]

    def log_message(self, *args):
        pass

    def copyfile(self, source, outputfile):
        before = source.tell()
        super().copyfile(source, outputfile)
        self.sent[0] += source.tell() - before


def _serve(root: Path):
    handler = functools.partial(_CountingHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def _wait(page, predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(100)
    raise TimeoutError(f"{what}: not within {timeout_s} s")


def one_start(context, base: str, chapter: str, timeout_s: float) -> dict:
    """Open the live chapter in ``context`` and time figure and slider."""
    page = context.new_page()
    page.set_default_timeout(timeout_s * 1000)  # a loaded machine is slow to click
    external = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:"))
            else external.append(r.url))
    _CountingHandler.sent[0] = 0
    t0 = time.monotonic()
    page.goto(f"{base}live/notebooks/index.html?path={chapter}.ipynb")
    nb = page.locator(".jp-Notebook").first
    nb.locator(".jp-Cell").first.wait_for(timeout=timeout_s * 1000)
    opened = time.monotonic() - t0
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    figure = nb.locator(".jp-OutputArea-output img").first
    figure.wait_for(timeout=timeout_s * 1000)
    first_figure = time.monotonic() - t0
    handle = nb.locator(".noUi-handle").first
    handle.wait_for(timeout=timeout_s * 1000)
    image = nb.locator(".jp-OutputArea-output").filter(
        has=page.locator(".noUi-handle")).first.locator("img.widget-image").first
    before = image.get_attribute("src")
    handle.focus()
    page.keyboard.press("ArrowRight")
    _wait(page, lambda: image.get_attribute("src") != before,
          timeout_s - (time.monotonic() - t0), "the slider's figure")
    first_slider = time.monotonic() - t0
    page.close()
    if external:
        raise RuntimeError(f"requests to other hosts: {external}")
    return {"opened_s": round(opened, 2), "first_figure_s": round(first_figure, 2),
            "first_slider_s": round(first_slider, 2), "bytes": _CountingHandler.sent[0]}


def measure(html: Path, chapter: str, timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    httpd, base = _serve(html)
    try:
        with sync_playwright() as p:
            exe = checks.chromium_executable()
            with tempfile.TemporaryDirectory(prefix="live-profile-") as profile:
                context = p.chromium.launch_persistent_context(
                    profile, executable_path=exe, args=OFFLINE_ARGS,
                    viewport={"width": 1400, "height": 1000})
                cold = one_start(context, base, chapter, timeout_s)
                warm = one_start(context, base, chapter, timeout_s)
                context.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    version = subprocess.run([exe, "--version"], capture_output=True,
                             text=True).stdout.strip()
    return {"chapter": f"book/{chapter}.ipynb", "cold": cold, "warm": warm,
            "budgets": BUDGETS, "browser": f"{version} (headless)",
            "cores": os.cpu_count(),
            "load_average_at_start": [round(v, 2) for v in os.getloadavg()],
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds"),
            "pyodide": _pyodide_version(html)}


def _pyodide_version(html: Path) -> str:
    lock = html / "live" / "static" / "pyodide" / "pyodide-lock.json"
    info = json.loads(lock.read_text())["info"]
    return f"Pyodide {info['version']} (Python {info['python']})"


def verdicts(live: dict) -> list[str]:
    """One line a budget: the measured value, the budget, met or missed."""
    b = live["budgets"]
    rows = [("first working slider, cold", live["cold"]["first_slider_s"],
             b["cold_slider_s"], "s"),
            ("first working slider, warm", live["warm"]["first_slider_s"],
             b["warm_slider_s"], "s"),
            ("transferred on the first start", live["cold"]["bytes"] / 1e6,
             b["megabytes"], "MB")]
    return [f"{what}: {value:.1f} {unit} (budget {limit:.0f} {unit}: "
            f"{'met' if value <= limit else 'MISSED'})"
            for what, value, limit, unit in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--chapter", default=CHAPTER)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    if not (args.html / "live" / "notebooks" / "index.html").is_file():
        print(f"no live app in {args.html}: run 'make book' (with 'make live' "
              "able to fetch its packages) first", file=sys.stderr)
        return 1
    live = measure(args.html, args.chapter, args.timeout)
    live["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                    capture_output=True, text=True,
                                    cwd=ROOT).stdout.strip()
    return finish("\n".join([json.dumps(live, indent=2), *verdicts(live)]),
                  {"live": live}, args.no_save)


if __name__ == "__main__":
    raise SystemExit(main())
