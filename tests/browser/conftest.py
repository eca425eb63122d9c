"""Fixtures of the browser tests: Chromium, the built book served locally,
and one visit to every page whose findings the tests then assert on.

Without Chromium (or the Playwright driver) these tests skip with a message;
with CI=true they fail instead, so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import checks  # noqa: E402
from visiting import PageReport, book_pages, serve, visit_all  # noqa: E402

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


def _workers() -> int:
    return max(1, int(os.environ.get("BROWSER_WORKERS", "2")))


@pytest.fixture(scope="session")
def page_reports(chromium_path, browser, site, built_html) -> dict:
    """Every page of the book visited three times, by two browsers in parallel:
    over HTTP with every check, from disk (file://) with every other request
    aborted (the book as read on a plane; no axe there), and over HTTP as a
    phone (390 x 844, touch)."""
    pages = sorted(book_pages(built_html),  # heaviest first, to balance the load
                   key=lambda rel: -(built_html / rel).stat().st_size)
    jobs = {}
    for rel in pages:
        jobs["served", rel] = dict(url=site.url + rel, allowed=(site.url,),
                                   html_file=site.root / rel, root=site.root,
                                   base_url=site.url)
        jobs["file", rel] = dict(url=(built_html / rel).as_uri(),
                                 allowed=("file://",), axe=False)
        jobs["phone", rel] = dict(url=site.url + rel, allowed=(site.url,), phone=True)
    return visit_all(jobs, chromium_path, workers=_workers())


@pytest.fixture(scope="session")
def served_reports(page_reports) -> dict[str, PageReport]:
    return {rel: r for (mode, rel), r in sorted(page_reports.items())
            if mode == "served"}


@pytest.fixture(scope="session")
def file_reports(page_reports) -> dict[str, PageReport]:
    return {rel: r for (mode, rel), r in sorted(page_reports.items())
            if mode == "file"}


@pytest.fixture(scope="session")
def phone_reports(page_reports) -> dict[str, PageReport]:
    return {rel: r for (mode, rel), r in sorted(page_reports.items())
            if mode == "phone"}


@pytest.fixture(scope="session")
def live_app(built_html) -> Path:
    """The live app (JupyterLite) inside the built book, or a skip saying why.

    It is left out of the build when its Pyodide packages could not be fetched
    (book/_ext/runlive.py); CI must have it, so there this is a failure.
    """
    app = built_html / "live"
    if not (app / "notebooks" / "index.html").is_file():
        message = ("the book was built without its live version: the pinned Pyodide "
                   "packages were not fetched ('make live' says why)")
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return app
