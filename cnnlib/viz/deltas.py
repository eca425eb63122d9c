"""Chapter 4: how the deltas of layer l+1 flow back to layer l.

:func:`delta_sources` answers the counting-on-fingers question: which deltas of
layer l+1 does position (p, q) of layer l feed, and through which weight.
:class:`DeltaPropagation` draws the answer as the full cross-correlation of
the zero-padded delta map with the rotated kernel, one position at a time.

The forward pass is a cross-correlation,
z^{l+1} = corr_valid(a^l, w^{l+1}) + b^{l+1} (as in :func:`cnnlib.conv2d_forward`),
so::

    δ^l[p, q] = σ′(z^l[p, q]) · Σ_{i=0}^{KH-1} Σ_{j=0}^{KW-1} δ^{l+1}[p-i, q-j] w[i, j]

for p = 0..H-1, q = 0..W-1 (w = w^{l+1}), with the out-of-range deltas read as
zeros: equation (ch4-delta-sum) of the book,
δ^l = corr_full(δ^{l+1}, rot180(w^{l+1})) ⊙ σ′(z^l).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from cnnlib.rules import (
    backprop_sum,
    delta_sources,
    dense_weight_labels,
    full_correlate_rot180,
)
from cnnlib.validation import as_map, as_pair
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import CellCover, GridArtist, Outlines
from cnnlib.viz.core.style import OKABE_ITO, ROLE, new_figure
from cnnlib.viz.core.text import PathText, num

__all__ = ["DeltaPropagation", "plot_dense_transpose"]

#: The kernel of the chapter's running example: distinct numbers, so a reader
#: can see where each one lands after the rotation.
EXAMPLE_KERNEL = np.arange(1.0, 10.0).reshape(3, 3)
#: The deltas of layer l+1 in the running example (small integers).
EXAMPLE_DELTA = np.array([[1.0, -1.0, 2.0], [0.0, 3.0, -2.0], [2.0, 1.0, -1.0]])



class DeltaPropagation(Drawing):
    """Pick a position (p, q) of layer l; see the deltas of layer l+1 that reach it.

    Left: δ^{l+1} padded with zeros (grey cells are padding), with the
    rotated kernel laid on it at (p, q); the small number in each cell of the
    window is the weight that delta passes through. Middle: the kernel as
    stored and rotated, the weights in use outlined. Right: the full
    correlation filled in up to (p, q), the current sum written out below.
    """

    def __init__(self, delta=None, w=None, dpi: int = 80):
        self.delta = EXAMPLE_DELTA.copy() if delta is None else as_map(
            delta, "delta", dims="(OH, OW)")
        self.w = EXAMPLE_KERNEL.copy() if w is None else as_map(w, "w", dims="(KH, KW)")
        kh, kw = self.w.shape
        oh, ow = self.delta.shape
        self.result = full_correlate_rot180(self.delta, self.w)
        h, wd = self.result.shape
        self.params = (Param("p", "Row p of layer l", 0, h - 1),
                       Param("q", "Column q of layer l", 0, wd - 1))
        self.alt = (
            f"The {oh}x{ow} delta map of layer l+1, padded with zeros to "
            f"{oh + 2 * (kh - 1)}x{ow + 2 * (kw - 1)}, with the {kh}x{kw} kernel "
            f"rotated by 180 degrees laid on it at the chosen position (p, q). Each "
            "covered delta is multiplied by the weight written beside it; the sum of "
            "those products is the delta of layer l at (p, q), before the factor "
            "sigma prime. The result map fills in position by position."
        )
        padded = np.pad(self.delta, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        ph, pw = padded.shape
        x_w = pw + 1.2                 # column where the kernel grids start
        x_r = x_w + kw + 1.4           # column where the result starts
        width = x_r + wd + 0.3
        height = ph + 2.6
        self.fig = new_figure(0.46 * (width + 0.5), 0.46 * (height + 1.2), dpi=dpi)
        ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.98))
        self.ax = ax
        self.padded_grid = GridArtist(ax, padded, cmap=None, fmt="g", fontsize=10,
                                      title="δˡ⁺¹ padded with zeros")
        self._is_pad = np.ones_like(padded, dtype=bool)
        self._is_pad[kh - 1:kh - 1 + oh, kw - 1:kw - 1 + ow] = False
        # padding: grey cells with grey zeros, and a dark frame round the real
        # deltas (a shape cue as well as a shade; flat fills keep the PNGs small)
        self.padded_grid.grey_cells(self._is_pad)
        ax.add_patch(Rectangle((kw - 1.5, kh - 1.5), ow, oh, fill=False,
                               edgecolor="#222222", linewidth=1.8, zorder=2.2))
        self.w_grid = GridArtist(ax, self.w, cmap=None, fmt="g", fontsize=10,
                                 origin=(x_w, 0.0), title="wˡ⁺¹ (stored)")
        self.r_grid = GridArtist(ax, self.w[::-1, ::-1], cmap=None, fmt="g",
                                 fontsize=10,
                                 origin=(x_w, kh + 1.6), title="rot180(wˡ⁺¹)")
        self.res_grid = GridArtist(ax, self.result, cmap=None, fmt="g", fontsize=10,
                                   origin=(x_r, 0.0),
                                   title="Σ δˡ⁺¹·w (then ⊙ σ′)")
        # the window of the rotated kernel and its weight labels
        self.window = Rectangle((-0.5, -0.5), kw, kh, facecolor="none",
                                edgecolor=ROLE["highlight"], linewidth=3.2,
                                linestyle="--", zorder=5)
        ax.add_patch(self.window)
        self.wlabels = np.empty((kh, kw), dtype=object)
        rw = self.w[::-1, ::-1]
        for u in range(kh):
            for v in range(kw):
                self.wlabels[u, v] = PathText(
                    ax, 0, 0, f"×{num(rw[u, v])}", ha="right", va="bottom", size=10,
                    color=OKABE_ITO["blue"], weight="bold", zorder=6)
        self.lines = [ax.text(-0.5, ph + 0.3, "", ha="left", va="top", fontsize=10),
                      PathText(ax, -0.5, ph + 1.1, "", ha="left", va="top", size=10)]
        self.lines[0].set_text(
            f"At (p, q):  Σᵢ Σⱼ δˡ⁺¹[p−i, q−j] · w[i, j],  i = 0..{kh - 1}, "
            f"j = 0..{kw - 1}  (deltas out of range are 0)")
        n = kh * kw
        self.used_w = Outlines(ax, n, ROLE["weight"])
        self.used_r = Outlines(ax, n, ROLE["weight"])
        self.reached = Outlines(ax, n, ROLE["delta"], width=2.4)
        self.current = Outlines(ax, 1, ROLE["highlight"], width=3.2)
        self.cover = CellCover(ax, (h, wd), origin=(x_r, 0.0))
        self._x_w, self._x_r = x_w, x_r
        ax.set_xlim(-0.8, width)
        ax.set_ylim(height - 0.2, -1.8)
        self._shape = (h, wd)
        self._bg = FrozenBackground(self.fig, [
            self.window, *(t.patch for t in self.wlabels.ravel()), self.lines[1].patch,
            *self.used_w.artists,
            *self.used_r.artists, *self.reached.artists, *self.current.artists,
            self.cover.image])
        self.update(**self.defaults())

    def _update(self, p, q):
        self._bg.ensure()
        kh, kw = self.w.shape
        h, wd = self._shape
        self.window.set_xy((q - 0.5, p - 0.5))
        for u in range(kh):
            for v in range(kw):
                self.wlabels[u, v].set_position((q + v + 0.36, p + u + 0.38))
        sources = delta_sources(p, q, self.w.shape, self.delta.shape)
        self.used_w.show([(i, j) for _, _, i, j in sources], origin=(self._x_w, 0.0))
        self.used_r.show([(kh - 1 - i, kw - 1 - j) for _, _, i, j in sources],
                         origin=(self._x_w, kh + 1.6))
        self.reached.show([(x + kh - 1, y + kw - 1) for x, y, _, _ in sources])
        self.current.show([(p, q)], origin=(self._x_r, 0.0))
        done = np.arange(h * wd).reshape(h, wd) <= p * wd + q
        self.cover.cover(~done)
        values = [f"{num(self.delta[x, y], paren=True)}·{num(self.w[i, j])}"
                  for x, y, i, j in sources]
        total = backprop_sum(self.delta, self.w, p, q)
        self.lines[1].set_text(f"({p},{q}):  " + " + ".join(values) + f" = {num(total)}")


def plot_dense_transpose(kernel_shape=(2, 2), in_shape=(3, 3), pick=(1, 1), *,
                         dpi: int = 90):
    """The dense matrix M of a conv layer beside its transpose Mᵀ.

    Column ``pick`` of M (the outputs one input feeds) is outlined, and so is
    the same line as a row of Mᵀ, where the weights read in reverse order:
    the rotated kernel. Returns a detached Figure.
    """
    from cnnlib.viz.core.style import ROLE

    labels = dense_weight_labels(kernel_shape, in_shape)
    kernel_shape = as_pair(kernel_shape, "kernel_shape", 1)
    in_shape = as_pair(in_shape, "in_shape", 1)
    pick = as_pair(pick, "pick", 0)
    if pick[0] >= in_shape[0] or pick[1] >= in_shape[1]:
        raise ValueError(f"pick: expected an input cell (p, q) with 0 <= p < "
                         f"{in_shape[0]} and 0 <= q < {in_shape[1]} (in_shape "
                         f"{in_shape}), got {pick}")
    n_out, n_in = labels.shape
    h, w = in_shape
    oh, ow = h - kernel_shape[0] + 1, w - kernel_shape[1] + 1
    s = pick[0] * w + pick[1]
    out_names = [f"z{x}{y}" for x in range(oh) for y in range(ow)]
    in_names = [f"a{p}{q}" for p in range(h) for q in range(w)]
    fig = new_figure(0.42 * (n_in + n_out) + 2.2, 0.42 * n_in + 1.4, dpi=dpi)
    axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [n_in, n_out]})
    panels = ((axes[0], labels, out_names, in_names, "M  (z = M a + b)", ("col", s)),
              (axes[1], labels.T, in_names, [f"δ{n[1:]}" for n in out_names],
               "Mᵀ  (∂C/∂a = Mᵀ δ)", ("row", s)))
    for ax, lab, rows, cols, title, (kind, k) in panels:
        filled = (lab != "").astype(float)
        ax.imshow(filled, cmap="Greens", vmin=0, vmax=4, interpolation="nearest")
        for (r, c), text in np.ndenumerate(lab):
            ax.text(c, r, text, ha="center", va="center", fontsize=8)
        ax.set_xticks(range(lab.shape[1]), cols, fontsize=8)
        ax.set_yticks(range(lab.shape[0]), rows, fontsize=8)
        ax.xaxis.tick_top()
        ax.set_xticks(np.arange(-0.5, lab.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, lab.shape[0]), minor=True)
        ax.grid(which="minor", color="#BBBBBB", linewidth=0.5)
        ax.tick_params(which="minor", length=0)
        ax.set_title(title, fontsize=10, pad=24)
        if kind == "col":
            box = Rectangle((k - 0.5, -0.5), 1, lab.shape[0])
        else:
            box = Rectangle((-0.5, k - 0.5), lab.shape[1], 1)
        box.set(fill=False, edgecolor=ROLE["highlight"], linewidth=2.5, zorder=5)
        ax.add_patch(box)
    fig.tight_layout()
    return fig
