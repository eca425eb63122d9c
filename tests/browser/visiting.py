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
    # live/ is the JupyterLite app (tests/browser/test_live.py drives it)
    skip = {"_static", "_sources", "_images", "_sphinx_design_static", "live"}
    return sorted(str(p.relative_to(html)) for p in html.rglob("*.html")
                  if not skip & set(p.relative_to(html).parts))


@dataclass
class PageReport:
    """What one visit to a page found; each list holds readable problems."""

    path: str
    network: list[str]
    math: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    alt: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    players: list[str] = field(default_factory=list)
    density: list[str] = field(default_factory=list)
    figure_text: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    weight: int = 0
    weight_parts: dict[str, int] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    has_math: bool = False
    n_players: int = 0
    #: CSS px of code shown without a click, and of the article (desktop visit)
    code_px: tuple[float, float] = (0.0, 0.0)
    phone: list[str] = field(default_factory=list)


def visit(browser, url: str, allowed: tuple[str, ...], *, axe: bool = True,
          html_file: Path | None = None, root: Path | None = None,
          base_url: str = "", phone: bool = False) -> PageReport:
    """Load one page and run every check on it (``phone``: the phone checks)."""
    if phone:
        return visit_phone(browser, url, allowed)
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
        n_players = page.locator(checks.PLAYER).count()
        density = checks.density_problems(page)
        text = checks.figure_text_problems(page, checks.MIN_FIGURE_TEXT_PX)
        code_px = checks.code_share(page)  # before the players open anything
        players = checks.player_problems(page)
        page.wait_for_load_state("networkidle")  # whatever the checks requested
        weight, parts = (checks.page_weight(html_file, probe.requested, base_url, root)
                         if html_file is not None else (0, {}))
        return PageReport(
            path=url, network=probe.problems(), math=math,
            images=checks.image_problems(page, images),
            alt=checks.alt_problems(page, images),
            captions=checks.caption_problems(page, images),
            players=players, density=density, figure_text=text, axe=a11y,
            weight=weight, weight_parts=parts, links=links, has_math=has_math,
            n_players=n_players, code_px=code_px)
    finally:
        context.close()


def visit_phone(browser, url: str, allowed: tuple[str, ...]) -> PageReport:
    """Load one page as a phone shows it (390 x 844 CSS px, touch, 2 device
    pixels per CSS px): no sideways scrolling (at 390 and at 360 px), figure
    text large enough, touch targets large enough, every control works by tap."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    probe = checks.Probe(allowed).attach(page)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        checks.math_problems(page)  # waits for MathJax, which changes widths
        problems = checks.overflow_problems(page)
        problems += checks.figure_text_problems(page, checks.MIN_PHONE_TEXT_PX)
        problems += checks.target_problems(page)
        problems += checks.touch_problems(page)
        problems += checks.live_button_problems(page)
        page.set_viewport_size({"width": 360, "height": 740})
        page.wait_for_function("document.documentElement.clientWidth <= 360",
                               timeout=5000)
        problems += [f"at 360 px: {p}" for p in checks.overflow_problems(page)]
        problems += [f"at 360 px: {p}" for p in
                     checks.figure_text_problems(page, checks.MIN_PHONE_TEXT_PX)]
        return PageReport(path=url, network=probe.problems(), phone=problems,
                          n_players=page.locator(checks.PLAYER).count())
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
