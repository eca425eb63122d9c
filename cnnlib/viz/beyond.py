"""Chapters 7 and 8: drawings of the backward pass through strided layers, dilated
kernels and pooling.

:func:`scatter_partial_sums` is the numerics behind :class:`StrideBackward`: a
strided layer's input gradient built one delta at a time, each delta adding a
copy of the kernel, scaled by it, onto the window it came from (the scatter
form of the full convolution of the zero-inserted delta map with the kernel,
eq. ch7-stride of the book). The static figures show the kernel with holes
(:func:`dilation_figure`) and the routing of the deltas through max and
average pooling (:func:`pooling_figure`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from cnnlib.rules import scatter_partial_sums
from cnnlib.validation import as_int, as_map, as_pair
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import GridArtist, Outlines
from cnnlib.viz.core.style import OKABE_ITO, ROLE, new_figure
from cnnlib.viz.core.text import PathText, TextGrid, num
from cnnlib.viz.sliding import EXAMPLE_KERNEL

__all__ = ["StrideBackward", "dilation_figure", "pooling_figure"]

#: The deltas of the drawing's running example (small integers); its kernel,
#: ``EXAMPLE_KERNEL``, is chapter 3's, from :mod:`cnnlib.viz.sliding`.
EXAMPLE_DELTA = np.array([[1.0, -1.0, 2.0], [0.0, 2.0, -1.0], [1.0, 1.0, -2.0]])


class StrideBackward(Drawing):
    """Pick an output (x, y) of a strided layer; see where its delta goes back.

    Left: the input a^l with the forward window of z[x, y], its cells named by
    the weight that reads them. Middle: the delta map, and the same deltas
    with s - 1 zeros between neighbours (grey), delta[x, y] outlined at
    (s x, s y). Right: the input gradient, each delta so far having added
    delta[x, y] * w onto its window; rows and columns that no window read stay
    zero (hatched).
    """

    def __init__(self, delta=None, w=None, in_shape=(8, 8), stride=2, dpi: int = 80):
        self.delta = (EXAMPLE_DELTA.copy() if delta is None
                      else as_map(delta, "delta", dims="(OH, OW)"))
        self.w = EXAMPLE_KERNEL.copy() if w is None else as_map(w, "w", dims="(KH, KW)")
        self.stride = s = as_int(stride, "stride", 1)
        self.in_shape = h, wd = as_pair(in_shape, "in_shape", 1)
        in_shape = self.in_shape
        kh, kw = self.w.shape
        oh, ow = self.delta.shape
        self.result, _ = scatter_partial_sums(self.delta, self.w, in_shape, s, oh * ow)
        self.params = (Param("x", "Output row x", 0, oh - 1),
                       Param("y", "Output column y", 0, ow - 1))
        rho = ((h - kh) % s, (wd - kw) % s)
        self.never_read = np.zeros(in_shape, dtype=bool)
        if rho[0]:
            self.never_read[h - rho[0]:, :] = True
        if rho[1]:
            self.never_read[:, wd - rho[1]:] = True
        sx = "x" if s == 1 else f"{s}x"
        spread_text = (
            f"The {oh}x{ow} delta map is spread out with {s - 1} "
            f"zero{'s' if s > 2 else ''} between neighbours, so delta[x, y] sits at "
            f"({s}x, {s}y). " if s > 1 else "")
        self.alt = (
            f"Backward pass of a stride-{s} layer with a {kh}x{kw} kernel on a "
            f"{h}x{wd} input. For the chosen output (x, y), the left grid shows the "
            f"forward window, rows {sx} to {sx}+{kh - 1}. " + spread_text
            + "On the right, each delta adds itself times the kernel "
            "onto the window it came from; the sums fill in as the output position "
            "advances" + (", and the rows and columns that no window read stay zero."
                          if self.never_read.any() else ".")
        )
        dh, dw_ = s * (oh - 1) + 1, s * (ow - 1) + 1
        x_mid = wd + 1.2
        x_res = x_mid + max(dw_, ow) + 2.0
        width = max(x_res + wd, 22.0)  # room for the two lines of text below
        y_d = oh + 1.8
        # stride 1 inserts no zeros: the spread-out map D would repeat the deltas
        height = max(h, y_d + dh if s > 1 else oh) + 2.6
        self.fig = new_figure(0.35 * (width + 1), 0.35 * (height + 1.6), dpi=dpi)
        ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.98))
        self.ax = ax
        self._origins = {"a": (0.0, 0.0), "delta": (x_mid, 0.0), "D": (x_mid, y_d),
                         "res": (x_res, 0.0)}
        GridArtist(ax, np.zeros(in_shape), cmap=None, fmt="", fontsize=10.5,
                   title="aˡ: window of zˡ⁺¹[x, y]").grey_cells(self.never_read,
                                                              hatch="///")
        for x0 in (0.0, x_res):   # row and column numbers of the input grids
            for r in range(h):
                ax.text(x0 - 0.6, r, str(r), ha="right", va="center", fontsize=10.5,
                        color="#555555")
            for c in range(wd):
                ax.text(x0 + c, h - 0.35, str(c), ha="center", va="top", fontsize=10.5,
                        color="#555555")
        GridArtist(ax, self.delta, cmap=None, fmt="g", fontsize=10.5,
                   origin=self._origins["delta"], title="δˡ⁺¹")
        if s > 1:
            spread = np.zeros((dh, dw_))
            spread[::s, ::s] = self.delta
            inserted = np.ones((dh, dw_), dtype=bool)
            inserted[::s, ::s] = False
            GridArtist(ax, spread, cmap=None, fmt="g", fontsize=10.5,
                       origin=self._origins["D"],
                       title=f"D: {s - 1} zero{'s' if s > 2 else ''} between",
                       ).grey_cells(inserted, text_color="black")
        self.res_grid = GridArtist(ax, np.zeros(in_shape), cmap=None, fmt="",
                                   origin=self._origins["res"], fontsize=10.5,
                                   title="∂C/∂aˡ: each δ adds δ·w")
        self.res_grid.grey_cells(self.never_read, hatch="///")
        xr, yr = self._origins["res"]
        cells = [(xr + c, yr + r) for r in range(h) for c in range(wd)]
        self.sums = TextGrid(ax, cells, size=10.5, zorder=6)
        self.wnames = TextGrid(ax, np.zeros((kh * kw, 2)),
                               [f"w{i}{j}" for i in range(kh) for j in range(kw)],
                               size=10.5, color=OKABE_ITO["blue"],
                               zorder=6)
        self.window = Rectangle((0, 0), kw, kh, facecolor="none",
                                edgecolor=ROLE["highlight"], linewidth=3.0,
                                linestyle="--", zorder=5)
        ax.add_patch(self.window)
        self.footprint = Rectangle((0, 0), kw, kh, facecolor="none",
                                   edgecolor=ROLE["highlight"], linewidth=3.0,
                                   linestyle="--", zorder=7)
        ax.add_patch(self.footprint)
        self.cell_delta = Outlines(ax, 1, ROLE["delta"], width=3.2)
        self.cell_d = Outlines(ax, 1, ROLE["delta"], width=3.2)
        self.line = PathText(ax, -0.5, height - 1.7, "", ha="left", va="top",
                             size=11)
        self.line2 = PathText(ax, -0.5, height - 0.7, "", ha="left", va="top",
                              size=11)
        ax.set_xlim(-0.8, width)
        ax.set_ylim(height - 0.3, -1.9)
        self._bg = FrozenBackground(self.fig, [
            self.window, self.footprint, self.sums.collection, self.wnames.collection,
            *self.cell_delta.artists, *self.cell_d.artists, self.line.patch,
            self.line2.patch])
        self.update(**self.defaults())

    def _update(self, x, y):
        self._bg.ensure()
        s = self.stride
        kh, kw = self.w.shape
        ow = self.delta.shape[1]
        self.window.set_xy((s * y - 0.5, s * x - 0.5))
        xr, yr = self._origins["res"]
        self.footprint.set_xy((xr + s * y - 0.5, yr + s * x - 0.5))
        self.wnames.set_offsets([(s * y + j, s * x + i + 0.3)
                                 for i in range(kh) for j in range(kw)])
        self.cell_delta.show([(x, y)], origin=self._origins["delta"])
        self.cell_d.show([(s * x, s * y)] if s > 1 else [], origin=self._origins["D"])
        sums, touched = scatter_partial_sums(self.delta, self.w, self.in_shape, s,
                                             x * ow + y + 1)
        self.sums.set_texts([num(v) if t or nr else ""
                             for v, t, nr in zip(sums.ravel(), touched.ravel(),
                                                 self.never_read.ravel(), strict=True)])
        v = self.delta[x, y]
        vs = num(v, paren=True)
        where = f" sits at D[{s * x}, {s * y}] and" if s > 1 else ""
        self.line.set_text(
            f"δˡ⁺¹[{x}, {y}] = {num(v)}{where} adds "
            f"{vs}·w[i, j] to ∂C/∂aˡ[{s * x} + i, {s * y} + j], i = 0..{kh - 1}, "
            f"j = 0..{kw - 1},")
        self.line2.set_text("the window it came from; overlapping windows add up "
                            f"(deltas up to [{x}, {y}] added)")


def dilation_figure(w=None, dilation=2, *, dpi: int = 90):
    """The kernel, the kernel with holes, and the rotated kernel with holes.

    Returns a detached Figure with three grids: ``w`` (KH x KW), the dilated
    kernel ``w_d`` (holes grey and hatched) and ``rot180(w_d)``, which equals
    the dilation of ``rot180(w)``. The default kernel holds 1..9, so that no
    weight is mistaken for a hole.
    """
    w = (np.arange(1.0, 10.0).reshape(3, 3) if w is None
         else as_map(w, "w", dims="(KH, KW)"))
    d = as_int(dilation, "dilation", 1)
    kh, kw = w.shape
    dh, dw_ = d * (kh - 1) + 1, d * (kw - 1) + 1
    w_d = np.zeros((dh, dw_))
    w_d[::d, ::d] = w
    holes = np.ones_like(w_d, dtype=bool)
    holes[::d, ::d] = False
    x1 = kw + 1.5
    x2 = x1 + dw_ + 1.5
    fig = new_figure(0.5 * (x2 + dw_ + 0.5), 0.5 * (dh + 2.2), dpi=dpi)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    GridArtist(ax, w, cmap=None, fmt="g", title="w")
    GridArtist(ax, w_d, cmap=None, fmt="g", origin=(x1, 0.0),
               title=f"w with holes, d = {d}").grey_cells(holes, hatch="///",
                                                          text_color="black")
    GridArtist(ax, w_d[::-1, ::-1], cmap=None, fmt="g", origin=(x2, 0.0),
               title="rot180 of it").grey_cells(holes[::-1, ::-1], hatch="///",
                                                text_color="black")
    ax.set_xlim(-0.8, x2 + dw_)
    ax.set_ylim(dh + 0.2, -2.0)
    return fig


def pooling_figure(x, delta, *, dpi: int = 90):
    """How max and average pooling route the deltas back (2x2 windows, stride 2).

    Panels: the input with the windows framed and each window's (first) maximum
    outlined; the deltas of the pooled map; the input gradient of max pooling
    (each delta at its window's maximum, zeros elsewhere); that of average
    pooling (each delta divided by 4 over its window).

    Parameters
    ----------
    x : array_like, shape (H, W)
        H and W even.
    delta : array_like, shape (H // 2, W // 2)
    """
    from cnnlib.pool import (
        avg_pool2d_backward,
        avg_pool2d_forward,
        max_pool2d_backward,
        max_pool2d_forward,
    )

    x = as_map(x, "x")
    delta = as_map(delta, "delta", dims="(H/2, W/2)")
    h, w = x.shape
    if h % 2 or w % 2 or delta.shape != (h // 2, w // 2):
        raise ValueError(f"x, delta: expected an even (H, W) and delta of shape "
                         f"(H/2, W/2); got x shape {x.shape}, delta shape "
                         f"{delta.shape}")
    _, mcache = max_pool2d_forward(x[None, None], 2)
    dmax = max_pool2d_backward(delta[None, None], mcache)[0, 0]
    _, acache = avg_pool2d_forward(x[None, None], 2)
    davg = avg_pool2d_backward(delta[None, None], acache)[0, 0]
    oh, ow = delta.shape
    origins = [0.0, w + 1.5, w + 1.5 + ow + 1.5, w + 1.5 + ow + 1.5 + w + 1.5]
    width = origins[3] + w
    fig = new_figure(0.5 * (width + 0.6), 0.5 * (h + 2.4), dpi=dpi)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    GridArtist(ax, x, cmap=None, fmt="g", title="aˡ (2×2 windows)")
    GridArtist(ax, delta, cmap=None, fmt="g", origin=(origins[1], 0.0),
               title="δˡ⁺¹")
    GridArtist(ax, dmax, cmap=None, fmt="g", origin=(origins[2], 0.0),
               title="∂C/∂aˡ, max pool")
    GridArtist(ax, davg, cmap=None, fmt="g", origin=(origins[3], 0.0),
               title="∂C/∂aˡ, average pool")
    winners = Outlines(ax, oh * ow, ROLE["delta"], width=3.0)
    routed = Outlines(ax, oh * ow, ROLE["delta"], width=3.0)
    cells = [(2 * r + a // 2, 2 * c + a % 2)
             for (r, c), a in np.ndenumerate(mcache.argmax[0, 0])]
    winners.show(cells)
    routed.show(cells, origin=(origins[2], 0.0))
    for x0 in (0.0, origins[2], origins[3]):
        for r in range(oh):
            for c in range(ow):
                ax.add_patch(Rectangle((x0 + 2 * c - 0.5, 2 * r - 0.5), 2, 2,
                                       fill=False, edgecolor="#222222",
                                       linewidth=2.0, zorder=4))
    ax.set_xlim(-0.8, width)
    ax.set_ylim(h + 0.2, -2.0)
    return fig
