"""The generic figure machinery: Param, Drawing, GridArtist, animation, widgets."""

import re

import numpy as np
import pytest

from cnnlib.animate import animation
from cnnlib.viz import Drawing, GridArtist, Param, new_figure, png
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import CellCover, Outlines


class Outline(Drawing):
    """A 3x4 grid with one outlined cell, chosen by (row, col)."""

    params = (Param("row", "Row", 0, 2), Param("col", "Column", 0, 3, default=1))
    alt = "A 3 by 4 grid of numbers with one cell outlined."

    def __init__(self):
        self.fig = new_figure(2.0, 1.6, dpi=60)
        ax = self.fig.add_subplot()
        values = np.arange(12.0).reshape(3, 4)
        self.grid = GridArtist(ax, values, title="grid")
        self.update(**self.defaults())

    def _update(self, row, col):
        mask = np.zeros((3, 4), dtype=bool)
        mask[row, col] = True
        self.grid.set_highlight(mask)
        self.grid.set_title(f"cell ({row}, {col})")


def test_param_values_and_default():
    p = Param("k", "K", 1, 7, step=2)
    assert p.values == [1, 3, 5, 7]
    assert p.initial == 1
    q = Param("s", "Stage", options=(("Dense", "dense"), ("Cut", "cut")), default="cut")
    assert q.values == ["dense", "cut"] and q.initial == "cut"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"min": 3, "max": 1}, "min <= max"),
        ({"min": 0, "max": 2, "step": 0}, "step >= 1"),
        ({"options": (("A", 1),), "default": 2}, "not one of the options"),
    ],
)
def test_param_rejects_bad_ranges(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Param("p", "P", **kwargs)


def test_drawing_update_changes_pixels_and_keeps_state():
    d = Outline()
    before = d.render_array()
    d.update(row=2)
    after = d.render_array()
    assert d.state == {"row": 2, "col": 1}
    assert np.any(before != after)
    d.update(row=0)
    assert np.array_equal(d.render_array(), before)


@pytest.mark.parametrize(
    "values, match",
    [({"row": 3}, r"row: got 3, expected one of 0\.\.2"), ({"depth": 1}, "unknown")],
)
def test_drawing_update_rejects_unknown_or_out_of_range(values, match):
    with pytest.raises(ValueError, match=match):
        Outline().update(**values)


def test_default_frames_cover_every_combination_last_fastest():
    frames = Outline().frames()
    assert len(frames) == 3 * 4
    assert frames[:2] == [{"row": 0, "col": 0}, {"row": 0, "col": 1}]


def test_grid_artist_rejects_wrong_shapes():
    fig = new_figure(1, 1)
    g = GridArtist(fig.add_subplot(), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"values: expected shape \(2, 3\), got"):
        g.set_values(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"mask: expected shape \(2, 3\)"):
        g.set_highlight(np.zeros(6, dtype=bool))
    with pytest.raises(ValueError, match=r"expected 2 dims"):
        GridArtist(fig.add_subplot(), np.zeros(4))


def test_animation_is_self_contained_and_labelled():
    d = Outline()
    anim = animation(d, frames=[{"row": r, "col": 0} for r in range(3)], caption="cap")
    assert anim.n_frames == 3 and anim.n_combinations == 12
    html = anim._repr_html_()
    assert not re.search(r"https?://", html)
    assert 'alt="A 3 by 4 grid of numbers with one cell outlined.' in html
    assert "<figcaption>cap</figcaption>" in html
    assert d.state == {"row": 0, "col": 1}


def test_animation_rejects_missing_alt_and_empty_frames():
    d = Outline()
    with pytest.raises(ValueError, match="frames: expected at least one frame"):
        animation(d, frames=[])
    with pytest.raises(ValueError, match=r"frames\[0\]: .*unknown parameter.*'depth'"):
        animation(d, frames=[{"depth": 1}])
    with pytest.raises(ValueError, match=r"frames\[0\]: row: got 7"):
        animation(d, frames=[{"row": 7}])
    with pytest.raises(ValueError, match=r"dpi: expected a value in \[1.0, 600.0\]"):
        animation(d, dpi=-5)
    d.alt = ""
    with pytest.raises(ValueError, match="has no alt text"):
        animation(d)
    with pytest.raises(TypeError, match="drawing: expected a cnnlib.viz.Drawing"):
        animation(object())


def test_widget_panel_redraws_on_slider_change():
    pytest.importorskip("ipywidgets")
    from cnnlib.widgets import interactive

    d = Outline()
    panel = interactive(d)
    assert set(panel.controls) == {"row", "col"}
    assert panel.controls["col"].value == 1
    first = panel.image.value
    panel.controls["row"].value = 2
    assert d.state["row"] == 2
    assert panel.image.value != first
    assert "Row = 2, Column = 1." in panel.children[2].value




def test_png_rejects_non_figures():
    with pytest.raises(TypeError, match="fig"):
        png("not a figure")


def test_frozen_background_renders_again_at_a_new_dpi():
    fig = new_figure(2.0, 1.0, dpi=50)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.text(0.5, 0.5, "static")
    moving = ax.text(0.1, 0.1, "moving")
    bg = FrozenBackground(fig, [moving])
    bg.ensure()
    assert bg.image.pixels.shape[:2] == (50, 100)
    fig.set_dpi(80)
    bg.ensure()
    assert bg.image.pixels.shape[:2] == (80, 160)
    assert moving.get_visible()


def test_outlines_and_cover_check_their_input():
    fig = new_figure(2.0, 2.0)
    ax = fig.add_axes((0, 0, 1, 1))
    with pytest.raises(ValueError, match="at most 2"):
        Outlines(ax, 2, "red").show([(0, 0)] * 3)
    with pytest.raises(ValueError, match="mask"):
        CellCover(ax, (2, 2)).cover(np.zeros((3, 3), dtype=bool))


def test_grey_cells_shade_and_dim_only_the_masked_cells():
    fig = new_figure(2, 1, dpi=40)
    g = GridArtist(fig.add_subplot(), np.zeros((2, 3)), cmap=None, fmt="g")
    patches = len(g.ax.patches)
    mask = np.array([[True, False, False], [False, False, True]])
    g.grey_cells(mask, hatch="///")
    assert len(g.ax.patches) == patches + 2
    dimmed = [t.patch.get_facecolor() != (0, 0, 0, 1) for t in g.texts.ravel()]
    assert dimmed == list(mask.ravel())
    g.set_values(np.ones((2, 3)))  # dimmed numbers stay dimmed on an update
    assert [t.patch.get_facecolor() != (0, 0, 0, 1) for t in g.texts.ravel()] == dimmed
    with pytest.raises(ValueError, match="mask: expected shape"):
        g.grey_cells(np.zeros((3, 2), dtype=bool))
