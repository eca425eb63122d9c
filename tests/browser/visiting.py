"""Serve a folder on 127.0.0.1 and visit a page with every check of checks.py."""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path

import checks


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
        page.wait_for_load_state("networkidle")  # whatever the checks requested
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


def visit_all(jobs: dict, chromium_path: str, workers: int = 2) -> dict:
    """``visit(browser, **kwargs)`` for every ``key: kwargs`` of ``jobs``, in
    ``workers`` threads, each with its own Playwright and Chromium (the sync API
    is one per thread). Pages are independent, and most of a visit is spent in
    the browser (MathJax, axe), so two browsers use two cores."""
    from playwright.sync_api import sync_playwright

    pending = list(jobs.items())
    results: dict = {}
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work():
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_path,
                                            args=checks.CHROMIUM_ARGS)
                try:
                    while not failures:
                        with lock:
                            if not pending:
                                return
                            key, kwargs = pending.pop(0)
                        results[key] = visit(browser, **kwargs)
                finally:
                    browser.close()
        except BaseException as err:  # re-raised in the calling thread
            failures.append(err)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return {key: results[key] for key in jobs}
