"""Chapter 3 drawings: a kernel window sliding over an input.

:class:`SlidingWindowDrawing` shows the (zero-padded) input, the kernel and the
output of a cross-correlation corr(a, w) or a true convolution conv(a, w) in
mode "valid", "same" or "full"::

    corr(a, w)[x, y] = Σ_{i=0}^{KH-1} Σ_{j=0}^{KW-1} a[x+i, y+j] w[i, j],

x = 0..H-KH, y = 0..W-KW in "valid" mode (the other modes pad a with zeros
first), and conv(a, w) = corr(a, rot180(w)) in "valid" and "full" mode. The
window of the chosen output cell is outlined on the input, each of its cells
labelled with the kernel entry that multiplies it (for a convolution the labels
come out rotated by 180 degrees), and the sum of products is written out with
its numbers. :func:`modes_figure` draws the three
modes side by side.

The numbers come from :func:`cnnlib.correlate2d` and :func:`cnnlib.convolve2d`;
the pure function :func:`window_origin` says where each output's window sits.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from cnnlib.conv import convolve2d, correlate2d
from cnnlib.rules import check_op_mode, mode_padding, window_origin
from cnnlib.validation import MODES, as_int, as_map
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.grid import grid_lines
from cnnlib.viz.core.style import ROLE, new_figure
from cnnlib.viz.core.text import PathText, TextGrid, num

__all__ = ["SlidingWindowDrawing", "modes_figure"]

#: Chapter 3's running example: a 5 x 5 input and a 3 x 3 kernel.
EXAMPLE_INPUT = np.array([[1.0, 0.0, 2.0, 1.0, 0.0], [0.0, 3.0, 1.0, 0.0, 2.0],
                          [2.0, 1.0, 0.0, 1.0, 1.0], [0.0, 2.0, 1.0, 3.0, 0.0],
                          [1.0, 0.0, 0.0, 2.0, 1.0]])
EXAMPLE_KERNEL = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0], [0.0, -1.0, 1.0]])



class SlidingWindowDrawing(Drawing):
    """A kernel sliding over a zero-padded input, one output cell at a time.

    Parameters
    ----------
    a : array_like, shape (H, W)
        The input (small integers read best).
    k : array_like, shape (KH, KW)
        The kernel, w in the book's formulas.
    mode : {"valid", "same", "full"}
    op : {"correlate", "convolve"}
        Cross-correlation corr(a, w) (slide the kernel, not rotated: what a
        conv layer computes) or true convolution conv(a, w) (slide the kernel
        rotated by 180 degrees).
    width, height, dpi : float

    Parameters of :meth:`update`: ``x`` and ``y``, the output row and column.
    """

    @classmethod
    def example(cls) -> SlidingWindowDrawing:
        """A 5 x 5 input and a 3 x 3 kernel, as in chapter 3."""
        return cls(EXAMPLE_INPUT, EXAMPLE_KERNEL)

    def __init__(self, a, k, *, mode="valid", op="correlate", width=7.4, height=4.9,
                 dpi=92):
        check_op_mode(op, mode)
        a = as_map(a, "a")
        k = as_map(k, "k", dims="(KH, KW)")
        fn = correlate2d if op == "correlate" else convolve2d
        self.z = fn(a, k, mode)  # validates a, k and the mode
        self.a, self.k, self.mode, self.op = a, k, mode, op
        (h, w), (kh, kw) = a.shape, k.shape
        oh, ow = self.z.shape
        (pt, pb), (pl, pr) = mode_padding(kh, mode, op), mode_padding(kw, mode, op)
        self.pad = (pt, pl)
        hp, wp = h + pt + pb, w + pl + pr
        self.params = (Param("x", "Output row x", 0, oh - 1),
                       Param("y", "Output column y", 0, ow - 1))
        name = "cross-correlation" if op == "correlate" else "true convolution"
        flip = ("" if op == "correlate" else
                " The kernel labels in the window are the kernel rotated by 180 "
                "degrees: the bottom-right entry of w meets the top-left pixel.")
        self.alt = (
            f"The {name} in {mode} mode of a {h} by {w} input a"
            + (f" padded with zeros to {hp} by {wp}" if (hp, wp) != (h, w) else "")
            + f" with a {kh} by {kw} kernel w, giving a {oh} by {ow} output. The "
            "window of the chosen output cell is outlined on the input, each of "
            "its cells labelled with the kernel entry that multiplies it, and the "
            "sum of the products is written out below." + flip
        )
        self.fig = fig = new_figure(width, height, dpi=dpi)
        ax = fig.add_axes((0.0, 0.34, 1.0, 0.66))
        ax.set_axis_off()
        self.ax = ax
        gap = 1.3
        self.org_a = (0.6, 0.0)
        self.org_k = (self.org_a[0] + wp + gap, 0.0)
        self.org_z = (self.org_k[0] + kw + gap, 0.0)
        right = self.org_z[0] + ow + 0.3
        rows = max(hp, oh, kh)
        ax.set_xlim(0, max(right, 1))
        ax.set_ylim(rows + 0.2, -1.5)
        ax.set_aspect("equal")
        # input: padding cells grey, with their own (negative or large) indices
        cells, faces = [], []
        for r in range(hp):
            for c in range(wp):
                x0, y0 = self.org_a[0] + c, self.org_a[1] + r
                cells.append([(x0, y0), (x0 + 1, y0), (x0 + 1, y0 + 1), (x0, y0 + 1)])
                inside = pt <= r < pt + h and pl <= c < pl + w
                faces.append("#FFFFFF" if inside else "#DDDDDD")
        ax.add_collection(PolyCollection(cells, facecolors=faces, edgecolors="#555555",
                                         linewidths=0.8, zorder=0))
        ap = np.zeros((hp, wp))
        ap[pt:pt + h, pl:pl + w] = a
        self.ap = ap
        TextGrid(ax, [(self.org_a[0] + c + 0.5, r + 0.62) for r in range(hp)
                      for c in range(wp)], [num(v) for v in ap.ravel()],
                 size=11.5)
        TextGrid(ax, [(self.org_a[0] - 0.2, r + 0.5) for r in range(hp)],
                 [num(r - pt) for r in range(hp)], size=9, ha="right",
                 color="#555555")
        TextGrid(ax, [(self.org_a[0] + c + 0.5, -0.12) for c in range(wp)],
                 [num(c - pl) for c in range(wp)], size=9, va="bottom",
                 color="#555555")
        PathText(ax, self.org_a[0] + wp / 2, -0.95, "input a", size=10.5,
                 va="bottom")
        if (hp, wp) != (h, w):
            PathText(ax, self.org_a[0] + wp / 2, -0.5, "grey: zero padding", size=9,
                     va="bottom")
        # kernel
        self._grid(ax, self.org_k, kh, kw, "#F3F3F3")
        TextGrid(ax, [(self.org_k[0] + c + 0.5, r + 0.5) for r in range(kh)
                      for c in range(kw)], [num(v) for v in k.ravel()],
                 size=11.5)
        TextGrid(ax, [(self.org_k[0] + c + 0.5, -0.12) for c in range(kw)],
                 [str(c) for c in range(kw)], size=9, va="bottom", color="#555555")
        TextGrid(ax, [(self.org_k[0] - 0.2, r + 0.5) for r in range(kh)],
                 [str(r) for r in range(kh)], size=9, ha="right", color="#555555")
        PathText(ax, self.org_k[0] + kw / 2, -0.95, "kernel w", size=10.5,
                 va="bottom")
        # output
        self._grid(ax, self.org_z, oh, ow, "#FFFFFF")
        self.z_text = TextGrid(ax, [(self.org_z[0] + c + 0.5, r + 0.5)
                                    for r in range(oh) for c in range(ow)], size=11.5)
        TextGrid(ax, [(self.org_z[0] + c + 0.5, -0.12) for c in range(ow)],
                 [str(c) for c in range(ow)], size=9, va="bottom", color="#555555")
        TextGrid(ax, [(self.org_z[0] - 0.2, r + 0.5) for r in range(oh)],
                 [str(r) for r in range(oh)], size=9, ha="right", color="#555555")
        what = "cross-correlation" if op == "correlate" else "convolution"
        PathText(ax, self.org_z[0] + ow / 2, -0.95, "output z", size=10.5,
                 va="bottom")
        PathText(ax, self.org_z[0] + ow / 2, -0.5, f"{what}, {mode}", size=9,
                 va="bottom")
        # moving parts: the window, its kernel labels, the output cell
        self.window = Rectangle((0, 0), kw, kh, fill=False, lw=3.2,
                                edgecolor=ROLE["highlight"], zorder=6)
        ax.add_patch(self.window)
        self.window_fill = Rectangle((0, 0), kw, kh, facecolor=ROLE["highlight"],
                                     alpha=0.12, edgecolor="none", zorder=1)
        ax.add_patch(self.window_fill)
        self.k_labels = TextGrid(ax, np.zeros((kh * kw, 2)), size=9,
                                 color=ROLE["highlight"], ha="left", va="top",
                                 zorder=7)
        self.z_mark = Rectangle((0, 0), 1, 1, fill=False, lw=3.2,
                                edgecolor=ROLE["highlight"], zorder=6)
        ax.add_patch(self.z_mark)
        # the sum, one line per kernel row, and the total
        self.lines = [PathText(ax, 0.02, 0.29 - 0.062 * i, "", ha="left", size=10.5,
                               coords="figure") for i in range(kh + 1)]
        for x in range(oh):  # build every string's outline once
            for y in range(ow):
                self._update(x=x, y=y)
        self.update(**self.defaults())

    @staticmethod
    def _grid(ax, org, n_rows, n_cols, face):
        ax.add_patch(Rectangle(org, n_cols, n_rows, facecolor=face, zorder=0))
        grid_lines(ax, org, n_rows, n_cols, color="#555555")

    def terms(self, x: int, y: int) -> list[tuple]:
        """The products of output (x, y): ``(i, j, r, c, w[i, j], a[r, c])`` for
        every kernel entry, where (r, c) is the input position (in the
        unpadded input's indices, which may lie in the padding) it multiplies."""
        kh, kw = self.k.shape
        r0, c0 = window_origin(x, y, self.k.shape, self.mode, self.op)
        out = []
        for i in range(kh):
            for j in range(kw):
                if self.op == "correlate":
                    r, c = r0 + i, c0 + j
                else:  # conv(a, w)[x, y] pairs w[i, j] with the mirrored position
                    r, c = r0 + kh - 1 - i, c0 + kw - 1 - j
                ap = self.ap[r + self.pad[0], c + self.pad[1]]
                out.append((i, j, r, c, self.k[i, j], ap))
        return out

    def frames(self) -> list[dict]:
        """Every output cell, row by row."""
        oh, ow = self.z.shape
        return [{"x": x, "y": y} for x in range(oh) for y in range(ow)]

    def _update(self, x, y):
        kh, kw = self.k.shape
        oh, ow = self.z.shape
        r0, c0 = window_origin(x, y, self.k.shape, self.mode, self.op)
        wx, wy = self.org_a[0] + c0 + self.pad[1], r0 + self.pad[0]
        self.window.set_xy((wx, wy))
        self.window_fill.set_xy((wx, wy))
        terms = self.terms(x, y)
        # label each window cell with the kernel entry that multiplies it
        pos = [(self.org_a[0] + c + self.pad[1] + 0.06, r + self.pad[0] + 0.04)
               for (_, _, r, c, _, _) in terms]
        self.k_labels.set_offsets(pos)
        self.k_labels.set_texts([f"$w_{{{i}{j}}}$" for (i, j, *_) in terms])
        self.z_mark.set_xy((self.org_z[0] + y, x))
        n = x * ow + y
        self.z_text.set_texts([num(v) if m <= n else ""
                               for m, v in enumerate(self.z.ravel())])
        for i in range(kh):
            row = [t for t in terms if t[0] == i]
            sym = " + ".join(f"a_{{{num(r)},{num(c)}}}w_{{{ii}{j}}}"
                             for (ii, j, r, c, _, _) in row)
            nums = " + ".join(f"{num(av, paren=True)}\\cdot{num(kv, paren=True)}"
                              for (*_, kv, av) in row)
            part = sum(kv * av for (*_, kv, av) in row)
            lead = f"z_{{{x},{y}}} =" if i == 0 else "+"
            self.lines[i].set_text(
                f"${lead}\\ {sym}\\quad ({nums} = {num(part)})$")
        sums = [sum(kv * av for (ii, *_, kv, av) in terms if ii == i)
                for i in range(kh)]
        parts = " + ".join(num(v, paren=True) for v in sums)
        total = num(self.z[x, y])
        self.lines[kh].set_text(
            f"$z_{{{x},{y}}} = {parts} = {total}$")


def modes_figure(h: int = 4, k_len: int = 3, *, width=7.4, height=3.2, dpi=90):
    """The three modes on an ``h`` x ``h`` input with a ``k_len`` x ``k_len``
    kernel: the padded input of each mode, the first and the last window
    outlined, and the output size (``1 <= k_len <= h``, so "valid" is not empty)."""
    h = as_int(h, "h", 1, 20)
    k_len = as_int(k_len, "k_len", 1, h)
    fig = new_figure(width, height, dpi=dpi)
    sizes = {"valid": h - k_len + 1, "same": h, "full": h + k_len - 1}
    rule = {"valid": "H − K + 1", "same": "H", "full": "H + K − 1"}
    biggest = h + 2 * (k_len - 1)
    for n, mode in enumerate(MODES):
        ax = fig.add_axes((n / 3 + 0.01, 0.02, 1 / 3 - 0.02, 0.82))
        ax.set_axis_off()
        ax.set_xlim(-0.6, biggest + 0.6)
        ax.set_ylim(biggest + 0.6, -0.6)
        ax.set_aspect("equal")
        before, after = mode_padding(k_len, mode)
        hp = h + before + after
        off = (biggest - hp) / 2
        for r in range(hp):
            for c in range(hp):
                inside = before <= r < before + h and before <= c < before + h
                ax.add_patch(Rectangle((off + c, off + r), 1, 1,
                                       facecolor="white" if inside else "#DDDDDD",
                                       hatch=None if inside else "///",
                                       edgecolor="#777777", lw=0.6))
        last = hp - k_len
        ax.add_patch(Rectangle((off, off), k_len, k_len, fill=False, lw=2.8,
                               edgecolor=ROLE["highlight"]))
        ax.add_patch(Rectangle((off + last, off + last), k_len, k_len, fill=False,
                               lw=2.8, ls="--", edgecolor=ROLE["secondary"]))
        o = sizes[mode]
        ax.set_title(f"{mode}: pad {before} + {after}\noutput {o} × {o} = "
                     f"{rule[mode]}", fontsize=10)
    fig.text(0.5, 0.01, "solid: first window (output [0, 0]); dashed: last window "
             "(output [O−1, O−1]); hatched grey: zero padding", ha="center",
             fontsize=8.5)
    return fig
