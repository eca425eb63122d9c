"""Chapter 4: why the backward pass meets the kernel back to front.

In the forward pass each delta's output z^{l+1}[x, y] read a window of layer l,
so in the backward pass each delta δ^{l+1}[x, y] sends back one copy of the
kernel, scaled by it, onto that window (the scatter form). Pick a position
(p, q) of layer l and ask which copies cover it, and with which weight: copy
(x, y) lays w[p − x, q − y] on it (:func:`cnnlib.rules.delta_sources`). As the
delta's index x grows, the weight's index p − x falls, so, read in the order of
the deltas, the weights come out reversed in both directions: rot180(w).

:class:`KernelRotation` shows exactly that, for every position: the nine copies
with the cell each lays on (p, q), the delta map with the weight each delta
sends there, and rot180(w) with the same weights marked.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from cnnlib.conv import rot180
from cnnlib.rules import delta_sources, full_correlate_rot180
from cnnlib.validation import as_map
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import GridArtist, Outlines
from cnnlib.viz.core.style import ROLE, new_figure
from cnnlib.viz.core.text import SUBSCRIPT, PathText, num
from cnnlib.viz.deltas import EXAMPLE_DELTA, EXAMPLE_KERNEL

__all__ = ["KernelRotation"]

# The running example of chapter 4 (EXAMPLE_KERNEL, EXAMPLE_DELTA) is that of
# :class:`cnnlib.viz.DeltaPropagation`, imported from its module.

#: Space between neighbouring copies of the kernel, in cells.
_GAP = 1.0


def _w(i: int, j: int) -> str:
    """w[i, j] written as w with subscript digits, as in the chapter's figures."""
    return "w" + f"{i}{j}".translate(SUBSCRIPT)


class KernelRotation(Drawing):
    """Which copies of the kernel cover position (p, q), and with which weight.

    Parameters
    ----------
    w : array_like, shape (KH, KW), optional
        The kernel (default :data:`EXAMPLE_KERNEL`, the numbers 1 to 9).
    delta : array_like, shape (OH, OW), optional
        The deltas of layer l+1 (default :data:`EXAMPLE_DELTA`).
    dpi : float

    Parameters of :meth:`update`: ``p`` (0..OH+KH−2) and ``q`` (0..OW+KW−2),
    the position of layer l.
    """

    def __init__(self, w=None, delta=None, dpi: int = 80):
        self.w = EXAMPLE_KERNEL if w is None else as_map(w, "w", dims="(KH, KW)")
        self.delta = (EXAMPLE_DELTA if delta is None
                      else as_map(delta, "delta", dims="(OH, OW)"))
        kh, kw = self.w.shape
        oh, ow = self.delta.shape
        if max(kh, kw, oh, ow) > 4:
            raise ValueError(f"w, delta: at most 4 x 4 each (the copies must stay "
                             f"legible), got shapes {self.w.shape} and "
                             f"{self.delta.shape}")
        self.result = full_correlate_rot180(self.delta, self.w)
        self.params = (Param("p", "Row p of layer l", 0, oh + kh - 2),
                       Param("q", "Column q of layer l", 0, ow + kw - 2))
        step_x, step_y = kw + _GAP, kh + _GAP
        width_copies = ow * step_x - _GAP
        self.fig = new_figure(7.6, 4.5, dpi=dpi)
        # three panels, one axes each: copies | delta map | rot180(w)
        ax_c = self.fig.add_axes((0.01, 0.25, 0.46, 0.73))
        ax_d = self.fig.add_axes((0.50, 0.25, 0.24, 0.73))
        ax_r = self.fig.add_axes((0.76, 0.25, 0.23, 0.73))
        self.axes = (ax_c, ax_d, ax_r)

        # the copies: copy (x, y) at column block y, row block x
        self.copies = np.empty((oh, ow), dtype=object)
        self.misses = np.empty((oh, ow), dtype=object)
        for x in range(oh):
            for y in range(ow):
                self.copies[x, y] = GridArtist(
                    ax_c, self.w, cmap=None, fmt="g", fontsize=10,
                    origin=(y * step_x, x * step_y))
                cover = Rectangle((y * step_x - 0.5, x * step_y - 0.5), kw, kh,
                                  facecolor="#F2F2F2", edgecolor="#888888",
                                  hatch="////", linewidth=0.8, zorder=3.5)
                ax_c.add_patch(cover)
                self.misses[x, y] = cover
        for y in range(ow):  # column labels: the delta each copy belongs to
            PathText(ax_c, y * step_x + (kw - 1) / 2, -0.95, f"y = {y}", size=10,
                     va="bottom")
        for x in range(oh):
            PathText(ax_c, -0.75, x * step_y + (kh - 1) / 2, f"x = {x}", size=10,
                     ha="right")
        PathText(ax_c, (width_copies - 1) / 2, -2.0,
                 "the copy of w sent back by each δ[x, y]", size=10.5,
                 va="bottom")
        ax_c.set_xlim(-2.3, width_copies)
        ax_c.set_ylim(oh * step_y - _GAP, -2.6)

        # the delta map, each delta with the weight it sends to (p, q)
        self.dgrid = GridArtist(ax_d, self.delta, cmap=None, fmt="", fontsize=10)
        self.dvals = [[PathText(ax_d, y, x - 0.2, num(self.delta[x, y]),
                                size=11, weight="bold")
                       for y in range(ow)] for x in range(oh)]
        self.dlabels = [[PathText(ax_d, y, x + 0.25, "", size=10,
                                  color=ROLE["secondary"]) for y in range(ow)]
                        for x in range(oh)]
        PathText(ax_d, (ow - 1) / 2, -0.95, "δˡ⁺¹: weight sent to (p, q)",
                 size=10.5, va="bottom")
        ax_d.set_xlim(-0.6, ow - 0.4)
        ax_d.set_ylim(oh - 0.4, -1.6)

        # rot180(w), the weights used marked
        self.rot = rot180(self.w)
        self.rgrid = GridArtist(ax_r, self.rot, cmap=None, fmt="", fontsize=10)
        for (r, c), v in np.ndenumerate(self.rot):
            i, j = kh - 1 - r, kw - 1 - c
            PathText(ax_r, c, r - 0.2, num(v), size=11, weight="bold")
            PathText(ax_r, c, r + 0.25, _w(i, j), size=10, color=ROLE["secondary"])
        PathText(ax_r, (kw - 1) / 2, -0.95, "rot180(w)", size=10.5, va="bottom")
        ax_r.set_xlim(-0.6, max(kw, ow) - 0.4)
        ax_r.set_ylim(max(kh, oh) - 0.4, -1.6)

        self.lines = [PathText(ax_c, 0.02, 0.175 - 0.07 * k, "", size=10.5,
                               ha="left", va="center", coords="figure")
                      for k in range(3)]
        self.lines[2].set_text(
            "x up means p−x down: read in the deltas' order, the weights run "
            "backwards, as rot180(w).")
        # the cells a step marks: an outline each, from a pool per panel (the
        # grids' own thin borders stay as they are, in the background)
        self.marks = (Outlines(ax_c, oh * ow, ROLE["highlight"], zorder=4),
                      Outlines(ax_d, oh * ow, ROLE["highlight"], zorder=4),
                      Outlines(ax_r, kh * kw, ROLE["highlight"], zorder=4))
        # what update changes: the outlines, covers, labels and the first two
        # lines; the rest (numbers, titles, grids) is drawn once, as one image
        self._bg = FrozenBackground(self.fig, [
            *(r for pool in self.marks for r in pool.artists),
            *self.misses.ravel(), *(t.patch for row in self.dlabels for t in row),
            *(line.patch for line in self.lines[:2])])
        self.update(**self.defaults())

    @classmethod
    def example(cls) -> KernelRotation:
        return cls()

    def sources(self, p: int, q: int) -> list[tuple[int, int, int, int]]:
        """(x, y, i, j) for every delta (x, y) whose copy covers (p, q), through
        w[i, j] = w[p − x, q − y]: :func:`cnnlib.rules.delta_sources`."""
        return delta_sources(p, q, self.w.shape, self.delta.shape)

    def _update(self, p, q):
        self._bg.ensure()
        kh, kw = self.w.shape
        oh, ow = self.delta.shape
        src = {(x, y): (i, j) for x, y, i, j in self.sources(p, q)}
        for x in range(oh):
            for y in range(ow):
                hit = src.get((x, y))
                self.misses[x, y].set_visible(hit is None)
                self.dlabels[x][y].set_text("misses" if hit is None
                                            else "×" + _w(*hit))
        # copy (x, y) has w[i, j] at row x * (KH + gap) + i, column y * (KW + gap) + j
        self.marks[0].show([(x * (kh + _GAP) + i, y * (kw + _GAP) + j)
                            for (x, y), (i, j) in src.items()])
        self.marks[1].show(list(src))
        self.marks[2].show([(kh - 1 - i, kw - 1 - j) for i, j in src.values()])
        terms = [f"{num(self.delta[x, y], paren=True)}·{num(self.w[i, j], paren=True)}"
                 for (x, y), (i, j) in sorted(src.items())]
        n = len(src)
        self.lines[0].set_text(
            f"Position ({p}, {q}) is covered by {n} of the {oh * ow} copies; "
            f"copy (x, y) lays w[{p}−x, {q}−y] on it.")
        self.lines[1].set_text(
            f"dC/da[{p}, {q}] = " + " + ".join(terms)
            + f" = {num(self.result[p, q])}  (then ⊙ σ′)")

    @property
    def alt(self) -> str:
        return self.alt_of(self.state)

    def alt_of(self, state: dict) -> str:
        """What the figure shows for the position ``state`` = {"p", "q"}."""
        st = {**self.defaults(), **state}
        p, q = st["p"], st["q"]
        src = sorted(self.sources(p, q))  # in the order of the deltas
        pairs = "; ".join(f"delta[{x},{y}] sends w[{i},{j}]" for x, y, i, j in src)
        (kh, kw), (oh, ow) = self.w.shape, self.delta.shape
        return (f"{oh * ow} copies of a {kh}x{kw} kernel, one per delta, and the "
                f"delta map. "
                f"Position ({p}, {q}) of layer l is covered by {len(src)} "
                f"{'copy' if len(src) == 1 else 'copies'}: "
                f"{pairs}. Read in the order of the deltas the weight indices run "
                f"backwards, as in rot180(w), shown beside with the same weights "
                f"marked. The sum is {num(self.result[p, q])}.")
