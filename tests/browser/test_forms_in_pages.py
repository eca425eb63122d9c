"""The exercises' answer forms in the built book, in headless Chromium.

Every form gets its right answer, each known wrong answer, an arbitrary wrong
answer and junk; its verdict must be the Python checker's sentence
(``cnnlib.exercises.common.verdict``), shown by the next animation frame, with
no console error and nothing loaded from another host. One form is driven by
the keyboard alone; the forms' bytes per page are measured; at 360 px wide the
forms fit the screen and every control is at least 44 px square.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import checks
import pytest

from cnnlib.exercises import answer_keys
from cnnlib.exercises.common import verdict

#: The most the answer forms may add to a page: its forms' and pointers' HTML
#: and the script answers.js.
MAX_FORM_BYTES = 20 * 1024

BOOK = Path(__file__).resolve().parents[2] / "book"
ANSWERS_JS = BOOK / "_static" / "answers.js"
sys.path.insert(0, str(BOOK / "_ext"))
from answerforms import strip_js  # noqa: E402


def _keys_by_exercise() -> dict[str, list]:
    out: dict[str, list] = {}
    for k in answer_keys():
        out.setdefault(k.exercise, []).append(k)
    return out


def _chapter_pages(built_html: Path) -> dict[str, list[str]]:
    """Page (relative to the HTML folder) -> the exercises with a form on it."""
    pages = {}
    for path in sorted((built_html / "book").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        found = [ex for ex in _keys_by_exercise()
                 if f'data-exercise="{ex}"' in text and "answer-form" in text]
        found = [ex for ex in found
                 if f'class="answer-form" data-exercise="{ex}"' in text]
        if found:
            pages[str(path.relative_to(built_html))] = found
    return pages


def _text(v) -> list[str]:
    """What a reader types for ``v``: one string a number, in reading order."""
    v = v.tolist() if hasattr(v, "tolist") else v
    if isinstance(v, str):
        return [v]
    if isinstance(v, list | tuple):
        return [t for x in v for t in _text(x)]
    return [repr(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(float(v))]


def _typed(key, v):
    """What a reader types for part ``key``: its boxes' texts, or for a shape
    (or shapes) one list of texts a row."""
    if key.kind == "shape":
        return [_text(v)]
    if key.kind == "shapes":
        return [_text(s) for s in v]
    return _text(v)


def _plain(v):
    if hasattr(v, "tolist"):
        return v.tolist()
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def _wrong(key):
    """An arbitrary wrong answer that no key names, or None."""
    import numpy as np

    if key.kind in ("number", "array"):
        return np.asarray(key.answer, dtype=float) + 0.5
    if key.kind == "count":
        return key.answer + 7
    if key.kind == "shape":
        return [s + 3 for s in key.answer]
    if key.kind == "shapes":
        return [list(s) for s in key.answer[:-1]] + [[7] * len(key.answer[-1])]
    taken = {key.answer, *(m.answer for m in key.mistakes)}
    free = [o for o in key.options if o not in taken]
    return free[0] if free else None


FILL_AND_CHECK = """
([form, parts]) => new Promise((resolve) => {
  const groups = form.querySelectorAll(".af-part");
  parts.forEach((texts, i) => {
    const radios = groups[i].querySelectorAll("input[type=radio]");
    if (radios.length) {
      radios.forEach((r) => { r.checked = r.value === texts[0]; });
      return;
    }
    const rows = groups[i].querySelectorAll(".af-shape");
    if (rows.length) {  // a shape, or one shape a row: texts are rows
      rows.forEach((row, k) => row.querySelectorAll("input").forEach((box, j) => {
        box.value = (texts[k] || [])[j] ?? "";
      }));
      return;
    }
    groups[i].querySelectorAll("input.af-cell").forEach((box, j) => {
      box.value = texts[j];
    });
  });
  const out = form.querySelector(".af-verdict");
  out.textContent = "";
  form.querySelector("button[type=submit]").click();
  requestAnimationFrame(() => resolve(out.textContent.trim()));
})
"""


def _trials(keys):
    """(values of every part, label) to type: the right answer, each mistake
    with the other parts right, an arbitrary wrong answer."""
    right = [k.answer for k in keys]
    out = [(right, "right")]
    for i, k in enumerate(keys):
        for m in k.mistakes:
            out.append((right[:i] + [m.answer] + right[i + 1:], m.says[:30]))
        w = _wrong(k)
        if w is not None:
            out.append((right[:i] + [w] + right[i + 1:], "arbitrary"))
    return out


JUNK = ["abc", "", "nan", "1e400", "--2", "1e20"]


@pytest.fixture(scope="module")
def form_pages(built_html):
    pages = _chapter_pages(built_html)
    assert pages, "no page of the built book has an answer form"
    return pages


def test_every_key_has_a_form_in_the_book(form_pages):
    shown = sorted(ex for exs in form_pages.values() for ex in exs)
    assert shown == sorted(_keys_by_exercise()), shown


def test_every_form_judges_as_the_python_checker(browser, site, form_pages):
    keys_of = _keys_by_exercise()
    problems = []
    for rel, exercises in form_pages.items():
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        probe = checks.Probe((site.url,)).attach(page)
        page.goto(site.url + rel, wait_until="load")
        page.wait_for_selector("form.af-form")
        for ex in exercises:
            keys = keys_of[ex]
            form = page.locator(f'div.answer-form[data-exercise="{ex}"] form')
            assert form.count() == 1, (rel, ex)
            for values, what in _trials(keys):
                typed = [_typed(k, v) for k, v in zip(keys, values, strict=True)]
                shown = page.evaluate(FILL_AND_CHECK, [form.element_handle(), typed])
                want = verdict(keys, [_plain(v) for v in values])[1]
                if shown != want:
                    problems.append(f"{rel} {ex} ({what}): page says {shown!r}, "
                                    f"Python {want!r}")
            for junk in JUNK:
                typed = [_typed(k, k.answer) for k in keys]
                if keys[0].kind == "option":
                    typed[0] = [""]
                elif keys[0].kind in ("shape", "shapes"):
                    typed[0][0] = [junk] + typed[0][0][1:]
                else:
                    typed[0] = [junk] + typed[0][1:]
                shown = page.evaluate(FILL_AND_CHECK, [form.element_handle(), typed])
                if not shown.startswith("Not yet."):
                    problems.append(f"{rel} {ex} junk {junk!r}: page says {shown!r}")
        problems += [f"{rel}: {p}" for p in probe.problems()]
        page.close()
    assert not problems, "\n".join(problems)


def test_a_form_by_keyboard_alone(browser, site, form_pages):
    rel = next(r for r, exs in form_pages.items() if "4.1" in exs)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    probe = checks.Probe((site.url,)).attach(page)
    page.goto(site.url + rel, wait_until="load")
    host = page.locator('div.answer-form[data-exercise="4.1"]')
    # start on the cell output that holds the form (tabindex -1), then only keys
    page.evaluate("""h => { const o = h.closest('.output');
        o.setAttribute('tabindex', '-1'); o.focus(); }""", host.element_handle())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('af-cell')")
    key = _keys_by_exercise()["4.1"][0]
    for text in _text(key.answer):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    # focus is on Check now: Space presses it
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Space")
    verdict_box = host.locator(".af-verdict")
    assert verdict_box.inner_text().strip() == verdict([key], [key.answer])[1]
    assert verdict_box.get_attribute("aria-live") == "polite"
    # a wrong entry, submitted with Enter from inside the grid
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    assert verdict_box.inner_text().startswith("Not yet.")
    # the option form: arrow keys choose, Enter checks
    host2 = page.locator('div.answer-form[data-exercise="4.2"]')
    host2.locator("input[type=radio]").first.focus()
    option_key = _keys_by_exercise()["4.2"][0]
    steps = option_key.options.index(option_key.answer)
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert host2.locator(".af-verdict").inner_text().strip() == verdict(
        [option_key], [option_key.answer])[1]
    assert not probe.problems(), probe.problems()
    page.close()


def test_forms_fit_a_narrow_screen_with_large_targets(browser, site, form_pages):
    problems = []
    for rel in form_pages:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(site.url + rel, wait_until="load")
        page.wait_for_selector("form.af-form")
        found = page.evaluate("""() => {
          const out = [];
          document.querySelectorAll('form.af-form').forEach((f) => {
            const r = f.getBoundingClientRect();
            if (r.right > window.innerWidth + 1) out.push('form overflows: ' + r.right);
            f.querySelectorAll('input.af-cell, .af-option, button').forEach((c) => {
              const b = c.getBoundingClientRect();
              if (b.width < 44 || b.height < 44)
                out.push(`${c.getAttribute('aria-label') || c.textContent} ` +
                         `${b.width.toFixed(0)}x${b.height.toFixed(0)}`);
            });
          });
          return out;
        }""")
        problems += [f"{rel}: {p}" for p in found]
        page.close()
    assert not problems, "\n".join(problems)


def test_forms_add_at_most_20_kib_to_a_page(built_html, form_pages, capsys):
    """The forms' HTML (each remove-input cell's output) and answers.js."""
    import re

    shipped = built_html / "_static" / "answers.js"
    assert shipped.read_text() == strip_js(ANSWERS_JS.read_text())
    script = shipped.stat().st_size
    sizes = {}
    cell = re.compile(r'<div class="cell tag_remove-input docutils container">'
                      r'(?:(?!<div class="cell ).)*?(?:answer-form|run-pointer)'
                      r'.*?</div>\s*</div>\s*</div>', re.S)
    for path in sorted((built_html / "book").glob("*.html")):
        found = cell.findall(path.read_text(encoding="utf-8"))
        if found:
            sizes[path.name] = sum(len(c.encode()) for c in found) + script
    assert set(form_pages) <= {f"book/{n}" for n in sizes}
    with capsys.disabled():
        print("\nbytes the answer forms add (HTML + answers.js):",
              json.dumps(sizes))
    too_big = {n: s for n, s in sizes.items() if s > MAX_FORM_BYTES}
    assert not too_big, too_big
