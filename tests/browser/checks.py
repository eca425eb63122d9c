"""Checks of a rendered page, as plain functions.

Each check takes a Playwright page (or what was recorded while it loaded) and
returns a list of problems, one readable string each; an empty list means the
page passed. Keeping them plain functions lets a test point them at a
deliberately broken page and see that they catch what they should
(tests/browser/test_checks.py).
"""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

#: Debian's Chromium (Playwright's own browser download is not possible here).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Flags for a quiet, offline, headless Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The most a page may weigh on its own: its HTML (with the animations embedded
#: in it) and the images it shows; see own_weight.
MAX_PAGE_BYTES = 3_000_000
#: Files every page shares (theme, MathJax, fonts): cached after the first page.
SHARED_PREFIX = "/_static/"
#: axe-core impact levels that fail a page.
FAILING_IMPACTS = ("critical", "serious")


def chromium_executable() -> str | None:
    """The Chromium binary to drive: $CHROMIUM, else Debian's, else None."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env if Path(env).is_file() else shutil.which(env)
    for path in CHROMIUM_CANDIDATES:
        if Path(path).is_file():
            return path
    return shutil.which("chromium")


# --------------------------------------------------------------------------
# Network and console: record while the page loads


@dataclass
class Probe:
    """Watches one page: console errors, failed and third-party requests.

    Every request that does not go to ``allowed`` (URL prefixes, e.g. the
    local server's origin or ``file://``) is aborted and recorded: the book
    must load nothing from other hosts. ``data:`` and ``blob:`` URLs are part
    of the page itself.
    """

    allowed: tuple[str, ...]
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)

    def attach(self, page) -> Probe:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", lambda r: self.failed.append(
            f"{r.url} ({r.failure})"))
        page.on("response", self._on_response)
        page.route("**/*", self._route)
        return self

    def is_allowed(self, url: str) -> bool:
        return url.startswith(("data:", "blob:", "about:", *self.allowed))

    def _on_console(self, msg) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _on_response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _route(self, route) -> None:
        url = route.request.url
        if self.is_allowed(url):
            self.requested.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        out = [f"request to another host: {u}" for u in self.external]
        out += [f"failed request: {u}" for u in self.failed]
        out += [f"console error: {m}" for m in self.console_errors]
        return out


# --------------------------------------------------------------------------
# Maths

_MATH_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    try { await MathJax.startup.promise; } catch (e) { }
  }
  const root = document.querySelector('main') || document.body;
  const math = [...root.querySelectorAll('.math')];
  const clone = root.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, textarea, mjx-container, '
                         + 'mjx-assistive-mml, .highlight').forEach(e => e.remove());
  return {
    mathjax: !!(window.MathJax && MathJax.version),
    containers: root.querySelectorAll('mjx-container').length,
    untypeset: math.filter(e => !e.querySelector('mjx-container'))
                   .map(e => e.textContent.trim().slice(0, 80)),
    text: clone.innerText || clone.textContent,
  };
}"""

#: TeX that should never be visible as text: delimiters and environments.
RAW_TEX = [
    (re.compile(r"\$\$"), "$$"),
    (re.compile(r"\\\["), "\\["),
    (re.compile(r"\\\("), "\\("),
    (re.compile(r"\\begin\{"), "\\begin{"),
    (re.compile(r"\$[^$\n]{0,80}?\\[A-Za-z]+[^$\n]{0,80}?\$"), "$...\\command...$"),
    (re.compile(r"\$[^$\s]{1,40}[_^][^$\s]{1,40}\$"), "$x^y$"),
]


def math_problems(page) -> list[str]:
    """Maths on the page is typeset by MathJax and no raw TeX is visible.

    Text inside code (``pre``/``code``) is not checked: code may hold TeX.
    """
    info = page.evaluate(_MATH_JS)
    out = []
    for text in info["untypeset"][:5]:
        out.append(f"maths not typeset: {text!r}")
    if info["untypeset"] and not info["mathjax"]:
        out.append("the page has maths but MathJax did not load")
    for pattern, label in RAW_TEX:
        m = pattern.search(info["text"])
        if m:
            start = max(0, m.start() - 30)
            out.append(f"raw TeX {label} visible: {info['text'][start:m.end() + 30]!r}")
    return out


# --------------------------------------------------------------------------
# Images, alt text, captions

_IMAGES_JS = """async () => {
  const imgs = [...document.images];
  imgs.forEach(i => { i.loading = 'eager'; });
  await Promise.all(imgs.map(i => i.complete ? null :
    new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r);
                       setTimeout(r, 5000); })));
  return imgs.map(i => {
    const fig = i.closest('figure');
    const cap = fig && fig.querySelector('figcaption');
    return {
      src: (i.currentSrc || i.src || '').slice(0, 100),
      width: i.naturalWidth,
      alt: i.getAttribute('alt'),
      content: !!i.closest('main'),
      caption: cap ? cap.textContent.trim() : null,
    };
  });
}"""


def image_info(page) -> list[dict]:
    return page.evaluate(_IMAGES_JS)


def image_problems(page, images: list[dict] | None = None) -> list[str]:
    """Every image has loaded (naturalWidth > 0)."""
    images = image_info(page) if images is None else images
    return [f"image did not load: {i['src'] or '(no src)'}"
            for i in images if not i["width"]]


def alt_problems(page, images: list[dict] | None = None) -> list[str]:
    """Every image in the content has non-empty alt text."""
    images = image_info(page) if images is None else images
    return [f"image without alt text: {i['src'] or '(no src)'}"
            for i in images if i["content"] and not (i["alt"] or "").strip()]


def caption_problems(page, images: list[dict] | None = None) -> list[str]:
    """Every image in the content sits in a <figure> with a <figcaption>."""
    images = image_info(page) if images is None else images
    return [f"image without a caption: {i['src'] or '(no src)'}"
            for i in images if i["content"] and not i["caption"]]


# --------------------------------------------------------------------------
# Animations (matplotlib's JavaScript player, made accessible by cnnlib.animate)


def wait_for_new_src(page, img, old_src: str, timeout_ms: int) -> bool:
    """Wait until the image ``img`` (a locator) shows another ``src`` than
    ``old_src``; False if it has not within ``timeout_ms``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("([el, old]) => el.getAttribute('src') !== old",
                               arg=[img.element_handle(), old_src], timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def animation_problems(page, timeout_ms: int = 6000) -> list[str]:
    """Each animation's slider (moved with the keyboard) and its play button
    (pressed with the keyboard) change the frame shown."""
    out = []
    players = page.locator("div.animation")
    for k in range(players.count()):
        player = players.nth(k)
        img = player.locator("img").first
        slider = player.locator("input[type=range]").first
        name = f"animation {k + 1} ({(img.get_attribute('alt') or '')[:50]!r})"
        if not img.count() or not slider.count():
            out.append(f"{name}: no frame image or no slider")
            continue
        if int(slider.get_attribute("max") or 0) < 1:
            out.append(f"{name}: a single frame, nothing to animate")
            continue
        player.scroll_into_view_if_needed()
        slider.focus()
        page.keyboard.press("Home")
        page.wait_for_function("el => el.value === el.min",
                               arg=slider.element_handle(), timeout=timeout_ms)
        before = img.get_attribute("src") or ""
        page.keyboard.press("ArrowRight")
        if not wait_for_new_src(page, img, before, timeout_ms):
            out.append(f"{name}: the slider (ArrowRight) did not change the frame")
        page.keyboard.press("Home")  # back to the first frame, shown again
        page.wait_for_function("([el, src]) => el.getAttribute('src') === src",
                               arg=[img.element_handle(), before], timeout=timeout_ms)
        start = before
        play = player.get_by_role("button", name="Play", exact=True)
        if not play.count():
            out.append(f"{name}: no Play button")
            continue
        play.focus()
        page.keyboard.press("Enter")
        changed = wait_for_new_src(page, img, start, timeout_ms)
        pause = player.get_by_role("button", name="Pause", exact=True)
        if pause.count():
            pause.click()
        if not changed:
            out.append(f"{name}: Play did not change the frame in {timeout_ms} ms")
    return out


# --------------------------------------------------------------------------
# Links


def collect_links(page) -> list[str]:
    """The absolute URL of every <a href> on the page."""
    return page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                         ".map(a => a.href)")


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (key == "name" and tag == "a"):
                self.ids.add(value or "")


def _fetch(url: str) -> tuple[int, str]:
    if url.startswith("file://"):
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(url).path))
        if not path.is_file():
            return 404, ""
        return 200, path.read_text(encoding="utf-8", errors="replace")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            return response.status, body.decode("utf-8", errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


def link_problems(links: dict[str, list[str]], local: tuple[str, ...],
                  cache: dict | None = None) -> list[str]:
    """Every internal link resolves: the target answers 200 and its anchor exists.

    ``links`` maps each page's URL to the hrefs found on it; an href is internal
    when it starts with one of ``local`` (the local server's origin, or
    ``file://``). External links are not followed: the tests are offline.
    """
    cache = {} if cache is None else cache
    out = []
    for page_url, hrefs in links.items():
        for href in sorted(set(hrefs)):
            if not href.startswith(local):
                continue
            target, _, anchor = href.partition("#")
            if target not in cache:
                status, body = _fetch(target)
                ids = set()
                if status == 200 and (target.endswith((".html", "/")) or "<html" in
                                      body[:2000].lower()):
                    parser = _Ids()
                    parser.feed(body)
                    ids = parser.ids
                cache[target] = (status, ids)
            status, ids = cache[target]
            if status != 200:
                out.append(f"{page_url}: dead link {href} (HTTP {status})")
            elif anchor and urllib.parse.unquote(anchor) not in ids:
                out.append(f"{page_url}: link {href}: no element with id {anchor!r}")
    return out


# --------------------------------------------------------------------------
# Page weight


def page_weight(html_file: Path, requested: list[str], base_url: str,
                root: Path) -> tuple[int, dict[str, int]]:
    """Bytes a first visit to a page downloads, uncompressed and uncached.

    The HTML file (animations are embedded in it as base64 PNG frames) plus
    every distinct local file the browser requested while loading it (CSS,
    scripts, MathJax and its fonts, images), sized on disk. Returns the total
    and the size of each part.
    """
    parts = {html_file.name: html_file.stat().st_size}
    for url in dict.fromkeys(requested):
        if not url.startswith(base_url):
            continue
        rel = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        path = root / rel.lstrip("/")
        if path.is_file() and path.resolve() != html_file.resolve():
            parts[rel] = path.stat().st_size
    return sum(parts.values()), parts


def own_weight(parts: dict[str, int]) -> int:
    """Bytes of a page's own files: its HTML (animations are embedded in it)
    and its images, leaving out the theme, MathJax and fonts in ``_static``,
    which every page shares and a browser downloads once."""
    return sum(size for name, size in parts.items()
               if not name.startswith(SHARED_PREFIX))


def weight_problems(parts: dict[str, int], limit: int = MAX_PAGE_BYTES) -> list[str]:
    """The page's own weight (see own_weight) exceeds ``limit`` bytes."""
    own = own_weight(parts)
    if own <= limit:
        return []
    biggest = sorted(((n, s) for n, s in parts.items()
                      if not n.startswith(SHARED_PREFIX)), key=lambda kv: -kv[1])[:3]
    detail = ", ".join(f"{name} {size / 1e6:.2f} MB" for name, size in biggest)
    return [f"page weighs {own / 1e6:.2f} MB on its own > {limit / 1e6:.2f} MB "
            f"({detail})"]


# --------------------------------------------------------------------------
# Accessibility


def axe_problems(page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[str]:
    """axe-core violations of the given impact levels.

    axe-core ships inside axe-playwright-python and is injected into the page.
    Its CSSOM preload is off: it re-fetches ``@import``-ed stylesheets resolved
    against the page instead of the stylesheet (a request for a wrong URL that
    the page never makes); only the css-orientation-lock rule needs it.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"],
                                       "preload": False})
    out = []
    for v in results.response.get("violations", []):
        if v.get("impact") not in impacts:
            continue
        targets = [", ".join(map(str, n.get("target", []))) for n in v["nodes"][:3]]
        out.append(f"axe {v['impact']} {v['id']}: {v['help']} "
                   f"({len(v['nodes'])} nodes, e.g. {'; '.join(targets)})")
    return out
