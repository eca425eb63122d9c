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
#: The most a page may weigh on its own: its HTML (with the players' frames
#: embedded in it) and the images it shows; see own_weight. 1 MiB.
MAX_PAGE_BYTES = 1_048_576
#: Smallest figure text (CSS px) at 100 % zoom on a desktop screen, and on a
#: phone (390 px wide).
MIN_FIGURE_TEXT_PX = 11.0
MIN_PHONE_TEXT_PX = 9.0
#: Smallest touch target (CSS px), as WCAG 2.5.5 recommends.
MIN_TARGET_PX = 44
#: Files every page shares (theme, MathJax, fonts, the search index): cached
#: after the first page, so not part of a page's own weight.
SHARED_PREFIX = ("/_static/", "/searchindex.js")
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
    const stage = i.closest('.cnnlib-player-stage');
    return {
      src: (i.currentSrc || i.src || '').slice(0, 100),
      width: i.naturalWidth,
      alt: i.getAttribute('alt'),
      // a patch or sprite a player lays over its frame image, which carries
      // the alt text: hidden from assistive technology, with an empty alt
      layer: !!stage && i !== stage.querySelector('img') &&
             i.getAttribute('aria-hidden') === 'true' && i.getAttribute('alt') === '',
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
    """Every image in the content has non-empty alt text, but for the layers
    of a player's frame (see _IMAGES_JS), whose first image carries it."""
    images = image_info(page) if images is None else images
    return [f"image without alt text: {i['src'] or '(no src)'}"
            for i in images if i["content"] and not (i["alt"] or "").strip()
            and not i.get("layer")]


def caption_problems(page, images: list[dict] | None = None) -> list[str]:
    """Every image in the content sits in a <figure> with a <figcaption>."""
    images = image_info(page) if images is None else images
    return [f"image without a caption: {i['src'] or '(no src)'}"
            for i in images if i["content"] and not i["caption"]]


# --------------------------------------------------------------------------
# Figure players (cnnlib.animate): every control of every player

#: Selector of the static players that cnnlib.animate writes.
PLAYER = "figure.cnnlib-player"

# What a player shows now: a signature of its visible frame layers, the status
# line, the frame's alt text, and "label = value" of each control as the
# controls themselves show it (read from the DOM, not from the player's data).
_PLAYER_STATE_JS = """(fig) => {
  const stage = fig.querySelector('.cnnlib-player-stage');
  // the layers as rendered (an img with the hidden attribute may still show)
  const layers = [...stage.querySelectorAll('img')]
    .filter(i => getComputedStyle(i).display !== 'none');
  const shown = [...fig.querySelectorAll('[data-param]')].map(c => {
    if (c.tagName === 'INPUT') {
      const lab = fig.querySelector('label[for="' + c.id + '"]');
      return (lab ? lab.textContent.trim() : '?') + ' = ' + c.value;
    }
    const checked = c.querySelector('input:checked');
    const legend = c.querySelector('legend');
    return (legend ? legend.textContent.trim() : '?') + ' = ' +
           (checked ? checked.parentNode.textContent.trim() : '(none)');
  });
  return {
    frame: layers.map(i => i.src.length + ':' + i.src.slice(-48) + '@' +
                      i.style.left + ',' + i.style.top).join('|'),
    status: (fig.querySelector('.cnnlib-player-status') || {}).textContent || '',
    alt: layers.length ? layers[0].alt : '',
    shown: shown,
    reach: fig.dataset.reach || 'all',
  };
}"""


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


#: The picture a live panel shows: its one visible image (a panel whose
#: pictures are made up front keeps them all in the page, hidden but one).
_SHOWN_SRC_JS = """(panel) => {
  const img = [...panel.querySelectorAll('img.widget-image')]
    .find((i) => i.offsetParent !== null);
  return img ? img.getAttribute('src') : null;
}"""


def shown_src(panel) -> str | None:
    """The ``src`` of the image a live panel (a locator) shows now."""
    return panel.evaluate(_SHOWN_SRC_JS)


def wait_for_new_picture(page, panel, old_src: str | None, timeout_ms: int) -> bool:
    """Wait until the live panel ``panel`` (a locator) shows another picture
    than the one with ``old_src``: the same image with a new ``src`` or another
    image; False if it has not within ``timeout_ms``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"([p, old]) => ({_SHOWN_SRC_JS})(p) !== old",
                               arg=[panel.element_handle(), old_src],
                               timeout=timeout_ms)
    except PlaywrightTimeout:
        return False
    return True


def _player_state(fig) -> dict:
    return fig.evaluate(_PLAYER_STATE_JS)


def _description_problem(state: dict) -> str | None:
    """The status line names every control's value (for a tour player, whose
    one slider steps through chosen states, the values of the state shown),
    and the frame's alt text says the same as the status line."""
    expected = "Shown: " + ", ".join(state["shown"]) + "."
    if state.get("reach") == "frames":
        expected = "Shown: "
        if expected not in state["status"]:
            return f"status {state['status'][-90:]!r} names no control values"
    elif not state["status"].endswith(expected):
        return f"status {state['status'][-90:]!r} does not end with {expected!r}"
    if state["alt"] != state["status"]:
        return "the frame's alt text differs from the status line"
    return None


def _wait_for_change(fig, before: str, timeout_ms: int) -> bool:
    try:
        fig.page.wait_for_function(
            f"([fig, before]) => ({_PLAYER_STATE_JS})(fig).frame !== before",
            arg=[fig.element_handle(), before], timeout=timeout_ms)
        return True
    except Exception:  # playwright's TimeoutError
        return False


def _check_step(fig, name: str, what: str, before: dict, out: list[str],
                timeout_ms: int = 2000) -> None:
    if not _wait_for_change(fig, before["frame"], timeout_ms):
        out.append(f"{name}: {what} did not change the figure")
        return
    problem = _description_problem(_player_state(fig))
    if problem:
        out.append(f"{name}: after {what}: {problem}")


_EVERY_STATE_JS = """(fig) => {
  const ctls = [...fig.querySelectorAll('[data-param]')];
  const radios = c => c.querySelectorAll('input');
  const sizes = ctls.map(c => c.tagName === 'INPUT' ?
    Math.round((c.max - c.min) / c.step) + 1 : radios(c).length);
  const total = sizes.reduce((a, b) => a * b, 1);
  const pictures = new Set(), wrong = [];
  for (let i = 0; i < total; i++) {
    for (let k = ctls.length - 1, r = i; k >= 0; k--) {
      const v = r % sizes[k], c = ctls[k];
      r = Math.floor(r / sizes[k]);
      if (c.tagName === 'INPUT') c.value = +c.min + v * c.step;
      else radios(c)[v].checked = true;
    }
    ctls[0].dispatchEvent(new Event('input'));
    const state = (""" + _PLAYER_STATE_JS + """)(fig);
    if (+fig.dataset.combo !== i || state.alt !== state.status ||
        !state.status.endsWith('Shown: ' + state.shown.join(', ') + '.'))
      wrong.push(i + ': ' + state.status.slice(-120));
    pictures.add(state.frame);
  }
  return {states: total, wrong: wrong.slice(0, 5), n_wrong: wrong.length,
          pictures: pictures.size};
}"""


def every_state(fig) -> dict:
    """Set a player's controls to each of their combinations in turn (in the
    player's order, the last control fastest) and return ``states`` (how many),
    ``n_wrong`` and ``wrong`` (states whose status line does not name the
    controls' values, whose alt text differs from it, or that show another
    combination's frame) and ``pictures`` (distinct pictures shown)."""
    return fig.evaluate(_EVERY_STATE_JS)


def _players(page):
    """Each player of the page, scrolled into view, with a name for messages."""
    players = page.locator(PLAYER)
    for k in range(players.count()):
        fig = players.nth(k)
        fig.scroll_into_view_if_needed()
        yield fig, f"player {k + 1} ({(fig.get_attribute('id') or '')[:28]})"


def player_problems(page, play_timeout_ms: int = 6000) -> list[str]:
    """Every control of every player changes the figure, from the keyboard,
    and the description then matches the controls.

    For each player: each slider (focused, ArrowRight, or ArrowLeft at its
    maximum), each option group (its checked button focused, ArrowRight), and
    Play (focused, Enter) must change the frame shown; after every step the
    status line must end with "Shown: <label> = <value>, ..." as the controls
    show it, and the frame's alt text must equal the status line. Tab from the
    first control must reach every control and Play.
    """
    out = []
    for fig, name in _players(page):
        state = _player_state(fig)
        problem = _description_problem(state)
        if problem:
            out.append(f"{name}: at first: {problem}")
        sliders = fig.locator("input[type=range][data-param]")
        groups = fig.locator("fieldset[data-param]")
        play = fig.locator("button.cnnlib-player-play")
        if sliders.count() + groups.count() == 0:
            out.append(f"{name}: no controls")
        if play.count() != 1:
            out.append(f"{name}: no Play button")
        # Tab order: from the first control, Tab reaches every control and Play
        targets = [sliders.nth(i) for i in range(sliders.count())]
        targets += [groups.nth(i) for i in range(groups.count())]
        targets += [play] if play.count() else []
        if targets:  # start at the first control in document order
            start = fig.locator("[data-param]").first
            if start.count():
                (start if start.evaluate("e => e.tagName") == "INPUT"
                 else start.locator("input:checked")).focus()
            else:
                play.focus()
            reached = []
            for _ in range(len(targets)):
                reached.append(page.evaluate_handle("document.activeElement"))
                page.keyboard.press("Tab")
            for t in targets:
                handle = t.element_handle()
                if not any(page.evaluate("([a, t]) => t.contains(a)", [r, handle])
                           for r in reached):
                    out.append(f"{name}: Tab does not reach "
                               f"{t.evaluate('e => e.outerHTML.slice(0, 60)')}")
        for i in range(sliders.count()):
            s = sliders.nth(i)
            at_max = s.input_value() == s.get_attribute("max")
            key = "ArrowLeft" if at_max else "ArrowRight"
            before = _player_state(fig)
            s.focus()
            page.keyboard.press(key)
            what = f"slider {s.get_attribute('data-param')} ({key})"
            _check_step(fig, name, what, before, out)
            # and back: the very picture it showed before (no layer left over)
            page.keyboard.press("ArrowRight" if at_max else "ArrowLeft")
            try:
                page.wait_for_function(
                    f"([fig, want]) => ({_PLAYER_STATE_JS})(fig).frame === want",
                    arg=[fig.element_handle(), before["frame"]], timeout=2000)
            except Exception:  # playwright's TimeoutError
                out.append(f"{name}: {what} and back does not show the figure it "
                           "showed before")
        for i in range(groups.count()):
            g = groups.nth(i)
            before = _player_state(fig)
            g.locator("input:checked").focus()
            page.keyboard.press("ArrowRight")
            _check_step(fig, name, f"option group {g.get_attribute('data-param')} "
                        "(ArrowRight)", before, out)
        if play.count():
            before = _player_state(fig)
            play.focus()
            page.keyboard.press("Enter")
            _check_step(fig, name, "Play (Enter)", before, out, play_timeout_ms)
            if play.inner_text().strip() == "Pause":
                play.click()
    return out


def density_problems(page, minimum: float = 1.9) -> list[str]:
    """Every visible image in the content holds at least ``minimum`` image
    pixels per displayed CSS pixel (SVG images are sharp at any size)."""
    images = page.evaluate("""() => [...document.querySelectorAll('main img')]
      .filter(i => i.getBoundingClientRect().width > 0)
      .map(i => ({src: (i.currentSrc || i.src).slice(0, 60),
                  svg: /\\.svg($|\\?)|^data:image\\/svg/.test(i.currentSrc || i.src),
                  natural: i.naturalWidth, shown: i.getBoundingClientRect().width}))""")
    return [f"image {i['src']!r}: {i['natural'] / i['shown']:.2f} image px per CSS px "
            f"({i['natural']} shown {i['shown']:.0f} wide) < {minimum}"
            for i in images if not i["svg"] and i["natural"] < minimum * i["shown"]]


def figure_text_problems(page, minimum: float) -> list[str]:
    """The smallest text of every player, as shown now, is at least ``minimum``
    CSS px: the drawing's smallest font (``data-text-px``, at the figure's
    natural width ``data-width``) scaled by the width it is rendered at."""
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.cnnlib-player')]
      .map(f => ({id: f.id, px: +f.dataset.textPx, natural: +f.dataset.width,
                  shown: f.querySelector('.cnnlib-player-stage')
                          .getBoundingClientRect().width}))""")
    out = []
    for s in sizes:
        px = s["px"] * s["shown"] / s["natural"] if s["natural"] else 0
        if not px >= minimum:
            out.append(f"player {s['id'][:28]}: smallest figure text {px:.1f} CSS px "
                       f"(shown {s['shown']:.0f} of {s['natural']:.0f} px) < {minimum}")
    return out


# --------------------------------------------------------------------------
# Phones: a narrow touch screen


#: Largest share of a chapter page's article height that code cells may show
#: without a click (issue 16.5); checking and drawing code is folded.
MAX_CODE_SHARE = 0.15

_CODE_SHARE_JS = """() => {
  const article = document.querySelector('article.bd-article, main');
  const total = article.getBoundingClientRect().height;
  let code = 0;
  for (const el of article.querySelectorAll('.cell_input')) {
    // a folded cell's input sits in a closed <details>: no box, height 0
    if (el.closest('details:not([open])')) continue;
    code += el.getBoundingClientRect().height;
  }
  return {code: code, total: total};
}"""


def code_share(page) -> tuple[float, float]:
    """CSS px of code-cell input shown without a click, and of the article."""
    r = page.evaluate(_CODE_SHARE_JS)
    return float(r["code"]), float(r["total"])


def live_button_problems(page) -> list[str]:
    """On a phone a chapter offers no live notebook: its "Run this chapter
    live" button is hidden and a note says why (issue 13)."""
    box = page.locator('.runlive[data-runlive="ready"]')
    if not box.count():
        return []
    problems = []
    if box.locator(".runlive-button").is_visible():
        problems.append("the Run-live button is offered on a phone")
    if not box.locator(".runlive-phone").is_visible():
        problems.append("no note says why the live chapter is not offered on a phone")
    return problems


def overflow_problems(page) -> list[str]:
    """The page does not scroll sideways: nothing is wider than the viewport
    (wide things must scroll inside their own box). Names the widest element."""
    info = page.evaluate("""() => {
      const vw = document.documentElement.clientWidth;
      const sw = document.documentElement.scrollWidth;
      let worst = null;
      if (sw > vw) {
        for (const e of document.querySelectorAll('body *')) {
          const r = e.getBoundingClientRect();
          if (r.right > vw + 1 && r.width > 0 && (!worst || r.right > worst.right)) {
            // fixed (off-canvas drawers) and clipped elements do not widen the page
            let p = e, clipped = getComputedStyle(e).visibility === 'hidden';
            for (; p && !clipped; p = p.parentElement) {
              const st = getComputedStyle(p);
              if (st.position === 'fixed') clipped = true;
              if (p !== e && st.overflowX !== 'visible') clipped = true;
            }
            if (!clipped) worst = {right: r.right, tag: e.tagName.toLowerCase(),
                                   cls: String(e.className).slice(0, 60)};
          }
        }
      }
      return {vw, sw, worst};
    }""")
    if info["sw"] <= info["vw"]:
        return []
    w = info["worst"] or {}
    return [f"the page scrolls sideways: {info['sw']} px wide in a {info['vw']} px "
            f"viewport (e.g. <{w.get('tag')} class={w.get('cls')!r}> reaches "
            f"{w.get('right', 0):.0f} px)"]


def target_problems(page, minimum: int = MIN_TARGET_PX) -> list[str]:
    """Every control of every player is at least ``minimum`` CSS px in both
    directions (an option button's target is its whole label)."""
    boxes = page.evaluate("""() => [...document.querySelectorAll(
        'figure.cnnlib-player input[type=range], ' +
        'figure.cnnlib-player .cnnlib-player-option, figure.cnnlib-player button')]
      .map(e => { const r = e.getBoundingClientRect();
                  return {what: e.outerHTML.slice(0, 60), w: r.width,
                          h: r.height}; })""")
    return [f"touch target {b['w']:.0f}x{b['h']:.0f} CSS px < {minimum}: {b['what']}"
            for b in boxes if b["w"] < minimum or b["h"] < minimum]


def touch_problems(page) -> list[str]:
    """Every control of every player works by touch: a tap near the far end
    of each slider's track, a tap on another option button, a tap on Play;
    each changes the figure, and the description then matches the controls."""
    out = []
    for fig, name in _players(page):
        sliders = fig.locator("input[type=range][data-param]")
        for i in range(sliders.count()):
            s = sliders.nth(i)
            s.scroll_into_view_if_needed()
            box = s.bounding_box()
            at_max = s.input_value() == s.get_attribute("max")
            x = box["width"] * (0.03 if at_max else 0.97)
            before = _player_state(fig)
            s.tap(position={"x": x, "y": box["height"] / 2})
            _check_step(fig, name, f"a tap on slider {s.get_attribute('data-param')}",
                        before, out)
        groups = fig.locator("fieldset[data-param]")
        for i in range(groups.count()):
            other = groups.nth(i).locator(
                ".cnnlib-player-option:not(:has(input:checked))")
            if not other.count():
                continue
            before = _player_state(fig)
            other.first.tap()
            _check_step(fig, name, f"a tap on option {other.first.inner_text()!r}",
                        before, out)
        play = fig.locator("button.cnnlib-player-play")
        if play.count():
            before = _player_state(fig)
            play.tap()
            _check_step(fig, name, "a tap on Play", before, out, 6000)
            if play.inner_text().strip() == "Pause":
                play.tap()
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

    The HTML file (players' frames are embedded in it as data URLs) plus
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
    """Bytes of a page's own files: its HTML (players' frames are embedded in it)
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
    detail = ", ".join(f"{name} {size / 2**20:.2f} MiB" for name, size in biggest)
    return [f"page weighs {own / 2**20:.2f} MiB on its own > {limit / 2**20:.2f} MiB "
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
