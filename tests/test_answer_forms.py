"""The page's answer forms judge as the Python checkers do.

``book/_static/answers.js`` ports :func:`cnnlib.exercises.common.verdict` (and
``AnswerKey.judge``, ``compare``, the number formats) to JavaScript. Here node
runs that file on every key's right answer, every known mistake, arbitrary wrong
answers and junk, and each verdict must be Python's, word for word; typed text
that is not a plain finite number must be "not yet" in both. Without node these
tests skip (with CI=true they fail).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnlib.exercises import answer_form, answer_keys, run_pointer
from cnnlib.exercises.common import verdict

BOOK = Path(__file__).resolve().parents[1] / "book"
ANSWERS_JS = BOOK / "_static" / "answers.js"
sys.path.insert(0, str(BOOK / "_ext"))
from answerforms import strip_js  # noqa: E402

RUNNER = """
const api = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => {
  if (c.op === "verdict") return api.verdict(c.keys, c.values);
  if (c.op === "cell") return api.readCell(c.text, "Entry [0, 1]");
  if (c.op === "g") return api.fmtG(c.x, c.p);
  return api.fmtE1(c.x);
})));
"""


@pytest.fixture(params=["source", "shipped"])
def script(request, tmp_path) -> Path:
    """answers.js as written, and as the build ships it (strip_js)."""
    if request.param == "source":
        return ANSWERS_JS
    shipped = tmp_path / "answers.js"
    shipped.write_text(strip_js(ANSWERS_JS.read_text(encoding="utf-8")))
    return shipped


def node_run(cases: list[dict], script: Path = ANSWERS_JS) -> list:
    node = shutil.which("node")
    if node is None:
        message = "node is not installed (apt-get install nodejs)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    proc = subprocess.run([node, "-e", RUNNER, str(script)],
                          input=json.dumps(cases), capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(proc.stdout)


def groups() -> dict[tuple[str, str], list]:
    """The keys, grouped as their forms show them: one checker, one form."""
    out: dict[tuple[str, str], list] = {}
    for k in answer_keys():
        out.setdefault((k.exercise, k.checker), []).append(k)
    return out


def _plain(v):
    """``v`` as the page sends it: nested lists of numbers, or text."""
    if isinstance(v, np.ndarray | np.generic):
        return v.tolist()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    return v


def wrong_values(key) -> list:
    """Arbitrary wrong answers of the key's kind, as a page can send them."""
    a = key.answer
    if key.kind in ("number", "array"):
        arr = np.asarray(a, dtype=float)
        out = [arr + 0.5, arr - 3.0, arr * 0 + 1e6, arr + 1e-3 * (1 + np.abs(arr))]
        if arr.ndim:
            one = arr.copy()
            one.flat[arr.size // 2] += 2.25
            out += [one, arr[..., ::-1], np.zeros_like(arr)]
        return [_plain(v) for v in out]
    if key.kind == "count":
        return [a + 1, a - 1, 0, 2 * a, a + 0.5, 1e14]
    if key.kind == "shape":
        return [[s + 1 for s in a], [0] * len(a), list(a[::-1])]
    if key.kind == "shapes":
        return [[list(s) for s in a[:-1]] + [[9] * len(a[-1])],
                [[s + 1 for s in a[0]]] + [list(s) for s in a[1:]]]
    return list(key.options) + ["(b)", " C ", "", "z"]  # option


def test_every_key_has_a_form_of_one_checker():
    assert len(groups()) == len({k.exercise for k in answer_keys()})
    for (exercise, _), keys in groups().items():
        html = answer_form(exercise).html
        data = re.search(r"<script type=\"application/json\">(.*?)</script>", html)
        assert json.loads(data.group(1)) == [
            {n: v for n, v in json.loads(k.to_json()).items() if n != "checker"}
            for k in keys]


def test_form_json_cannot_close_its_script():
    for exercise, _ in groups():
        inside = answer_form(exercise).html.split("</script>")[0]
        assert "<" not in inside.split('application/json">', 1)[1]


def test_answer_form_refuses_code_exercises_and_junk():
    with pytest.raises(ValueError, match="1.4"):
        answer_form("1.4")
    with pytest.raises(TypeError, match="exercise"):
        answer_form(4.1)
    with pytest.raises(ValueError, match="answer_form"):
        run_pointer("4.1", "check_input_gradient_by_hand")
    assert "check_bp2_tanh" in run_pointer("1.5", "check_bp2_tanh")._repr_html_()


def test_page_and_python_agree_on_every_key(script):
    cases, expected = [], []
    for keys in groups().values():
        rights = [_plain(k.answer) for k in keys]
        per_part = []
        for k in keys:
            per_part.append([_plain(k.answer)] + [_plain(m.answer) for m in k.mistakes]
                            + wrong_values(k))
        # every value of each part with the others right, and all parts at once
        trials = []
        for i, values in enumerate(per_part):
            trials += [rights[:i] + [v] + rights[i + 1:] for v in values]
        trials += [list(t) for t in itertools.islice(
            itertools.product(*per_part), 40)]
        for values in trials:
            cases.append({"op": "verdict", "keys": [json.loads(k.to_json())
                                                    for k in keys], "values": values})
            expected.append(list(verdict(keys, values)))
    got = node_run(cases, script)
    mismatches = [(c["keys"][0]["exercise"], c["values"], e, g)
                  for c, e, g in zip(cases, expected, got, strict=True) if e != g]
    assert not mismatches, mismatches[:5]
    # the trials cover right answers, every named mistake and other wrong answers
    said = {m for ok, m in expected}
    for k in answer_keys():
        assert any(k.right[1:] in m for m in said), k.right
        for m in k.mistakes:
            assert any(m.says[1:] in s for s in said), m.says
    assert sum(not ok for ok, _ in expected) > 3 * sum(ok for ok, _ in expected)


JUNK = ["", "   ", "abc", "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400",
        "1e15", "-2e20", "1,5", "1..2", "--1", "0x10", "2/3", "e5", "½", "1 2"]
FINE = ["3", "-0.5", "+2", ".5", "5.", "1.5e-3", "2E3", " 7 ", "\u22120.25", "999999"]


def test_typed_junk_is_not_yet_in_the_page_and_in_python(script):
    got = node_run([{"op": "cell", "text": t} for t in JUNK + FINE], script)
    for text, (value, why) in zip(JUNK, got[:len(JUNK)], strict=True):
        assert value is None and why.startswith("Entry [0, 1]"), (text, why)
        try:  # what the same text is in Python: a float, or text
            typed = float(text)
        except ValueError:
            typed = text
        for k in answer_keys():
            if k.kind in ("count", "number"):
                assert not k.judge(typed)[0], (text, k.exercise)
    for text, (value, why) in zip(FINE, got[len(JUNK):], strict=True):
        assert why is None and value == float(text.replace("\u2212", "-")), text


@pytest.mark.parametrize("x", [0.125, 1.0625, 2.5e-7, 99995.0, 123456.0, 1e-5,
                               1 / 3, 5e-324, 1.7976931348623157e308, -0.0, 0.0,
                               0.00012345, 1e16, 6.02214076e23, 2.675, 1.5e-10])
def test_number_formats_are_pythons(x):
    got = node_run([{"op": "g", "x": x, "p": 4}, {"op": "e", "x": x}])
    assert got == [f"{x:.4g}", f"{x:.1e}"]


def test_shipped_script_is_smaller_and_keeps_every_line_of_code():
    source = ANSWERS_JS.read_text(encoding="utf-8")
    shipped = strip_js(source)
    assert len(shipped) < 0.85 * len(source)
    code = [ln.strip() for ln in source.splitlines()
            if ln.strip() and not ln.strip().startswith("//")]
    assert shipped.splitlines() == code
    # no string spans lines, so stripping indentation changes no string
    assert all(ln.count("`") % 2 == 0 for ln in source.splitlines())
