"""Chapter 1 drawing: an MLP with the delta of every neuron, and where it comes from.

:class:`MLPDeltaDrawing` draws a small network as columns of neurons. Pick a
neuron: for a hidden neuron ``j`` of layer ``l`` the connections to layer
``l+1`` light up, each labelled with its product ``w^{l+1}_{kj} delta^{l+1}_k``,
and a panel writes out (BP2), ``delta^l_j = (sum_k w^{l+1}_{kj} delta^{l+1}_k)
sigma'(z^l_j)``, with the numbers. For an output neuron the panel writes out
(BP1) instead, and the link to the cost lights up.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch

from cnnlib.mlp import MLP, tiny_example
from cnnlib.rules import delta_terms
from cnnlib.validation import as_finite_array
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.style import ROLE, new_figure
from cnnlib.viz.core.text import SUBSCRIPT, SUPERSCRIPT, PathText, num

__all__ = ["MLPDeltaDrawing", "delta_equation", "network_figure"]

#: The book's number format with 3 significant digits (the hand counts' numbers).
num3 = functools.partial(num, fmt=".3g")



def _check_net(net):
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a cnnlib.MLP, got {type(net).__name__}")
    for w in net.weights[1:] + net.biases[1:]:
        as_finite_array(w, "net (its weights and biases)")


def delta_equation(terms: dict) -> list[str]:
    """Three lines of mathtext writing out how ``delta^l_j`` is computed.

    ``terms`` is the dict of :func:`cnnlib.rules.delta_terms`; its numbers must
    be finite (a NaN has no place in a formula).
    """
    if not isinstance(terms, dict) or "rule" not in terms:
        raise TypeError("terms: expected the dict of cnnlib.rules.delta_terms, got "
                        f"{type(terms).__name__}")
    if terms["rule"] not in ("BP1", "BP2"):
        raise ValueError(f"terms: expected rule 'BP1' or 'BP2', got {terms['rule']!r}")
    for key in ("sigma_prime", "delta", "a", "y", "weights", "next_deltas",
                "products"):
        if key in terms:
            as_finite_array(terms[key], f"terms[{key!r}]")
    l, j = terms["l"], terms["j"]
    d = rf"\delta^{{{l}}}_{{{j}}}"
    sp = num3(terms["sigma_prime"], paren=True)
    if terms["rule"] == "BP1":
        return [
            rf"(BP1)  ${d} = (a^{{{l}}}_{{{j}}} - y_{{{j}}})\,"
            rf"\sigma'(z^{{{l}}}_{{{j}}})$",
            rf"$= ({num3(terms['a'], paren=True)} - "
            rf"{num3(terms['y'], paren=True)}) \times {sp}$",
            rf"$= {num3(terms['delta'])}$",
        ]
    n = len(terms["weights"])
    sym = " + ".join(rf"w^{{{l + 1}}}_{{{k}{j}}}\delta^{{{l + 1}}}_{{{k}}}"
                     for k in range(n))
    nums = " + ".join(rf"{num3(w, paren=True)}\times{num3(dd, paren=True)}"
                      for w, dd in zip(terms["weights"], terms["next_deltas"],
                                       strict=True))
    total = float(np.sum(terms["products"]))
    return [
        rf"(BP2)  ${d} = ({sym})\,\sigma'(z^{{{l}}}_{{{j}}})$",
        rf"$= ({nums}) \times {sp}$",
        rf"$= {num3(total)} \times {sp} = {num3(terms['delta'])}$",
    ]


class MLPDeltaDrawing(Drawing):
    """A small MLP with every delta written in its neuron.

    Parameters
    ----------
    net : MLP
        The network (at most 4 neurons a layer, and 2 or 3 layers, read well).
    x, y : array_like
        One example: input of shape (n_0,) and target of shape (n_L,).
    width, height, dpi : float
        Figure size in inches and resolution.

    The one parameter, ``neuron``, is a pair ``(l, j)``: any neuron of the
    layers 1..L. The chosen neuron gets a thick solid outline; the neurons
    whose deltas flow into it get thick dashed outlines.
    """

    BOX_W, BOX_H = 0.8, 0.54  # neuron boxes, in inches

    @classmethod
    def example(cls) -> MLPDeltaDrawing:
        """Chapter 1's network and training pair (:func:`cnnlib.tiny_example`)."""
        return cls(*tiny_example())

    def __init__(self, net: MLP, x, y, *, width=7.4, height=4.4, dpi=88):
        _check_net(net)
        self.net = net
        self.x = as_finite_array(x, "x")
        self.y = as_finite_array(y, "y")
        bp = net.backprop(self.x, self.y)  # validates x and y
        L, sizes = net.L, net.sizes
        self.params = (Param(
            "neuron", "Neuron",
            options=tuple((f"δ{str(l).translate(SUPERSCRIPT)}{str(j).translate(SUBSCRIPT)}",
                           (l, j)) for l in range(1, L + 1) for j in range(sizes[l])),
            default=(1, 0)),)
        self.terms = {(l, j): delta_terms(net, self.x, self.y, l, j)
                      for l in range(1, L + 1) for j in range(sizes[l])}
        self.alt = (
            f"A network with layer sizes {', '.join(map(str, sizes))} drawn as "
            "columns of boxes, each neuron showing its delta, and the cost C on the "
            "right. The chosen neuron has a thick solid outline; the connections "
            "that carry deltas back into it are drawn thick and labelled with "
            "weight times delta, and their neurons have dashed outlines. Below, "
            "the delta is written out as the weighted sum of the next layer's "
            "deltas times sigma prime (BP2), or, for an output neuron, as "
            "(a - y) times sigma prime (BP1)."
        )
        self.fig = fig = new_figure(width, height, dpi=dpi)
        top_h = height * 0.7
        ax = fig.add_axes((0.0, 0.3, 1.0, 0.7))
        self.ax = ax
        ax.set_axis_off()
        ax.set_xlim(0, width)
        ax.set_ylim(0, top_h)
        bw, bh = self.BOX_W, self.BOX_H
        nmax = max(sizes)
        margin = 0.75
        gap = (width - 2 * margin) / (L + 0.8)
        row = min(0.85, (top_h - 0.75) / max(nmax, 1))
        mid = (top_h - 0.45) / 2
        self.pos = {(l, j): (margin + l * gap, mid + ((n - 1) / 2 - j) * row)
                    for l, n in enumerate(sizes) for j in range(n)}
        self.cost_xy = cost_xy = (margin + (L + 0.8) * gap, mid)
        # connections: created once, restyled in _update
        self.edges = {}
        for l in range(1, L + 1):
            for k in range(sizes[l]):
                for j in range(sizes[l - 1]):
                    (x0, y0), (x1, y1) = self.pos[l - 1, j], self.pos[l, k]
                    line = Line2D([x0 + bw / 2, x1 - bw / 2], [y0, y1],
                                  color=ROLE["muted"], lw=0.9, zorder=1)
                    ax.add_line(line)
                    self.edges[l, k, j] = line
        self.cost_edges = {}
        for k in range(sizes[L]):
            (x0, y0) = self.pos[L, k]
            line = Line2D([x0 + bw / 2, cost_xy[0] - 0.27], [y0, cost_xy[1]],
                          color=ROLE["muted"], lw=0.9, zorder=1)
            ax.add_line(line)
            self.cost_edges[k] = line
        self.boxes = {}
        for (l, j), (cx, cy) in self.pos.items():
            box = FancyBboxPatch((cx - bw / 2, cy - bh / 2), bw, bh,
                                 boxstyle="round,pad=0,rounding_size=0.08",
                                 facecolor="white", edgecolor="#444444", lw=1.0,
                                 zorder=3)
            ax.add_patch(box)
            self.boxes[l, j] = box
            if l == 0:
                name, value = rf"$x_{{{j}}}$", num3(self.x[j])
            else:
                name, value = (rf"$\delta^{{{l}}}_{{{j}}}$",
                               num3(bp.deltas[l][j]))
            PathText(ax, cx, cy + 0.12, name, size=11)
            PathText(ax, cx, cy - 0.13, value, size=10.5)
        ax.add_patch(Circle(cost_xy, 0.27, facecolor="white", edgecolor="#444444",
                            lw=1.0, zorder=3))
        PathText(ax, *cost_xy, "$C$", size=13)
        for l in range(L + 1):
            name = "input" if l == 0 else ("output" if l == L else "hidden")
            PathText(ax, margin + l * gap, top_h - 0.12, f"layer {l} ({name})",
                     va="top", size=11)
        # the products written on the highlighted connections (at most n_{l+1})
        self.edge_labels = [
            PathText(ax, 0, 0, "", size=9.5, zorder=6,
                     box=dict(fc="white", ec=ROLE["delta"], lw=0.8, pad=2.0))
            for _ in range(nmax)
        ]
        self.equation = [
            PathText(ax, 0.03, 0.235 - 0.085 * i, "", ha="left", size=12.5,
                     coords="figure")
            for i in range(3)
        ]
        for value in self.params[0].values:  # build every string's outline once
            self._update(neuron=value)
        self.update(**self.defaults())

    def frames(self) -> list[dict]:
        """Every neuron, from the output layer back to layer 1."""
        values = self.params[0].values
        return [{"neuron": v} for v in sorted(values, key=lambda lj: (-lj[0], lj[1]))]

    def _style_edge(self, line, on):
        line.set_color(ROLE["delta"] if on else ROLE["muted"])
        line.set_linewidth(3.0 if on else 0.9)
        line.set_zorder(2 if on else 1)

    def _update(self, neuron):
        l, j = neuron
        L, bw = self.net.L, self.BOX_W
        t = self.terms[l, j]
        bp2 = t["rule"] == "BP2"
        for (ll, _k, jj), line in self.edges.items():
            self._style_edge(line, bp2 and ll == l + 1 and jj == j)
        for k, line in self.cost_edges.items():
            self._style_edge(line, not bp2 and k == j)
        sources = {(l + 1, k) for k in range(self.net.sizes[l + 1])} if bp2 else set()
        for key, box in self.boxes.items():
            if key == (l, j):
                box.set(edgecolor=ROLE["highlight"], facecolor=ROLE["highlight"] + "40",
                        linewidth=3.2, linestyle="-")
            elif key in sources:
                box.set(edgecolor=ROLE["delta"], facecolor=ROLE["delta"] + "40",
                        linewidth=2.6, linestyle="--")
            else:
                box.set(edgecolor="#444444", facecolor="white", linewidth=1.0,
                        linestyle="-")
        for i, lab in enumerate(self.edge_labels):
            if bp2 and i < len(t["weights"]):
                (x0, y0), (x1, y1) = self.pos[l, j], self.pos[l + 1, i]
                lab.set_position(((x0 + x1) / 2, (y0 + y1) / 2))  # mid-edge
                lab.set_text(
                    rf"$w^{{{l + 1}}}_{{{i}{j}}}\delta^{{{l + 1}}}_{{{i}}}"
                    rf" = {num3(t['products'][i])}$")
                lab.set_visible(True)
            elif not bp2 and i == 0:
                (x0, y0), (x1, y1) = self.pos[L, j], self.cost_xy
                lab.set_position(((x0 + bw / 2 + x1) / 2, max(y0, y1) + 0.3))
                lab.set_text(rf"$a^{{{L}}}_{{{j}}} - y_{{{j}}} = "
                             rf"{num3(t['a'] - t['y'])}$")
                lab.set_visible(True)
            else:
                lab.set_visible(False)
        for text, line in zip(self.equation, delta_equation(t), strict=True):
            text.set_text(line)


def network_figure(net: MLP, x, *, width=7.4, height=3.8, dpi=90):
    """A static figure of a network's parameters: every weight on its
    connection (written near the neuron it leads into), every bias above its
    neuron, the input on the left and the output activations on the right.

    Parameters
    ----------
    net : MLP
        At most 4 neurons a layer reads well.
    x : array_like, shape (n_0,)

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_net(net)
    fw = net.feedforward(as_finite_array(x, "x"))
    sizes, L = net.sizes, net.L
    fig = new_figure(width, height, dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    gap = 3.6
    nmax = max(sizes)
    sp = 1.6  # vertical distance of neurons
    pos = {(l, j): (l * gap, (n - 1) / 2 * sp - sp * j)
           for l, n in enumerate(sizes) for j in range(n)}
    ax.set_xlim(-1.6, L * gap + 2.2)
    ax.set_ylim(-(nmax - 1) / 2 * sp - 0.5, (nmax - 1) / 2 * sp + 1.3)
    ax.set_aspect("equal")
    for l in range(1, L + 1):
        for k in range(sizes[l]):
            for j in range(sizes[l - 1]):
                (x0, y0), (x1, y1) = pos[l - 1, j], pos[l, k]
                ax.plot([x0, x1], [y0, y1], color=ROLE["weight"], lw=1.0, zorder=1)
                f = 0.72
                ax.text(x0 + f * (x1 - x0), y0 + f * (y1 - y0),
                        rf"${num3(net.weights[l][k, j])}$", fontsize=10,
                        ha="center", va="center", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.1", fc="white",
                                  ec=ROLE["weight"], lw=0.6))
    for (l, j), (cx, cy) in pos.items():
        ax.add_patch(Circle((cx, cy), 0.3, facecolor="white", edgecolor="#444444",
                            lw=1.0, zorder=3))
        a = fw.activations[l][j]
        if l == 0:
            ax.text(cx - 0.42, cy, rf"$x_{{{j}}} = {num3(a)}$", ha="right",
                    va="center", fontsize=10.5)
        else:
            b = net.biases[l][j]
            ax.text(cx, cy + 0.38, rf"$b^{{{l}}}_{{{j}}} = {num3(b)}$",
                    ha="center", va="bottom", fontsize=10, zorder=4,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none"))
        if l == L:
            ax.text(cx + 0.42, cy, rf"$a^{{{l}}}_{{{j}}} = {a:.3f}$", ha="left",
                    va="center", fontsize=10.5)
        ax.text(cx, cy, f"{j}", ha="center", va="center", fontsize=9, zorder=5,
                color="#444444")
    top = (nmax - 1) / 2 * sp + 0.95
    for l in range(L + 1):
        name = "input" if l == 0 else ("output" if l == L else "hidden")
        ax.text(l * gap, top, f"layer {l} ({name})", ha="center", va="bottom",
                fontsize=10.5)
    return fig
