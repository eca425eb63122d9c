"""Chapter 5: the gradient of one shared weight.

Layer l feeds layer l+1 through z^{l+1} = corr_valid(a^l, w^{l+1}) + b^{l+1}.
Weight w^{l+1}[i, j] is used at every output position (x, y), always on the
activation a^l[x+i, y+j]. Its gradient therefore adds up one product per
position::

    ∂C/∂w^{l+1}[i, j] = Σ_{x=0}^{OH-1} Σ_{y=0}^{OW-1} δ^{l+1}[x, y] · a^l[x+i, y+j],

for i = 0..KH-1, j = 0..KW-1: the valid cross-correlation of the activations
with the delta map, ∂C/∂w^{l+1} = corr_valid(a^l, δ^{l+1}) (ch5-dw).
:func:`weight_gradient_pairs` lists the pairs, :class:`WeightGradient` draws
them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from cnnlib.rules import weight_gradient, weight_gradient_pairs
from cnnlib.validation import as_map
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import CellCover, GridArtist, Outlines
from cnnlib.viz.core.style import OKABE_ITO, ROLE, new_figure
from cnnlib.viz.core.text import PathText, num

__all__ = ["WeightGradient"]

#: Activations a^l of layer l in the chapter's running example (small integers).
EXAMPLE_ACTIVATIONS = np.array([
    [1.0, 0.0, 2.0, 1.0, 0.0],
    [0.0, 3.0, 1.0, 2.0, 1.0],
    [2.0, 1.0, 0.0, 1.0, 3.0],
    [1.0, 2.0, 3.0, 0.0, 1.0],
    [0.0, 1.0, 1.0, 2.0, 2.0],
])
#: Deltas δ^{l+1} of layer l+1 in the running example.
EXAMPLE_DELTA = np.array([[1.0, -1.0, 2.0], [0.0, 3.0, -2.0], [2.0, 1.0, -1.0]])



class WeightGradient(Drawing):
    """Pick a weight (i, j); see the activation–delta pairs behind its gradient.

    Left: the activations a^l of layer l with the window of the activations
    that w^{l+1}[i, j] multiplied (dashed); the small number in each of its
    cells is the delta δ^{l+1}[x, y] that activation is paired with. Middle: the
    deltas δ^{l+1} of layer l+1, every one of them used. Right: ∂C/∂w^{l+1}
    filled in up to (i, j), the current sum written out below::

        ∂C/∂w^{l+1}[i, j] = Σ_{x=0}^{OH-1} Σ_{y=0}^{OW-1} δ^{l+1}[x, y] · a^l[x+i, y+j]
    """

    def __init__(self, act=None, delta=None, dpi: int = 80):
        self.act = (EXAMPLE_ACTIVATIONS.copy() if act is None
                    else as_map(act, "act"))
        self.delta = (EXAMPLE_DELTA.copy() if delta is None
                      else as_map(delta, "delta", dims="(OH, OW)"))
        self.dw = weight_gradient(self.act, self.delta)
        kh, kw = self.dw.shape
        oh, ow = self.delta.shape
        h, w = self.act.shape
        self.params = (Param("i", "Kernel row i", 0, kh - 1),
                       Param("j", "Kernel column j", 0, kw - 1))
        self.alt = (
            f"The {h}x{w} activations of layer l, the {oh}x{ow} deltas of layer "
            f"l+1 and the {kh}x{kw} gradient of the kernel of layer l+1. For the "
            f"chosen weight (i, j) a "
            f"dashed {oh}x{ow} window marks the activations at (x+i, y+j); each is "
            "paired with the delta at (x, y), written in its corner, and the sum "
            "of the products is the gradient of that weight."
        )
        x_d = w + 1.4
        x_g = x_d + ow + 1.6
        width = x_g + kw + 0.4
        height = max(h, oh) + 2.6
        self.fig = new_figure(0.5 * (width + 1.2), 0.5 * (height + 1.4), dpi=dpi)
        ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.98))
        self.ax = ax
        GridArtist(ax, self.act, cmap=None, fmt="g", fontsize=10,
                   title="aˡ (activations)")
        GridArtist(ax, self.delta, cmap=None, fmt="g", fontsize=10,
                   origin=(x_d, 0.0),
                   title="δˡ⁺¹ (deltas)")
        self.g_grid = GridArtist(ax, self.dw, cmap=None, fmt="g", fontsize=10,
                                 origin=(x_g, 0.0),
                                 title="∂C/∂wˡ⁺¹")
        ax.add_patch(Rectangle((x_d - 0.5, -0.5), ow, oh, fill=False,
                               edgecolor=ROLE["delta"], linewidth=2.4, zorder=4))
        self.window = Rectangle((-0.5, -0.5), ow, oh, fill=False,
                                edgecolor=ROLE["highlight"], linewidth=3.0,
                                linestyle="--", zorder=5)
        ax.add_patch(self.window)
        self.dlabels = np.empty((oh, ow), dtype=object)
        for (x, y), d in np.ndenumerate(self.delta):
            self.dlabels[x, y] = PathText(ax, 0, 0, f"×{num(d)}", ha="right",
                                          va="bottom", size=10, weight="bold", zorder=6,
                                          color=OKABE_ITO["vermillion"])
        self.current = Outlines(ax, 1, ROLE["highlight"], width=3.2)
        self.cover = CellCover(ax, (kh, kw), origin=(x_g, 0.0))
        top = max(h, oh) + 0.2
        ax.text(-0.5, top, f"∂C/∂wˡ⁺¹[i, j] = Σₓ Σᵧ δˡ⁺¹[x, y] · aˡ[x+i, y+j],  "
                f"x = 0..{oh - 1},  y = 0..{ow - 1}", ha="left", va="top", fontsize=10)
        self.sum_text = PathText(ax, -0.5, top + 0.85, "", ha="left", va="top", size=10)
        ax.set_xlim(-0.9, width)
        ax.set_ylim(height, -1.9)
        self._x_g = x_g
        self._bg = FrozenBackground(self.fig, [
            self.window, *(t.patch for t in self.dlabels.ravel()),
            *self.current.artists, self.cover.image, self.sum_text.patch])
        self.update(**self.defaults())

    def _update(self, i, j):
        self._bg.ensure()
        kh, kw = self.dw.shape
        self.window.set_xy((j - 0.5, i - 0.5))
        for (x, y), label in np.ndenumerate(self.dlabels):
            label.set_position((j + y + 0.36, i + x + 0.38))
        self.current.show([(i, j)], origin=(self._x_g, 0.0))
        done = np.arange(kh * kw).reshape(kh, kw) <= i * kw + j
        self.cover.cover(~done)
        pairs = weight_gradient_pairs(i, j, self.act.shape, self.delta.shape)
        terms = [f"{num(self.delta[d], paren=True)}·{num(self.act[p])}"
                 for p, d in pairs]
        self.sum_text.set_text(f"({i},{j}):  " + " + ".join(terms)
                               + f" = {num(self.dw[i, j])}")
