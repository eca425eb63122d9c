"""The rendered book in headless Chromium: every page, served and from disk.

Each page is visited once (see conftest.py); the tests below assert on what
the visit found and name every page and problem when they fail.
"""

from __future__ import annotations

import re

import checks
import pytest


def _report(reports, attribute) -> str:
    lines = [f"{path}: {problem}" for path, r in reports.items()
             for problem in getattr(r, attribute)]
    return "\n".join(lines)


def test_the_book_has_pages(served_reports):
    assert len(served_reports) >= 3, list(served_reports)
    assert any(r.has_math for r in served_reports.values()), "no page has maths"


def test_no_console_errors_failed_or_third_party_requests(served_reports):
    assert not _report(served_reports, "network"), _report(served_reports, "network")


def test_maths_is_typeset_on_every_page(served_reports):
    assert not _report(served_reports, "math"), _report(served_reports, "math")


def test_every_image_loads(served_reports):
    assert not _report(served_reports, "images"), _report(served_reports, "images")


def test_every_content_image_has_alt_text(served_reports):
    assert not _report(served_reports, "alt"), _report(served_reports, "alt")


def test_every_content_image_has_a_caption(served_reports):
    assert not _report(served_reports, "captions"), _report(served_reports, "captions")


def test_every_control_of_every_figure_changes_it_and_its_description(
        served_reports):
    """Each slider, option group and Play, from the keyboard, on every page."""
    assert any(r.n_players for r in served_reports.values()), "no page has a player"
    problems = _report(served_reports, "players")
    assert not problems, problems


def test_code_shown_without_a_click_is_at_most_15_percent_of_each_chapter(
        served_reports):
    """Issue 16.5: on every chapter page at 1280 x 900, code cells a reader
    sees without clicking take at most 15 % of the article's height."""
    chapters = {p: r.code_px for p, r in served_reports.items()
                if re.fullmatch(r"book/\d\d[-\w]*\.html", p)}
    assert chapters, list(served_reports)
    problems = [f"{p}: {code:.0f} of {total:.0f} px is code "
                f"({code / total:.0%} > {checks.MAX_CODE_SHARE:.0%})"
                for p, (code, total) in chapters.items()
                if total <= 0 or code / total > checks.MAX_CODE_SHARE]
    assert not problems, "\n".join(problems)


def test_every_figure_image_has_two_image_pixels_per_css_pixel(served_reports):
    problems = _report(served_reports, "density")
    assert not problems, problems


def test_figure_text_is_at_least_11_css_px(served_reports):
    problems = _report(served_reports, "figure_text")
    assert not problems, problems


def test_no_serious_or_critical_accessibility_violations(served_reports):
    assert not _report(served_reports, "axe"), _report(served_reports, "axe")


def test_dark_mode_has_no_serious_or_critical_violations(browser, site,
                                                       served_reports):
    """The theme follows the reader's colour scheme. Checked on one page of each
    kind (text, search, a chapter with code, maths and animations), since axe
    on every page twice would double the suite's time."""
    pages = ["book/00-preface.html", "search.html"]
    pages += [p for p, r in served_reports.items() if r.n_players][:1]
    problems = []
    for rel in pages:
        context = browser.new_context(color_scheme="dark")
        page = context.new_page()
        checks.Probe((site.url,)).attach(page)
        try:
            page.goto(site.url + rel)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.dataset.theme") == "dark"
            problems += [f"{rel}: {p}" for p in checks.axe_problems(page)]
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_every_page_weighs_at_most_1_mib_on_its_own(served_reports):
    """A page's HTML (the players' frames included) and images: at most 1 MiB.
    The shared theme, MathJax and fonts (about 2 MB, loaded once) are reported,
    not limited."""
    problems = [f"{path}: {p}" for path, r in served_reports.items()
                for p in checks.weight_problems(r.weight_parts)]
    for path, r in sorted(served_reports.items(), key=lambda kv: -kv[1].weight):
        print(f"page weight {checks.own_weight(r.weight_parts) / 2**20:5.2f} MiB own, "
              f"{r.weight / 2**20:5.2f} MiB first visit  {path}")
    assert not problems, "\n".join(problems)


def test_every_internal_link_resolves(served_reports, site):
    links = {r.path: r.links for r in served_reports.values()}
    problems = checks.link_problems(links, (site.url,))
    assert not problems, "\n".join(problems)


def test_the_notebook_download_button_links_the_notebook(served_reports, site):
    # pages made from notebooks offer the .ipynb (the theme's download menu)
    notebook_pages = [r for r in served_reports.values()
                      if any(h.endswith(".ipynb") for h in r.links)]
    if not notebook_pages:
        pytest.skip("no chapter notebook is in the table of contents yet")
    for r in notebook_pages:
        ipynb = [h for h in r.links if h.endswith(".ipynb")]
        assert not checks.link_problems({r.path: ipynb}, (site.url,))


# -- the book opened from disk, network cut off ------------------------------


def test_from_disk_nothing_but_local_files_is_requested(file_reports):
    assert not _report(file_reports, "network"), _report(file_reports, "network")


def test_from_disk_maths_is_typeset(file_reports):
    assert any(r.has_math for r in file_reports.values())
    assert not _report(file_reports, "math"), _report(file_reports, "math")


def test_from_disk_every_figure_control_works(file_reports):
    problems = _report(file_reports, "players")
    assert not problems, problems


def test_the_chapter_7_explorer_reaches_each_of_its_states(browser, site):
    """Every one of the explorer's combinations of controls, in the built page:
    its description names it, and the player shows as many distinct pictures
    as the drawing has distinct frames (a forward cell beyond a small output
    shows its nearest output cell)."""
    pytest.importorskip("matplotlib")
    from cnnlib.viz.explorer import LayerExplorer

    explorer = LayerExplorer()
    page = browser.new_page()
    try:
        page.goto(site.url + "book/07-beyond.html")
        fig = page.locator(checks.PLAYER).filter(
            has=page.locator("[data-param=dilation]"))
        assert fig.count() == 1
        found = checks.every_state(fig)
    finally:
        page.close()
    assert found["states"] == len(explorer.combinations())
    assert found["n_wrong"] == 0, found["wrong"]
    assert found["pictures"] == len(explorer.frames())


def test_from_disk_every_internal_link_resolves(file_reports):
    links = {r.path: r.links for r in file_reports.values()}
    problems = checks.link_problems(links, ("file://",))
    assert not problems, "\n".join(problems)


# -- a phone: 390 x 844 with touch, then 360 px wide ------------------------


def test_on_a_phone_no_page_scrolls_sideways_and_figures_work_by_touch(
        phone_reports):
    """No horizontal page overflow at 390 and 360 px; figure text at least
    9 CSS px; touch targets at least 44 x 44 CSS px; every slider, option
    button and Play works by tap and the description follows."""
    assert any(r.n_players for r in phone_reports.values()), "no page has a player"
    problems = _report(phone_reports, "phone") + _report(phone_reports, "network")
    assert not problems, problems


# -- search --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["served", "file"])
def test_search_finds_a_word_of_the_book(browser, site, built_html, mode):
    base = site.url if mode == "served" else built_html.as_uri() + "/"
    allowed = (site.url,) if mode == "served" else ("file://",)
    context = browser.new_context()
    page = context.new_page()
    probe = checks.Probe(allowed).attach(page)
    try:
        page.goto(base + "search.html?q=backpropagation")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15000)
        assert results.count() >= 1
        page.wait_for_load_state("networkidle")  # every request the search made
        assert not probe.problems(), probe.problems()
    finally:
        context.close()
