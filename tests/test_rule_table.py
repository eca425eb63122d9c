"""The notation page's "In short" box and rule table (issues 10 and 16).

The box is the same on the notation page and at the top of chapter 4; its route
table is what ``delta_sources`` computes; the rule table names each gradient
with the operators of the notation decision, and each named formula holds.
"""

import json
import re
from pathlib import Path

import numpy as np

from cnnlib import (
    conv2d_backward,
    conv2d_forward,
    convolve2d,
    correlate2d,
    numerical_gradient,
    rot180,
)
from cnnlib.rules import delta_sources

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTATION = (BOOK / "notation.md").read_text(encoding="utf-8")
ROUTE = re.compile(r"\\delta_\{(\d)(\d)\}\\,w_\{(\d)(\d)\}")


def chapter_4() -> str:
    nb = json.loads((BOOK / "04-backprop-deltas.ipynb").read_text(encoding="utf-8"))
    return "".join(nb["cells"][0]["source"])


def boxes(text: str) -> str:
    """The two admonitions that open a page, from "In short" to the seed's end."""
    start = text.index(":::{admonition} In short")
    seed = text.index(":::{admonition} The seed article's convention", start)
    return text[start:text.index("\n:::", seed) + 4]


def test_chapter_4_opens_with_the_notation_pages_boxes():
    head = chapter_4()
    assert head.index(":::{admonition} In short") < head.index("Ask anyone")
    assert boxes(head) == boxes(NOTATION)


def test_route_table_in_the_box_is_what_delta_sources_computes():
    rows = [line for line in boxes(NOTATION).splitlines()
            if line.startswith("| $p = ")]
    assert len(rows) == 3
    for p, row in enumerate(rows):
        cells = [c.strip() for c in row.strip("|").split("|")][1:]
        assert len(cells) == 3
        for q, cell in enumerate(cells):
            stated = [tuple(map(int, m)) for m in ROUTE.findall(cell)]
            assert stated == sorted(delta_sources(p, q, (2, 2), (2, 2))), (p, q)


def test_no_star_or_asterisk_operator_on_the_pages_of_the_rules():
    for text in (NOTATION, chapter_4()):
        assert r"\star" not in text and r"\ast" not in text


def test_rule_table_states_each_gradient_once_with_corr_and_conv():
    table = NOTATION[NOTATION.index("(rule-table)="):]
    table = table[:table.index("\n## ", table.index("\n## ") + 1)]
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()
            if line.startswith("| ") and "---" not in line}
    stated = {
        "input": (r"$\operatorname{corr}_{\text{full}}\big(\delta^{l+1}, "
                  r"\operatorname{rot180}(w^{l+1})\big)$",
                  r"$\operatorname{conv}_{\text{full}}\big(\delta^{l+1}, "
                  r"\operatorname{rot180}(w^{l+1})\big)$"),
        "weight": (r"$\operatorname{corr}_{\text{valid}}(a^l, \delta^{l+1})$",
                   r"$\operatorname{rot180}\big(\operatorname{corr}_{\text{valid}}"
                   r"(a^l, \delta^{l+1})\big)$"),
    }
    for name, (framework, seed) in stated.items():
        row = next(v for k, v in rows.items() if k.startswith(name))
        _, _, left, right, _ = row.split("|")
        assert left.strip().startswith(framework), name
        assert right.strip().startswith(seed), name
    assert "the kernel rotated by 180 degrees" in rows[next(
        k for k in rows if k.startswith("input"))]


def test_the_formulas_of_the_rule_table_are_the_gradients():
    rng = np.random.default_rng(1016)
    a, w, b = rng.normal(size=(6, 5)), rng.normal(size=(3, 2)), np.array([0.2])
    # framework: conv2d_forward is corr_valid
    z, cache = conv2d_forward(a[None, None], w[None, None], b)
    d = rng.normal(size=z.shape[2:])
    dx, dw, db = conv2d_backward(d[None, None], cache)
    assert np.allclose(dx[0, 0], correlate2d(d, rot180(w), "full"))
    assert np.allclose(dw[0, 0], correlate2d(a, d, "valid"))
    assert np.isclose(db[0], d.sum())
    # seed: C = sum(d * (conv_valid(a, w) + b)), so that dC/dz = d; measured
    def cost(a_, w_, b_):
        return np.sum(d * (convolve2d(a_, w_, "valid") + b_))

    da = numerical_gradient(lambda v: cost(v, w, 0.2), a.copy())
    dw_seed = numerical_gradient(lambda v: cost(a, v, 0.2), w.copy())
    db_seed = numerical_gradient(lambda v: cost(a, w, v), np.array(0.2))
    assert np.allclose(da, convolve2d(d, rot180(w), "full"), atol=1e-6)
    assert np.allclose(dw_seed, rot180(correlate2d(a, d, "valid")), atol=1e-6)
    assert not np.allclose(dw_seed, correlate2d(a, d, "valid"), atol=1e-6)
    assert np.isclose(db_seed, d.sum(), atol=1e-6)
