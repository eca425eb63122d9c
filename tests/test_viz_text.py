"""Text drawn as outlines (cnnlib.viz.core.text): PathText, TextGrid,
the glyph cache and the book's number format."""

import matplotlib as mpl
import numpy as np
import pytest

from cnnlib.viz.core.grid import GridArtist
from cnnlib.viz.core.style import new_figure
from cnnlib.viz.core.text import PathText, TextGrid, num, text_path


def _blank_axes():
    fig = new_figure(2, 1, dpi=50)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    return fig, ax


def test_path_text_draws_and_changes_pixels():
    fig, ax = _blank_axes()
    t = PathText(ax, 1, 0.5, "", size=12)
    fig.canvas.draw()
    empty = np.asarray(fig.canvas.buffer_rgba()).copy()
    t.set_text("0.25")
    fig.canvas.draw()
    drawn = np.asarray(fig.canvas.buffer_rgba()).copy()
    assert not np.array_equal(empty, drawn)
    t.set_visible(False)
    fig.canvas.draw()
    np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), empty)
    assert t.get_text() == "0.25"


def test_path_text_is_centred_on_its_anchor():
    fig, ax = _blank_axes()
    t = PathText(ax, 1, 0.5, "888", size=20, ha="center", va="center")
    fig.canvas.draw()
    box = t.patch.get_window_extent()
    centre = ax.transData.transform((1, 0.5))
    assert abs((box.x0 + box.x1) / 2 - centre[0]) < 1.5
    assert abs((box.y0 + box.y1) / 2 - centre[1]) < 1.5


def test_text_path_is_cached():
    assert text_path("$a^1_0$", 10.0) is text_path("$a^1_0$", 10.0)


@pytest.mark.parametrize("kw", [{"ha": "middle"}, {"va": "up"}, {"coords": "axes"}])
def test_path_text_rejects_bad_options(kw):
    _, ax = _blank_axes()
    with pytest.raises(ValueError):
        PathText(ax, 0, 0, "x", **kw)


def test_text_grid_sets_all_strings_at_once():
    fig, ax = _blank_axes()
    g = TextGrid(ax, [(0.5, 0.5), (1.5, 0.5)], size=12)
    fig.canvas.draw()
    empty = np.asarray(fig.canvas.buffer_rgba()).copy()
    g.set_texts(["1", "2"])
    fig.canvas.draw()
    assert not np.array_equal(np.asarray(fig.canvas.buffer_rgba()), empty)
    assert g.get_texts() == ["1", "2"]
    with pytest.raises(ValueError, match="texts: expected 2"):
        g.set_texts(["1"])


@pytest.mark.parametrize("v, kw, text", [
    (-0.5, {}, "\u22120.5"), (-0.5, {"paren": True}, "(\u22120.5)"),
    (2.0, {"paren": True}, "2"), (-1.23456, {"fmt": ".3g"}, "\u22121.23"),
    (-3, {"fmt": ".1f"}, "\u22123.0"), (1e-7, {}, "1e\u221207"),
])
def test_num_writes_the_typographic_minus_and_brackets_negative_factors(v, kw, text):
    assert num(v, **kw) == text


def test_grid_cells_write_negative_numbers_with_the_typographic_minus():
    fig, ax = _blank_axes()
    g = GridArtist(ax, np.array([[-1.5, 2.0]]), fmt="g")
    assert [t.get_text() for t in g.texts[0]] == ["\u22121.5", "2"]


def test_text_path_follows_a_change_of_font_family():
    with mpl.rc_context({"font.family": "DejaVu Sans"}):
        sans = text_path("Wg8", 12.0)[0]
    with mpl.rc_context({"font.family": "DejaVu Serif"}):
        serif = text_path("Wg8", 12.0)[0]
    assert not np.array_equal(sans.vertices, serif.vertices)
