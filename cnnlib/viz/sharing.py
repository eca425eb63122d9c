"""Chapter 2 drawings: from a dense layer to a convolution, in three steps.

A dense layer on a small image is cut down to a *locally connected* layer
(each output neuron keeps only the connections from a small window) and then
its weights are *shared* (every window uses the same kernel): the layer is now
a convolution (a cross-correlation, as in every framework). The pure functions
here build the weight matrix of each stage; :func:`sharing_networks_figure`
draws the three networks side by side, and :class:`WeightSharingDrawing`
shows the weight matrix of a chosen stage together with the image, the window
of a chosen output neuron and the sum it computes.

Indices are 0-based and images are flattened row by row: input pixel
``a[p, q]`` of an H x W image (layer l) is column ``c = p W + q`` of the matrix,
and output ``z[x, y]`` of an OH x OW output (layer l+1) is row ``r = x OW + y``.
In the shared stage row r holds ``w[p - x, q - y]`` in column c when
0 <= p - x < KH and 0 <= q - y < KW, else 0, so that
z[x, y] = Σ_i Σ_j w[i, j] a[x + i, y + j] = corr_valid(a, w)[x, y].
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from cnnlib.rules import STAGES, kernel_index_matrix, stage_matrix, valid_output_shape
from cnnlib.validation import as_int, as_map, as_pair
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.grid import grid_lines
from cnnlib.viz.core.style import DIVERGING_CMAP, OKABE_ITO, ROLE, new_figure
from cnnlib.viz.core.text import PathText, TextGrid, num

__all__ = ["KERNEL_COLORS", "KERNEL_STYLES", "WeightSharingDrawing",
           "sharing_networks_figure"]

#: Chapter 2's running example: a 4 x 4 image and a 2 x 2 kernel.
EXAMPLE_IMAGE = np.array([[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 3.0, 1.0],
                          [2.0, 1.0, 0.0, 2.0], [1.0, 0.0, 1.0, 3.0]])
EXAMPLE_KERNEL = np.array([[1.0, -1.0], [2.0, 0.5]])
_STAGE_NAMES = {"dense": "dense", "local": "locally connected",
                "shared": "shared weights (convolution)"}
#: One colour and one line style per kernel entry (row-major), so that a shared
#: weight is recognisable by its colour, its line style and its label.
KERNEL_COLORS = (OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["green"],
                 OKABE_ITO["purple"], OKABE_ITO["yellow"], OKABE_ITO["blue"],
                 OKABE_ITO["vermillion"], "#999999", "#000000")
KERNEL_STYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)),
                 (0, (8, 3)), (0, (3, 1, 1, 1)), (0, (2, 2)))


def _network_positions(n_rows, n_cols, x, height):
    """Neuron positions of an n_rows x n_cols image, one column, row by row,
    with a small gap between image rows."""
    n = n_rows * n_cols
    ys = np.array([-(c + 0.7 * (c // n_cols)) for c in range(n)], dtype=float)
    span = (n - 1) + 0.7 * (n_rows - 1)
    ys = (ys + span / 2) * height / max(span, 1)
    return np.column_stack([np.full(n, x), ys])


def sharing_networks_figure(in_hw=(4, 4), k_hw=(2, 2), *, width=7.4, height=4.2,
                            dpi=90):
    """Three networks side by side: dense, locally connected, shared.

    Inputs (left column of each panel) and outputs (right column) are ordered
    row by row. In the shared network each connection is drawn in the colour
    and line style of its kernel entry.
    """
    idx = kernel_index_matrix(in_hw, k_hw)
    in_hw, k_hw = as_pair(in_hw, "in_hw", 1), as_pair(k_hw, "k_hw", 1)
    (h, w), (kh, kw) = in_hw, k_hw
    oh, ow = valid_output_shape(in_hw, k_hw)
    fig = new_figure(width, height, dpi=dpi)
    lefts, widths = (0.0, 0.37, 0.69), (0.36, 0.31, 0.31)
    axes = [fig.add_axes((lefts[i], 0.1, widths[i], 0.8)) for i in range(3)]
    pin = _network_positions(h, w, 0.0, 3.0)
    pout = _network_positions(oh, ow, 1.0, 3.0 * (oh * ow + 0.7 * (oh - 1))
                              / (h * w + 0.7 * (h - 1)))
    titles = ("dense", "locally connected", "shared (convolution)")
    for panel, (ax, stage) in enumerate(zip(axes, STAGES, strict=True)):
        ax.set_axis_off()
        ax.set_xlim(-0.5 if panel == 0 else -0.1, 1.45)
        ax.set_ylim(-1.75, 1.75)
        segs, colors, styles, widths = [], [], [], []
        for r in range(oh * ow):
            for c in range(h * w):
                e = idx[r, c]
                if stage != "dense" and e < 0:
                    continue
                segs.append([pin[c], pout[r]])
                if stage == "shared":
                    colors.append(KERNEL_COLORS[e])
                    styles.append(KERNEL_STYLES[e])
                    widths.append(1.6)
                else:
                    colors.append("#777777")
                    styles.append("-")
                    widths.append(0.6 if stage == "dense" else 1.0)
        ax.add_collection(LineCollection(segs, colors=colors, linestyles=styles,
                                         linewidths=widths, zorder=1))
        ax.scatter(*pin.T, s=28, facecolor="white", edgecolor="#444444", zorder=3,
                   linewidths=0.8)
        ax.scatter(*pout.T, s=28, facecolor="white", edgecolor="#444444", zorder=3,
                   linewidths=0.8)
        n_w = {"dense": idx.size, "local": int((idx >= 0).sum()), "shared": kh * kw}
        ax.set_title(f"{titles[panel]}\n{n_w[stage]} weights", fontsize=10.5)
        if panel == 0:
            for c in range(h * w):
                ax.text(pin[c, 0] - 0.08, pin[c, 1],
                        f"a[{c // w},{c % w}]", ha="right", va="center", fontsize=7)
        for r in range(oh * ow):
            ax.text(pout[r, 0] + 0.08, pout[r, 1], f"z[{r // ow},{r % ow}]",
                    ha="left", va="center", fontsize=7)
    # legend of the kernel entries
    for e in range(kh * kw):
        x0 = 0.5 - 0.08 * kh * kw + 0.16 * e
        fig.add_artist(LineCollection([[(x0, 0.06), (x0 + 0.04, 0.06)]],
                                      colors=[KERNEL_COLORS[e]],
                                      linestyles=[KERNEL_STYLES[e]], linewidths=1.8,
                                      transform=fig.transFigure))
        fig.text(x0 + 0.05, 0.06, f"w[{e // kw},{e % kw}]", va="center",
                 fontsize=9)
    return fig


class WeightSharingDrawing(Drawing):
    """The weight matrix of a dense, locally connected or shared layer.

    Top: the input image ``a`` (H x W, with numbers), the output ``z = M a``
    (OH x OW) of the chosen stage, the window of the chosen output neuron
    outlined, and that neuron's sum written out. Bottom: the matrix ``M``, one
    row per output neuron and one column per input pixel, the chosen row
    outlined. Dense and locally connected weights are numbers coloured by value
    (blank cells are cut connections, i.e. zeros); shared weights are labelled
    with their kernel entry and coloured by it.

    Parameters
    ----------
    a : array_like, shape (H, W)
        The input image (small integers read best).
    kernel : array_like, shape (KH, KW)
    seed : int
        Seed of the random dense weights.
    """

    @classmethod
    def example(cls) -> WeightSharingDrawing:
        """A 4 x 4 image and a 2 x 2 kernel, as in chapter 2."""
        return cls(EXAMPLE_IMAGE, EXAMPLE_KERNEL)

    def __init__(self, a, kernel, *, seed=0, width=7.4, height=6.0, dpi=92):
        a = as_map(a, "a")
        kernel = as_map(kernel, "kernel", dims="(KH, KW)")
        as_int(seed, "seed", 0)
        self.a, self.kernel = a, kernel
        (h, w), (kh, kw) = a.shape, kernel.shape
        oh, ow = valid_output_shape(a.shape, kernel.shape)
        self.hw, self.khw, self.ohw = (h, w), (kh, kw), (oh, ow)
        self.idx = kernel_index_matrix(a.shape, kernel.shape)
        self.mats = {s: stage_matrix(s, kernel, a.shape, seed) for s in STAGES}
        self.outs = {s: self.mats[s] @ a.ravel() for s in STAGES}
        self.params = (
            Param("stage", "Stage", options=(("Dense", "dense"),
                                             ("Cut (local)", "local"),
                                             ("Shared", "shared")),
                  default="dense"),
            Param("out", "Output neuron r", 0, oh * ow - 1),
        )
        self.alt = (
            f"Top: a {h} by {w} input image with numbers, the {oh} by {ow} output "
            "of the layer, the input pixels used by the chosen output neuron "
            "outlined, and its weighted sum written out. Bottom: the weight "
            f"matrix with {oh * ow} rows (outputs) and {h * w} columns (input "
            "pixels), the chosen row outlined. In the dense stage every entry is "
            "a weight of its own; after cutting, each row keeps only "
            f"{kh * kw} entries, and after sharing those entries are the same "
            f"{kh * kw} kernel weights in every row, shifted along: a "
            "block-Toeplitz matrix."
        )
        self.fig = fig = new_figure(width, height, dpi=dpi)
        # ---- top: images -----------------------------------------------------
        top = fig.add_axes((0.0, 0.47, 1.0, 0.53))
        top.set_axis_off()
        top.set_xlim(0, 12.0)
        top.set_ylim(5.75, -1.0)  # rows grow downwards
        top.set_aspect("equal")
        self.top = top
        self.a_org, self.z_org = (0.8, 0.0), (7.2, 0.5)
        top.add_patch(Rectangle(self.a_org, w, h, facecolor="#F7F7F7", zorder=0))
        TextGrid(top, [(self.a_org[0] + c + 0.5, self.a_org[1] + r + 0.5)
                       for r in range(h) for c in range(w)],
                 [num(v) for v in a.ravel()], size=11)
        grid_lines(top, self.a_org, h, w)
        PathText(top, self.a_org[0] + w / 2, -0.5, f"input a ({h}×{w})",
                 size=11)
        top.add_patch(Rectangle(self.z_org, ow, oh, facecolor="#F7F7F7", zorder=0))
        self.z_cells = TextGrid(top, [(self.z_org[0] + c + 0.5, self.z_org[1] + r + 0.5)
                                      for r in range(oh) for c in range(ow)],
                                size=10.5)
        grid_lines(top, self.z_org, oh, ow)
        self.z_title = PathText(top, self.z_org[0] + ow / 2, -0.5, "", size=11)
        PathText(top, (self.a_org[0] + w + self.z_org[0]) / 2, self.z_org[1] + 1.5,
                 "$z = M\\,a$  →", size=12)
        self.window = [Rectangle((0, 0), 1, 1, fill=False, lw=3.0,
                                 edgecolor=ROLE["highlight"], zorder=5)
                       for _ in range(h * w)]
        for rect in self.window:
            top.add_patch(rect)
        self.z_mark = Rectangle((0, 0), 1, 1, fill=False, lw=3.0,
                                edgecolor=ROLE["highlight"], zorder=5)
        top.add_patch(self.z_mark)
        self.sum_text = [PathText(top, 0.2, 4.6 + 0.72 * i, "", size=11, ha="left")
                         for i in range(2)]
        # ---- bottom: the matrix ---------------------------------------------
        mat = fig.add_axes((0.075, 0.02, 0.915, 0.34))
        mat.set_axis_off()
        n_rows, n_cols = oh * ow, h * w
        mat.set_xlim(-0.05, n_cols + 0.05)
        mat.set_ylim(n_rows + 0.05, -0.05)
        self.mat = mat
        self.cells = PolyCollection(
            [[(c, r), (c + 1, r), (c + 1, r + 1), (c, r + 1)]
             for r in range(n_rows) for c in range(n_cols)],
            edgecolors="none", zorder=0)
        mat.add_collection(self.cells, autolim=False)
        self.rgba = {s: self._rgba(s).reshape(-1, 4) for s in STAGES}
        self.cell_text = TextGrid(mat, [(c + 0.5, r + 0.5) for r in range(n_rows)
                                        for c in range(n_cols)], size=9)
        grid_lines(mat, (0, 0), n_rows, n_cols, color="#CCCCCC", linewidth=0.5,
                   zorder=1)
        grid_lines(mat, (0, 0), n_rows, n_cols, color="#333333", linewidth=1.2,
                   every=(ow, w))
        TextGrid(mat, [(c + 0.5, -0.2) for c in range(n_cols)],
                 [f"{c // w},{c % w}" for c in range(n_cols)], size=9, va="bottom")
        TextGrid(mat, [(-0.15, r + 0.5) for r in range(n_rows)],
                 [f"{r // ow},{r % ow}" for r in range(n_rows)], size=9, ha="right")
        PathText(mat, n_cols / 2, -0.95, "columns: input pixels a[p, q]    rows: "
                 "outputs z[x, y]", size=9.5, va="bottom")
        self.row_mark = Rectangle((0, 0), n_cols, 1, fill=False, lw=2.5,
                                  edgecolor=ROLE["highlight"], zorder=6)
        mat.add_patch(self.row_mark)
        self.mat_title = PathText(mat, n_cols / 2, -1.9, "", size=11, va="bottom")
        for stage in STAGES:  # build every string's outline once
            for r in range(n_rows):
                self._update(stage=stage, out=r)
        self.update(**self.defaults())

    def _rgba(self, stage):
        from matplotlib import colormaps

        m = self.mats[stage]
        out = np.ones(m.shape + (4,))
        if stage == "shared":
            for e in range(self.kernel.size):
                light = np.array(to_rgba(KERNEL_COLORS[e]))
                light[:3] = 0.45 * light[:3] + 0.55  # a tint keeps labels legible
                out[self.idx == e] = light
            return out
        cmap = colormaps[DIVERGING_CMAP]
        lim = np.abs(self.mats["dense"]).max()
        tint = cmap(0.5 + 0.5 * m / lim)
        tint[..., :3] = 0.55 * tint[..., :3] + 0.45
        keep = m != 0
        out[keep] = tint[keep]
        return out

    def frames(self) -> list[dict]:
        """Dense and cut for the first and middle outputs, then every output of
        the shared layer."""
        n = self.ohw[0] * self.ohw[1]
        firsts = [0, n // 2]
        return ([{"stage": "dense", "out": r} for r in firsts]
                + [{"stage": "local", "out": r} for r in firsts]
                + [{"stage": "shared", "out": r} for r in range(n)])

    def _update(self, stage, out):
        (h, w), (kh, kw), (oh, ow) = self.hw, self.khw, self.ohw
        m = self.mats[stage]
        z = self.outs[stage]
        x, y = divmod(out, ow)
        # matrix cells
        self.cells.set_facecolors(self.rgba[stage])
        labels = []
        for (r, c), v in np.ndenumerate(m):
            if v == 0:
                labels.append("")
            elif stage == "shared":
                i, j = divmod(self.idx[r, c], kw)
                labels.append(f"$w_{{{i}{j}}}$")
            else:
                labels.append(num(v, ".1f"))
        self.cell_text.set_texts(labels)
        self.row_mark.set_y(out)
        n_w = {"dense": m.size, "local": int((self.idx >= 0).sum()),
               "shared": self.kernel.size}[stage]
        self.mat_title.set_text(f"weight matrix M, {_STAGE_NAMES[stage]}: "
                                f"{n_w} independent weights")
        # output image and window
        self.z_cells.set_texts([num(v, ".1f") for v in z])
        self.z_title.set_text(f"output z ({oh}×{ow})")
        self.z_mark.set_xy((self.z_org[0] + y, self.z_org[1] + x))
        used = np.flatnonzero(m[out])
        for n, rect in enumerate(self.window):
            if n < len(used):
                rr, cc = divmod(used[n], w)
                rect.set_xy((self.a_org[0] + cc, self.a_org[1] + rr))
                rect.set_visible(True)
            else:
                rect.set_visible(False)
        # the sum of the chosen output
        flat = self.a.ravel()
        if stage == "shared":
            terms = " + ".join(
                f"w_{{{i}{j}}}\\,a_{{{x + i},{y + j}}}" for i in range(kh)
                for j in range(kw))
            nums = " + ".join(
                f"{num(self.kernel[i, j], paren=True)}\\cdot"
                f"{num(flat[(x + i) * w + y + j], paren=True)}"
                for i in range(kh) for j in range(kw))
            lines = (f"$z_{{{x},{y}}} = {terms}$", f"$= {nums} = {num(z[out])}$")
        elif stage == "local":
            nums = " + ".join(
                f"{num(m[out, c], paren=True)}\\cdot{num(flat[c], paren=True)}"
                for c in used)
            lines = (f"$z_{{{x},{y}}} = {nums}$", f"$= {num(round(z[out], 2))}$"
                     f"   ({len(used)} pixels, {len(used)} weights of its own)")
        else:
            lines = (f"$z_{{{x},{y}}} = \\sum_{{c=0}}^{{{h * w - 1}}} M_{{{out},c}}"
                     f"\\,a_c = {num(round(z[out], 2))}$",
                     f"(all {h * w} pixels, {h * w} weights of its own)")
        for text, line in zip(self.sum_text, lines, strict=True):
            text.set_text(line)
