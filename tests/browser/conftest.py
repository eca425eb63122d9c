"""Fixtures of the browser tests: Chromium, the built book served locally,
and one visit to every page whose findings the tests then assert on.

Without Chromium (or the Playwright driver) these tests skip with a message;
with CI=true they fail instead, so CI cannot pass without running them.
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import checks  # noqa: E402

# the fixture notebook is driven by test_lab.py, not run by nbval
collect_ignore_glob = ["fixtures/*"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _unavailable(reason: str):
    message = (f"browser tests need Debian's Chromium and Playwright for Python: "
               f"{reason}. Install them with 'apt-get install chromium' and "
               f"'pip install -r requirements.txt' (CI=true makes this a failure).")
    if _in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = checks.chromium_executable()
    if not path:
        _unavailable("no chromium executable found (set CHROMIUM to its path)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        _unavailable(f"cannot import playwright ({err})")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=chromium_path,
                                  args=checks.CHROMIUM_ARGS)
        except Exception as err:  # a broken install must not pass silently
            _unavailable(f"Chromium at {chromium_path} did not start ({err})")
        yield b
        b.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class Server:
    root: Path
    url: str  # "http://127.0.0.1:PORT/"
    _httpd: http.server.ThreadingHTTPServer = field(repr=False)

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


def serve(root: Path) -> Server:
    """Serve ``root`` on 127.0.0.1 on a free port, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return Server(root, f"http://127.0.0.1:{httpd.server_address[1]}/", httpd)


@pytest.fixture(scope="session")
def built_html(browser, book_build) -> Path:
    """The built book's HTML folder (the browser is checked first: it is cheap)."""
    assert book_build.returncode == 0, (
        "the book did not build:\n" + book_build.log[-3000:])
    return book_build.html


@pytest.fixture(scope="session")
def site(built_html):
    server = serve(built_html)
    yield server
    server.close()


def book_pages(html: Path) -> list[str]:
    """Every page of the built book, relative to its HTML folder."""
    skip = {"_static", "_sources", "_images", "_sphinx_design_static"}
    return sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                  if not skip & set(p.relative_to(html).parts))


@dataclass
class PageReport:
    """What one visit to a page found; each list holds readable problems."""

    path: str
    network: list[str]
    math: list[str]
    images: list[str]
    alt: list[str]
    captions: list[str]
    animations: list[str]
    axe: list[str]
    weight: int
    weight_parts: dict[str, int]
    links: list[str]
    has_math: bool
    n_animations: int


def visit(browser, url: str, allowed: tuple[str, ...], *, axe: bool = True,
          html_file: Path | None = None, root: Path | None = None,
          base_url: str = "") -> PageReport:
    """Load one page and run every check on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    probe = checks.Probe(allowed).attach(page)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        math = checks.math_problems(page)
        has_math = page.locator(".math").count() > 0
        images = checks.image_info(page)
        links = checks.collect_links(page)
        a11y = checks.axe_problems(page) if axe else []
        n_anim = page.locator("div.animation").count()
        animations = checks.animation_problems(page)
        page.wait_for_timeout(100)
        weight, parts = (checks.page_weight(html_file, probe.requested, base_url, root)
                         if html_file is not None else (0, {}))
        return PageReport(
            path=url, network=probe.problems(), math=math,
            images=checks.image_problems(page, images),
            alt=checks.alt_problems(page, images),
            captions=checks.caption_problems(page, images),
            animations=animations, axe=a11y, weight=weight, weight_parts=parts,
            links=links, has_math=has_math, n_animations=n_anim)
    finally:
        context.close()


@pytest.fixture(scope="session")
def served_reports(browser, site) -> dict[str, PageReport]:
    """Every page of the book, visited once over HTTP, with every check."""
    reports = {}
    for rel in book_pages(site.root):
        reports[rel] = visit(browser, site.url + rel, (site.url,),
                             html_file=site.root / rel, root=site.root,
                             base_url=site.url)
    return reports


@pytest.fixture(scope="session")
def file_reports(browser, built_html) -> dict[str, PageReport]:
    """Every page opened from disk (file://) with every other request aborted:
    the book as read on a plane."""
    reports = {}
    for rel in book_pages(built_html):
        reports[rel] = visit(browser, (built_html / rel).as_uri(), ("file://",),
                             axe=False)
    return reports
