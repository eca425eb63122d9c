"""The checkers catch what they are for: pointed at deliberately broken pages,
each one reports its problem; pointed at a clean page, none reports anything.

Without this, a checker that silently found nothing (a wrong selector, a page
that never loaded) would make the site tests pass for the wrong reason.
"""

from __future__ import annotations

import base64
import os

import checks
import pytest
from visiting import serve, visit

# A 2x2 PNG (valid image data), and a page with one of each problem.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==")
FRAME_A = "data:image/png;base64," + base64.b64encode(PNG).decode()

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<script src="https://cdn.example.org/mathjax.js"></script>
</head><body><main>
<h1>A deliberately broken page</h1>
<p>Raw display maths: $$ \\delta^l = \\sigma'(z^l) $$ and an untypeset
<span class="math notranslate">\\(x^2\\)</span> and inline $a^{l-1}$.</p>
<p><a href="missing.html">a dead link</a>, <a href="#nowhere">a dead anchor</a>,
<a href="clean.html#no-such-id">a dead anchor on another page</a>,
<a href="clean.html#target">a good link</a>.</p>
<img src="missing.png" alt="an image that does not exist">
<img src="dot.png">
<button style="width:2em;height:2em"></button>
<figure class="cnnlib-player" id="frozen" data-text-px="6" data-width="400">
  <div class="cnnlib-player-controls">
    <label for="frozen-0">Row</label>
    <input id="frozen-0" type="range" data-param="row" min="0" max="3" value="0"
      style="height:10px">
    <fieldset data-param="stage"><legend>Stage</legend>
      <label class="cnnlib-player-option"><input type="radio" name="s" value="0"
        checked>A</label>
      <label class="cnnlib-player-option"><input type="radio" name="s" value="1"
        >B</label></fieldset>
    <button class="cnnlib-player-play"><span>Play</span></button>
  </div>
  <div class="cnnlib-player-stage" style="width:400px">
    <img src="FRAME_A" alt="a frozen figure" style="width:400px">
    <img src="dot.png?layer" alt="" width="1"></div>
  <p class="cnnlib-player-status">A frozen figure. Shown: Row = 2, Stage = A.</p>
  <figcaption>A player whose controls do nothing.</figcaption>
</figure>
<div style="width:700px">a wide box that makes a phone scroll sideways</div>
<div class="cell_input" style="height:300px">shown code</div>
<details><summary>Show code</summary>
<div class="cell_input" style="height:500px">folded code</div></details>
</main></body></html>
""".replace("FRAME_A", FRAME_A)

CLEAN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1 id="target">A clean page</h1>
<p>No maths, a <a href="broken.html">link that works</a>.</p>
<figure><img src="dot.png" alt="a dot" width="1"><figcaption>A dot.</figcaption>
</figure>
<figure><div class="cnnlib-player-stage"><img src="dot.png" alt="a dot"
  width="1"><img src="dot.png" alt="" aria-hidden="true" width="1"></div>
<figcaption>A dot with a layer over it, as a player lays patches.</figcaption>
</figure>
</main></body></html>
"""


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-site")
    (root / "broken.html").write_text(BROKEN)
    (root / "clean.html").write_text(CLEAN)
    (root / "dot.png").write_bytes(PNG)
    server = serve(root)
    yield server
    server.close()


@pytest.fixture(scope="module")
def broken(browser, bad_site):
    return visit(browser, bad_site.url + "broken.html", (bad_site.url,),
                 html_file=bad_site.root / "broken.html", root=bad_site.root,
                 base_url=bad_site.url)


@pytest.fixture(scope="module")
def clean(browser, bad_site):
    return visit(browser, bad_site.url + "clean.html", (bad_site.url,),
                 html_file=bad_site.root / "clean.html", root=bad_site.root,
                 base_url=bad_site.url)


def _has(problems, *fragments):
    return any(all(f in p for f in fragments) for p in problems)


def test_an_external_script_is_blocked_and_reported(broken):
    assert _has(broken.network, "request to another host", "cdn.example.org")
    assert _has(broken.network, "failed request", "cdn.example.org")
    assert _has(broken.network, "failed request", "missing.png")


def test_raw_maths_is_reported(broken):
    assert _has(broken.math, "raw TeX $$")
    assert _has(broken.math, "maths not typeset", "x^2")
    assert _has(broken.math, "MathJax did not load")
    assert _has(broken.math, "$x^y$") or _has(broken.math, "$...\\command...$")


def test_a_missing_image_alt_text_and_caption_are_reported(broken):
    assert _has(broken.images, "did not load", "missing.png")
    assert _has(broken.alt, "without alt text", "dot.png")
    # a layer of a player's frame without alt text must be hidden from
    # assistive technology (the clean page has one that is)
    assert _has(broken.alt, "without alt text", "dot.png?layer")
    assert _has(broken.captions, "without a caption", "dot.png")


def test_a_player_that_does_not_move_is_reported(broken):
    assert _has(broken.players, "slider row (ArrowRight) did not change the figure")
    assert _has(broken.players, "option group stage (ArrowRight) did not change")
    assert _has(broken.players, "Play (Enter) did not change the figure")
    assert _has(broken.players, "at first: status", "Row = 0, Stage = A.")


def test_a_blurry_image_and_small_figure_text_are_reported(broken):
    # a 2x2 PNG stretched to 400 CSS px: 0.005 image px per CSS px
    assert _has(broken.density, "image px per CSS px", "< 1.9")
    assert _has(broken.figure_text, "player frozen", "< 11")


def test_on_a_phone_overflow_small_targets_and_dead_controls_are_reported(
        browser, bad_site):
    report = visit(browser, bad_site.url + "broken.html", (bad_site.url,),
                   phone=True)
    assert _has(report.phone, "the page scrolls sideways", "in a 390 px viewport")
    assert _has(report.phone, "at 360 px: the page scrolls sideways")
    assert _has(report.phone, "touch target", "< 44", "range")
    assert _has(report.phone, "a tap on slider row did not change the figure")
    assert _has(report.phone, "a tap on Play did not change the figure")
    assert _has(report.phone, "smallest figure text", "< 9")
    clean = visit(browser, bad_site.url + "clean.html", (bad_site.url,), phone=True)
    assert clean.phone == [] and clean.network == []


def test_dead_links_and_anchors_are_reported(broken, bad_site):
    problems = checks.link_problems({broken.path: broken.links}, (bad_site.url,))
    assert _has(problems, "dead link", "missing.html", "404")
    assert _has(problems, "#nowhere", "no element with id")
    assert _has(problems, "#no-such-id", "no element with id")
    assert not _has(problems, "clean.html#target")


def test_code_shown_without_a_click_is_measured_and_folded_code_is_not(broken,
                                                                      clean):
    code, total = broken.code_px
    assert code == pytest.approx(300, abs=1) and total > code
    assert clean.code_px[0] == 0 and clean.code_px[1] > 0


def test_an_unnamed_button_is_an_accessibility_violation(broken):
    assert _has(broken.axe, "critical", "button-name")


def test_an_overweight_page_is_reported(broken):
    assert broken.weight > 0
    assert checks.weight_problems(broken.weight_parts, limit=100)
    assert not checks.weight_problems(broken.weight_parts)


def test_the_clean_page_passes_every_check(clean, bad_site):
    for attribute in ("network", "math", "images", "alt", "captions", "players",
                      "density", "figure_text", "axe"):
        assert getattr(clean, attribute) == [], attribute
    assert not checks.link_problems({clean.path: clean.links}, (bad_site.url,))


def test_a_book_page_with_mathjax_from_a_cdn_fails_offline(browser, built_html,
                                                           tmp_path):
    """What a default Jupyter Book page does: MathJax from a CDN. Offline, the
    request is blocked and the maths stays raw; the checks must say so."""
    pages = [p for p in sorted((built_html / "book").glob("*.html"))
             if 'class="math' in p.read_text(encoding="utf-8")]
    assert pages, "no page of the book has maths"
    page = pages[0]
    os.symlink(built_html / "_static", tmp_path / "_static")
    (tmp_path / "book").mkdir()
    text = page.read_text(encoding="utf-8")
    local = 'src="../_static/mathjax/tex-chtml.js"'
    assert local in text
    cdn = 'src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"'
    (tmp_path / "book" / page.name).write_text(text.replace(local, cdn))
    server = serve(tmp_path)
    try:
        report = visit(browser, f"{server.url}book/{page.name}", (server.url,),
                       axe=False)
    finally:
        server.close()
    assert _has(report.network, "request to another host", "cdn.jsdelivr.net")
    assert _has(report.math, "maths not typeset")
