"""Chapter 7: the forward/backward explorer of one small convolution layer.

:class:`LayerExplorer` draws one layer, a 6 x 6 input and a 3 x 3 kernel holding
1 to 9, under every combination of stride s in {1, 2}, padding P in {0, 1} and
dilation d in {1, 2} (PyTorch's meanings); layer l (the input a^l) feeds layer
l+1 (the output z^{l+1}, the deltas δ^{l+1}). Forward, the reader picks an output
cell and sees the window of inputs it reads and the weight each one meets,
eq. (ch7-forward)::

    z^{l+1}[x, y] = sum_{i=0}^{2} sum_{j=0}^{2} a_P^l[s x + d i, s y + d j] w[i, j],

where a_P^l is a^l with P zeros added on each side.

Backward, the reader picks an input cell and sees every delta that reaches it
and the weight each passes through, as the kernel rotated by 180 degrees (with
holes when d = 2) lying on the deltas spread out with s - 1 zeros between them,
eq. (ch7-one-channel)::

    dC/da^l[p, q] = sum_{u=0}^{2d} sum_{v=0}^{2d} G[p + u, q + v] rot180(w_d)[u, v]

(G from :func:`cnnlib.rules.rotated_kernel_view`; (p, q) is a position of layer
l, (x, y) one of layer l+1). Input cells that no window
reads are hatched (the legend says so); their gradient is 0. The picked cell's sum,
written out, is in the figure's description (its alt text and status line).
The index counting is in :mod:`cnnlib.rules`, the numbers come from
:func:`cnnlib.conv2d_forward` and :func:`cnnlib.conv2d_backward`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle

from cnnlib.conv import conv2d_backward, conv2d_forward
from cnnlib.rules import (
    input_routes,
    read_mask,
    rotated_kernel_view,
    window_taps,
)
from cnnlib.validation import as_finite_array
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground, _leaves
from cnnlib.viz.core.style import OKABE_ITO, PAD_GREY, ROLE, new_figure
from cnnlib.viz.core.text import PathText, TextGrid, num
from cnnlib.viz.deltas import EXAMPLE_KERNEL

__all__ = ["LayerExplorer"]

#: The layer's input a^l: small nonzero integers, so every product is easy to read.
EXAMPLE_INPUT = np.array([[2, -1, 3, 1, -2, 1],
                          [1, 2, -1, -2, 3, 2],
                          [-2, 3, 1, 2, -1, -1],
                          [3, -1, -2, 1, 2, 1],
                          [1, 2, 2, -1, -2, 3],
                          [-1, 1, -2, 3, 1, -2]], dtype=np.float64)
#: The deltas dC/dz: the top-left O_H x O_W block of this array, whatever the
#: output size (nonzero, so no delta is mistaken for an inserted zero).
EXAMPLE_DELTAS = np.array([[1, -2, 2, 1, -1, 3],
                           [2, 1, -1, 3, 2, -2],
                           [-1, 3, 2, -2, 1, 1],
                           [2, -1, 1, 2, -3, 1],
                           [1, 2, -2, 1, 2, -1],
                           [-2, 1, 3, -1, 1, 2]], dtype=np.float64)

SIZE = 10.5          # points: cell numbers (11.7 px at 80 dpi)
SMALL = 10.0         # points: weight labels, indices, legend (11.1 px at 80 dpi)
CELL_EDGE = "#444444"
HATCH = "#9A9A9A"    # hatch lines of never-read cells: light, so numbers stay clear
X_B = 9.5            # column of the right panel's cell (0, 0)
Y_K = 10.0           # row of the kernels' cell (0, 0)
X_ROT = 4.5          # column of rot180(w)'s cell (0, 0)
MAX_B = 10           # the right panel holds at most MAX_B x MAX_B cells
UNIT = 0.4           # inches per cell: 64 image px at the book's 2 x 80 dpi, so
#                      the marks of every cell fall on the same pixel grid
X_LIM = (-1.5, X_B + MAX_B - 0.25)
Y_LIM = (13.75, -1.75)   # cell edges at whole multiples of UNIT from the corner


def _lin(a: int, u: str, b: int = 0, v: str = "", c: int = 0) -> str:
    """``a u + b v + c`` as the figure writes it: ``_lin(2, "x", 1, "i", -1)``
    is ``"2x + i − 1"``; coefficients 1 are left out, zero terms dropped."""
    out = ""
    for coef, var in ((a, u), (b, v)):
        if coef:
            term = var if coef == 1 else f"{coef}{var}"
            out = f"{out} + {term}" if out else term
    if c:
        out += f" + {c}" if c > 0 else f" − {-c}"
    return out


def _squares(centres) -> list:
    return [[(x - 0.5, y - 0.5), (x + 0.5, y - 0.5), (x + 0.5, y + 0.5),
             (x - 0.5, y + 0.5)] for x, y in centres]


def _written_out(terms, value) -> str:
    """The sum ``value`` = sum of u v over the pairs (u, v) in ``terms``,
    written out as plain text for the description, e.g.
    "2 × 1 + (-1) × 2 = 0" (negative factors in parentheses); just the value
    when there is no term."""
    if not terms:
        return f"{value:g}"

    def factor(u):
        return f"({u:g})" if u < 0 else f"{u:g}"

    return (" + ".join(f"{factor(u)} × {factor(v)}" for u, v in terms)
            + f" = {value:g}")


def _cells(origin, shape) -> list:
    """Centres (x, y) of the cells of a grid whose cell (0, 0) is at ``origin``."""
    x0, y0 = origin
    return [(x0 + c, y0 + r) for r in range(shape[0]) for c in range(shape[1])]


class _SceneBackground(FrozenBackground):
    """A frozen background for each scene (direction and setting), the last
    :attr:`KEEP` kept, so that picking another cell redraws only what moves."""

    KEEP = 4

    def __init__(self, fig, dynamic):
        super().__init__(fig, dynamic)
        # static, too, are the texts that are empty (so hidden) for now
        dyn = {id(a) for a in self.dynamic}
        self.static = [a for a in _leaves(fig) if id(a) not in dyn
                       and a is not self.image]
        self._cache: dict = {}
        self._scene = None

    def show(self, scene, paint) -> None:
        """Show the background of ``scene``; ``paint()`` sets the static
        artists for it and is called only when it has to be rendered."""
        key = (float(self.fig.dpi), tuple(np.round(self.fig.get_size_inches(), 6)),
               scene)
        if key == self._scene:
            return
        if key in self._cache:
            self.image.pixels = self._cache[key]
            self.image.stale = True
        else:
            paint()
            self._key = None              # render anew, whatever the dpi
            self.ensure()
            self._cache[key] = self.image.pixels
            while len(self._cache) > self.KEEP:
                self._cache.pop(next(iter(self._cache)))
        self._scene = key


class LayerExplorer(Drawing):
    """One layer, forward and backward, under every stride, padding and dilation.

    Left: the input a^l (forward; padded with a grey ring of zeros when P = 1)
    or its gradient dC/da^l (backward). Right: the output z^{l+1} (forward) or
    the grid G that the rotated kernel slides over (backward): the deltas δ^{l+1} with
    s - 1 zeros between them, padded. Below: the kernel w (and rot180(w)), a
    legend, and the rule of the setting (which input a window reads, or
    which deltas reach an input). The sum of the picked cell, written out
    product by product, is not in the picture but in its description
    (:meth:`alt_of`, the status line of the live panel and of the static
    player), where it is text a screen reader reads.

    Parameters
    ----------
    a : array_like, shape (6, 6), optional
        The input a^l (default :data:`EXAMPLE_INPUT`).
    w : array_like, shape (3, 3), optional
        The kernel w^{l+1} (default 1..9, row by row).
    deltas : array_like, shape (6, 6), optional
        dC/dz is its top-left O_H x O_W block (default :data:`EXAMPLE_DELTAS`).
    dpi : int
        Resolution of the figure; its text is at least 11 px at 80 dpi.

    The controls: ``direction`` ("forward" or "backward"), ``stride`` (1, 2),
    ``padding`` (0, 1), ``dilation`` (1, 2) and the picked cell ``row``,
    ``col`` (0..5): an output cell forward, an input cell backward. Forward, a
    cell beyond a smaller output shows the output's nearest cell, and the alt
    text says so. After each update, :attr:`shown` holds the numbers drawn.
    For the static player, :meth:`frame_layers` gives the frame as a scene
    and the sprites of the picked cell's marks.
    """

    H = W = 6

    def __init__(self, a=None, w=None, deltas=None, dpi: int = 80):
        self.a = self._array(a, EXAMPLE_INPUT, "a", (self.H, self.W))
        self.w = self._array(w, EXAMPLE_KERNEL, "w", (3, 3))
        self.deltas = self._array(deltas, EXAMPLE_DELTAS, "deltas", (self.H, self.W))
        self.params = (
            Param("direction", "Direction",
                  options=(("Forward", "forward"), ("Backward", "backward"))),
            Param("stride", "Stride s", options=(("1", 1), ("2", 2))),
            Param("padding", "Padding P", options=(("0", 0), ("1", 1))),
            Param("dilation", "Dilation d", options=(("1", 1), ("2", 2))),
            Param("row", "Row of the picked cell", 0, self.H - 1),
            Param("col", "Column of the picked cell", 0, self.W - 1),
        )
        self._layers: dict = {}
        self._scenes: dict = {}
        width, height = X_LIM[1] - X_LIM[0], Y_LIM[0] - Y_LIM[1]
        self.fig = new_figure(UNIT * width, UNIT * height, dpi=dpi)
        ax = self.fig.add_axes((0.0, 0.0, 1.0, 1.0))
        self.ax = ax
        ax.set_xlim(*X_LIM)
        ax.set_ylim(*Y_LIM)
        ax.set_axis_off()

        def cells(zorder, **style):
            coll = PolyCollection([], zorder=zorder, **style)
            ax.add_collection(coll, autolim=False)
            return coll

        self.faces = {
            "plain": cells(1, facecolors="white", edgecolors=CELL_EDGE,
                           linewidths=0.6),
            "zero": cells(1, facecolors=PAD_GREY, edgecolors="#999999",
                          linewidths=0.6),
            "unread": cells(1, facecolors="white", edgecolors=HATCH,
                            linewidths=0.6, hatch="///"),
        }
        self.marks = {
            "tap": cells(4, facecolors="none", edgecolors=ROLE["highlight"],
                         linewidths=1.8),
            # below the taps' outlines: the static player lays the picked
            # cell's marks over its frame in two layers, reached, then the rest
            "reached": cells(3.9, facecolors="none", edgecolors=ROLE["delta"],
                             linewidths=3.8),
            "picked": cells(5, facecolors="none", edgecolors=ROLE["highlight"],
                            linewidths=3.6),
        }
        self.numbers = TextGrid(ax, np.zeros((8 * 8 + MAX_B * MAX_B + 18, 2)),
                                size=SIZE, zorder=6)
        self.indices = TextGrid(ax, np.zeros((4 * self.H, 2)), size=SMALL,
                                color="#444444", zorder=6)
        self.wlabels = TextGrid(ax, np.zeros((9, 2)), size=SMALL, ha="left",
                                va="top", color=OKABE_ITO["blue"], weight="bold",
                                zorder=6)
        self.window = Rectangle((0, 0), 1, 1, facecolor="none",
                                edgecolor=ROLE["highlight"], linewidth=2.2,
                                linestyle=(0, (4, 3)), zorder=4.8)
        ax.add_patch(self.window)
        self.title_a = PathText(ax, -0.5, -1.3, "", ha="left", size=11)
        self.title_b = PathText(ax, X_B - 0.5, -1.3, "", ha="left", size=11)
        PathText(ax, -0.5, Y_K - 1.0, "w", ha="left", size=11)
        self.title_rot = PathText(ax, X_ROT - 0.5, Y_K - 1.0, "", ha="left", size=11)
        y_info = [10.4 + 0.72 * k for k in range(4)]
        self.info = [PathText(ax, X_B - 0.5, y_info[k], "", ha="left", size=SMALL)
                     for k in range(2)]
        for k, (style, text) in enumerate([
                ({"facecolor": "white", "edgecolor": HATCH, "hatch": "///"},
                 "hatched: never read by any window, gradient 0"),
                ({"facecolor": PAD_GREY, "edgecolor": "#999999"},
                 "grey: a zero (padding, or put in by the stride)")]):
            ax.add_patch(Rectangle((X_B - 0.5, y_info[2 + k] - 0.3), 0.8, 0.6,
                                   linewidth=0.6, zorder=1, **style))
            PathText(ax, X_B + 0.6, y_info[2 + k], text, ha="left", size=SMALL)
        self.rule = PathText(ax, -1.4, 13.3, "", ha="left", size=SIZE)
        self._layers_of_marks = ([self.marks["reached"]],
                                 [self.marks["tap"], self.window,
                                  self.marks["picked"], self.wlabels.collection])
        self._bg = _SceneBackground(self.fig, [
            *self.marks.values(), self.window, self.wlabels.collection])
        self.shown: dict = {}
        self.update(**self.defaults())

    @staticmethod
    def _array(value, default, name, shape):
        if value is None:
            return default.copy()
        arr = as_finite_array(value, name)
        if arr.shape != shape:
            raise ValueError(f"{name}: expected shape {shape}, got shape {arr.shape}")
        return arr

    # ---- the numbers -----------------------------------------------------------------

    def layer(self, stride: int, padding: int, dilation: int) -> dict:
        """The layer under one setting: ``z`` and ``dx`` (from conv2d_forward
        and conv2d_backward with dC/dz = ``delta``), ``read`` (the input cells
        some window reads) and ``G``, ``where`` of the rotated-kernel view."""
        key = (stride, padding, dilation)
        if key not in self._layers:
            opts = {"stride": stride, "padding": padding, "dilation": dilation}
            z, cache = conv2d_forward(self.a[None, None], self.w[None, None], **opts)
            oh, ow = z.shape[2:]
            delta = self.deltas[:oh, :ow].copy()
            dx = conv2d_backward(delta[None, None], cache)[0][0, 0]
            G, where = rotated_kernel_view(delta, (self.H, self.W), (3, 3), **opts)
            self._layers[key] = {
                "z": z[0, 0], "delta": delta, "dx": dx, "G": G, "where": where,
                "read": read_mask((self.H, self.W), (3, 3), **opts),
            }
        return self._layers[key]

    def picked(self, direction, stride, padding, dilation, row, col):
        """The cell shown for these control values: (row, col) itself, or,
        forward, the nearest output cell when (row, col) lies beyond the output."""
        if direction == "backward":
            return row, col
        oh, ow = self.layer(stride, padding, dilation)["z"].shape
        return min(row, oh - 1), min(col, ow - 1)

    def frames(self) -> list[dict]:
        """The meaningful combinations, setting by setting (stride changing
        slowest, dilation fastest): forward, every output cell; backward, every
        input cell."""
        out = []
        for s in (1, 2):
            for p in (0, 1):
                for d in (1, 2):
                    oh, ow = self.layer(s, p, d)["z"].shape
                    for direction, (h, w) in (("forward", (oh, ow)),
                                              ("backward", (self.H, self.W))):
                        out += [{"direction": direction, "stride": s, "padding": p,
                                 "dilation": d, "row": r, "col": c}
                                for r in range(h) for c in range(w)]
        return out

    def terms(self, state: dict) -> list[tuple[float, float]]:
        """The products that make the picked cell's number, as (u, w) pairs:
        forward, (input or padding zero, weight) for the nine taps in kernel
        order; backward, (delta, weight) for every delta that reaches the
        input cell, eq. (ch7-connection)."""
        st = {**self.defaults(), **state}
        s, p, d = st["stride"], st["padding"], st["dilation"]
        H, W = self.H, self.W
        if st["direction"] == "forward":
            x, y = self.picked(**st)
            return [(float(self.a[r, t]) if 0 <= r < H and 0 <= t < W else 0.0,
                     float(self.w[i, j]))
                    for i, j, r, t in window_taps(x, y, (H, W), (3, 3), s, p, d)]
        delta = self.layer(s, p, d)["delta"]
        return [(float(delta[x, y]), float(self.w[i, j])) for x, y, i, j in
                input_routes(st["row"], st["col"], (H, W), (3, 3), s, p, d)]

    # ---- words -----------------------------------------------------------------------

    @property
    def alt(self) -> str:  # type: ignore[override]
        """What the figure shows now, in words (see :meth:`alt_of`)."""
        return self.alt_of(self.state)

    def alt_of(self, state: dict) -> str:
        """What the figure shows for the control values ``state``, in words."""
        st = {**self.defaults(), **state}
        s, p, d = st["stride"], st["padding"], st["dilation"]
        L = self.layer(s, p, d)
        oh, ow = L["z"].shape
        unread = int((~L["read"]).sum())
        head = (f"One convolution layer (a cross-correlation) with a 3x3 kernel "
                f"holding 1 to 9, on a 6x6 input, with stride {s}, padding {p} and "
                f"dilation {d}: the output is {oh}x{ow}. ")
        never = (f"{unread} input cells are never read by any window; they are "
                 "hatched, and their gradient is 0." if unread else
                 "Every input cell is read by some window.")
        if st["direction"] == "forward":
            x, y = self.picked(**st)
            note = ("" if (x, y) == (st["row"], st["col"]) else
                    f"Cell ({st['row']}, {st['col']}) lies beyond the output, so "
                    f"its nearest output cell is shown. ")
            taps = window_taps(x, y, (self.H, self.W), (3, 3), s, p, d)
            rows = ", ".join(str(v) for v in sorted({r for _, _, r, _ in taps}))
            cols = ", ".join(str(v) for v in sorted({t for _, _, _, t in taps}))
            pad = sum(not (0 <= r < self.H and 0 <= t < self.W)
                      for _, _, r, t in taps)
            terms = self.terms(st)
            return (head + note + f"Forward: output z[{x}, {y}] reads input rows "
                    f"{rows} and columns {cols}, each cell times the weight it "
                    "meets"
                    + (f"; {pad} of the nine taps fall on the zero padding (row or "
                       "column -1 or 6)" if pad else "")
                    + f". Written out: z[{x}, {y}] = "
                    + _written_out(terms, L["z"][x, y]) + ". " + never)
        r, t = st["row"], st["col"]
        routes = input_routes(r, t, (self.H, self.W), (3, 3), s, p, d)
        if routes:
            pairs = "; ".join(f"delta[{x}, {y}] = {L['delta'][x, y]:g} through "
                              f"w[{i}, {j}] = {self.w[i, j]:g}"
                              for x, y, i, j in routes)
            what = (f"{len(routes)} "
                    + ("deltas reach" if len(routes) > 1 else "delta reaches")
                    + f" input a[{r}, {t}]: {pairs}. Written out, its gradient is "
                    f"dC/da[{r}, {t}] = "
                    + _written_out(self.terms(st), L["dx"][r, t]) + ". ")
        else:
            what = (f"No window reads input a[{r}, {t}], so no delta reaches it: "
                    f"its gradient is dC/da[{r}, {t}] = 0. ")
        spread = ("the deltas" if s == 1 else
                  f"the deltas spread out with {s - 1} zero between neighbours")
        return (head + "Backward: the kernel rotated by 180 degrees"
                + (" (with holes, dilation 2)" if d > 1 else "")
                + f" lies on {spread}, padded, its window at row {r}, column {t}. "
                + what + never)

    # ---- drawing ---------------------------------------------------------------------

    def _scene(self, direction, s, p, d) -> dict:
        """What does not depend on the picked cell: cells, numbers, titles."""
        key = (direction, s, p, d)
        if key in self._scenes:
            return self._scenes[key]
        L = self.layer(s, p, d)
        H, W = self.H, self.W
        inputs = _cells((1.0, 1.0), (H, W))          # a[r, t] at (t + 1, r + 1)
        read = L["read"].ravel()
        faces = {"plain": [c for c, rd in zip(inputs, read, strict=True) if rd],
                 "unread": [c for c, rd in zip(inputs, read, strict=True) if not rd],
                 "zero": []}
        texts, spots = [], []

        def put(values, centres, nudge=False, skip=()):
            for k, (v, (cx, cy)) in enumerate(zip(values, centres, strict=True)):
                texts.append("" if k in skip else num(v))
                spots.append((cx + 0.1, cy + 0.14) if nudge else (cx, cy))

        kern = _cells((0.0, Y_K), (3, 3))
        faces["plain"] += kern
        put(self.w.ravel(), kern)
        margin = p if direction == "forward" else 0   # outside the grey ring, if any
        index = [str(k) for k in range(H)] * 2
        index_spots = ([(0.05 - margin, r + 1.0) for r in range(H)]
                       + [(t + 1.0, 0.28 - margin) for t in range(W)])
        oh, ow = L["z"].shape
        if direction == "forward":
            ring = [(c, r) for r in range(8) for c in range(8)
                    if p and (r in (0, 7) or c in (0, 7))]
            faces["zero"] += ring
            put(self.a.ravel(), inputs, nudge=True)
            put(np.zeros(len(ring)), ring, nudge=True)
            outs = _cells((X_B, 0.0), (oh, ow))
            faces["plain"] += outs
            put(L["z"].ravel(), outs)
            index += [str(k) for k in range(oh)] + [str(k) for k in range(ow)]
            index_spots += ([(X_B - 0.95, float(k)) for k in range(oh)]
                            + [(X_B + k, -0.72) for k in range(ow)])
            titles = ("aˡ" + (", padded" if p else "") + ": the window of z[x, y]",
                      f"zˡ⁺¹ = corr(aˡ, w): {oh}×{ow}", "")
            grid_a, grid_b = self.a, L["z"]
            rule = (f"z[x, y] = sum over i, j = 0..2 of a[{_lin(s, 'x', d, 'i', -p)}, "
                    f"{_lin(s, 'y', d, 'j', -p)}] · w[i, j]   (grey: padding, zeros)")
        else:
            put(L["dx"].ravel(), inputs)
            G, where = L["G"], L["where"]
            gcells = _cells((X_B, 0.0), G.shape)
            holds = where.ravel() >= 0
            faces["plain"] += [c for c, h in zip(gcells, holds, strict=True) if h]
            faces["zero"] += [c for c, h in zip(gcells, holds, strict=True) if not h]
            put(G.ravel(), gcells, nudge=True,
                skip={k for k, h in enumerate(holds) if not h})
            rot = _cells((X_ROT, Y_K), (3, 3))
            faces["plain"] += rot
            put(self.w[::-1, ::-1].ravel(), rot)
            titles = ("∂C/∂aˡ: the gradient",
                      f"G: δˡ⁺¹ ({oh}×{ow})"
                      + (f", {s - 1} zero between" if s > 1 else "") + ", padded",
                      "rot180(w)")
            grid_a, grid_b = L["dx"], G
            rule = (f"δ[x, y] reaches a[p, q] through w[i, j] when "
                    f"{_lin(1, 'p', 0, '', p)} = {_lin(s, 'x', d, 'i')}, "
                    f"{_lin(1, 'q', 0, '', p)} = {_lin(s, 'y', d, 'j')}; "
                    f"x, y = 0..{oh - 1}, i, j = 0..2")
        unread = int((~L["read"]).sum())
        info = (f"s = {s}, P = {p}, d = {d}: output {oh}×{ow}",
                f"{unread} input cells never read" if unread
                else "every input cell is read")
        self._scenes[key] = {"faces": faces, "texts": texts, "spots": spots,
                             "index": index, "index_spots": index_spots,
                             "titles": titles, "info": info, "rule": rule,
                             "grid_a": grid_a, "grid_b": grid_b}
        return self._scenes[key]

    def _paint(self, scene: dict) -> None:
        for name, coll in self.faces.items():
            coll.set_verts(_squares(scene["faces"][name]))
        n = len(scene["texts"])
        self.numbers.set_texts(scene["texts"] + [""] * (self.numbers.n - n))
        self.numbers.set_offsets(scene["spots"] + [(0.0, 0.0)] * (self.numbers.n - n))
        n = len(scene["index"])
        self.indices.set_texts(scene["index"] + [""] * (self.indices.n - n))
        self.indices.set_offsets(scene["index_spots"]
                                 + [(0.0, 0.0)] * (self.indices.n - n))
        for artist, text in zip((self.title_a, self.title_b, self.title_rot),
                                scene["titles"], strict=True):
            artist.set_text(text)
        for artist, text in zip(self.info, scene["info"], strict=True):
            artist.set_text(text)
        self.rule.set_text(scene["rule"])

    def _update(self, direction, stride, padding, dilation, row, col):
        s, p, d = stride, padding, dilation
        L = self.layer(s, p, d)
        scene = self._scene(direction, s, p, d)
        self._bg.show((direction, s, p, d), lambda: self._paint(scene))
        H, W = self.H, self.W
        reached = []
        if direction == "forward":
            x, y = cell = self.picked(direction, s, p, d, row, col)
            taps = window_taps(x, y, (H, W), (3, 3), s, p, d)
            tap_xy = [(tt + 1.0, rr + 1.0) for _, _, rr, tt in taps]
            weights = [(i, j) for i, j, _, _ in taps]
            picked = [(X_B + y, float(x))]
            value = float(L["z"][x, y])
        else:
            r, t = cell = (row, col)
            span = 2 * d
            taps = [(i, j) for i in range(3) for j in range(3)]
            tap_xy = [(X_B + t + span - d * j, float(r + span - d * i))
                      for i, j in taps]
            weights = taps
            picked = [(t + 1.0, r + 1.0)]
            routes = input_routes(r, t, (H, W), (3, 3), s, p, d)
            reached = [(X_B + span - p + s * yy, float(span - p + s * xx))
                       for xx, yy, _, _ in routes]
            value = float(L["dx"][r, t])
        xs, ys = [c for c, _ in tap_xy], [c for _, c in tap_xy]
        self.window.set_bounds(min(xs) - 0.5, min(ys) - 0.5,
                               max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)
        self.marks["tap"].set_verts(_squares(tap_xy))
        self.marks["reached"].set_verts(_squares(reached))
        self.marks["picked"].set_verts(_squares(picked))
        labels = ["×" + num(self.w[i, j]) for i, j in weights]
        self.wlabels.set_texts(labels)
        self.wlabels.set_offsets([(cx - 0.46, cy - 0.44) for cx, cy in tap_xy])
        terms = self.terms({"direction": direction, "stride": s, "padding": p,
                            "dilation": d, "row": row, "col": col})
        self.shown = {"direction": direction, "cell": cell, "terms": terms,
                      "value": value, "labels": labels,
                      "grid_a": scene["grid_a"].copy(),
                      "grid_b": scene["grid_b"].copy(),
                      "texts": list(scene["texts"])}

    # ---- the static player's layers --------------------------------------------------

    def frame_layers(self) -> tuple[np.ndarray, list]:
        """The figure as it is now, at its current dpi, in layers for the
        static player (:func:`cnnlib.animate.player_data`): its scene, an
        (H, W, 3) uint8 image of everything the picked cell does not change
        (the same for every cell of a direction and setting), and the marks of
        the picked cell as sprites ``(rgba, x, y)`` to lay over it in order,
        each an (h, w, 4) uint8 image whose top left pixel goes to column x,
        row y. The deltas that reach the cell come first, then the taps, the
        window, the picked cell and the weight labels, as the live figure
        draws them (by zorder). A cell is :data:`UNIT` inches wide, so at 2 x
        80 dpi every cell starts on a whole pixel and a mark looks the same,
        pixel for pixel, wherever it lies: the player stores it once."""
        from scipy import ndimage

        cached = getattr(self, "_scene_rgb", None)
        if cached is None or cached[0] != self._bg._scene:
            cached = self._scene_rgb = (
                self._bg._scene,
                np.ascontiguousarray(self._bg.image.pixels[::-1, :, :3]))
        scene = cached[1]         # the same array while the scene stays
        dynamic = self._bg.dynamic
        shown = [a.get_visible() for a in dynamic]
        patch, image = self.fig.patch.get_visible(), self._bg.image.get_visible()
        sprites = []
        try:
            self.fig.patch.set_visible(False)
            self._bg.image.set_visible(False)
            for group in self._layers_of_marks:
                for a in dynamic:
                    a.set_visible(any(a is g for g in group))
                self.fig.canvas.draw()
                full = np.asarray(self.fig.canvas.buffer_rgba())
                inked = full[..., 3] > 0
                rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(
                    inked.any(axis=0))
                if not rows.size:
                    continue
                # the inked part, with room for the dilation below
                y0, x0 = max(rows[0] - 8, 0), max(cols[0] - 8, 0)
                part = np.s_[y0:rows[-1] + 9, x0:cols[-1] + 9]
                rgba, ink = full[part], inked[part]
                # a mark and the labels beside it make one sprite
                near = ndimage.binary_dilation(ink, iterations=6)
                labels, _ = ndimage.label(near)
                for k, box in enumerate(ndimage.find_objects(labels), start=1):
                    ys, xs = box
                    mine = ((labels[box] == k) & ink[box])[..., None]
                    if mine.any():
                        sprites.append((np.where(mine, rgba[box], 0).astype(np.uint8),
                                        x0 + xs.start, y0 + ys.start))
        finally:
            self.fig.patch.set_visible(patch)
            self._bg.image.set_visible(image)
            for a, vis in zip(dynamic, shown, strict=True):
                a.set_visible(vis)
        return scene, sprites
