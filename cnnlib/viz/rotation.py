"""Chapter 4: the kernel turning through 180 degrees.

:func:`rotated_cell_centres` gives where each cell of a kernel sits after the
grid is turned by a given angle about its centre; at 180 degrees cell (i, j)
sits where cell (KH−1−i, KW−1−j) was, which is :func:`cnnlib.rot180` and also
"flip the rows, then flip the columns". :class:`KernelRotation` shows the
turn, the two flips beside it, and the rotated kernel landing on the
zero-padded delta map.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.patches import Polygon, Rectangle

from cnnlib.validation import as_map, as_pair, as_real
from cnnlib.viz.core.base import Drawing, Param
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import GridArtist
from cnnlib.viz.core.style import OKABE_ITO, ROLE, SEQUENTIAL_CMAP, new_figure
from cnnlib.viz.core.text import PathText
from cnnlib.viz.deltas import PAD_GREY

__all__ = ["KernelRotation", "rotated_cell_centres"]


def rotated_cell_centres(shape, angle_deg: float) -> np.ndarray:
    """Centres of the cells of a (KH, KW) grid turned by ``angle_deg`` about its middle.

    Cell (i, j) starts at (x, y) = (j, i) (column, row; rows grow downwards)
    and turns anticlockwise as seen on the page.

    Returns
    -------
    ndarray of shape (KH, KW, 2)
        ``[i, j] = (x, y)``; at 180 degrees ``[i, j]`` equals the start of
        ``[KH-1-i, KW-1-j]``.
    """
    kh, kw = as_pair(shape, "shape", 1)
    angle_deg = as_real(angle_deg, "angle_deg")
    cx, cy = (kw - 1) / 2, (kh - 1) / 2
    t = np.deg2rad(angle_deg)
    rows, cols = np.mgrid[0:kh, 0:kw].astype(np.float64)
    dx, dy = cols - cx, rows - cy
    x = cx + dx * np.cos(t) + dy * np.sin(t)
    y = cy - dx * np.sin(t) + dy * np.cos(t)
    return np.stack([x, y], axis=-1)


def _square(cx, cy, t, half=0.5):
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    c, s = np.cos(t), np.sin(t)
    x = cx + corners[:, 0] * c + corners[:, 1] * s
    y = cy - corners[:, 0] * s + corners[:, 1] * c
    return np.column_stack([x, y])


class KernelRotation(Drawing):
    """A 3×3 kernel turned through 180 degrees and laid on the padded delta map.

    Parameters: ``angle`` (0..180 in steps of 15 degrees) turns the kernel
    about its centre, every number keeping its cell; ``slide`` (0..4) moves
    the turned kernel onto the first window of the zero-padded delta map.
    """

    def __init__(self, w=None, delta=None, dpi: int = 80):
        self.w = (np.arange(1.0, 10.0).reshape(3, 3) if w is None
                  else as_map(w, "w", dims="(3, 3)"))
        self.delta = (np.array([[2.0, -1.0], [1.0, 3.0]]) if delta is None
                      else as_map(delta, "delta", dims="(OH, OW)"))
        kh, kw = self.w.shape
        if (kh, kw) != (3, 3):
            raise ValueError(f"w: expected shape (3, 3), got shape {self.w.shape}")
        self.params = (Param("angle", "Angle (degrees)", 0, 180, step=15),
                       Param("slide", "Slide onto the delta map", 0, 4))
        self.alt = (
            "A 3x3 kernel holding the numbers 1 to 9 turns about its centre from 0 to "
            "180 degrees; at 180 degrees its rows and columns are reversed, the same "
            "as flipping the rows and then the columns, shown beside it. The turned "
            "kernel then slides onto the first window of the zero-padded 2x2 delta "
            "map, where only its bottom-right weight w[0,0] meets the delta "
            "delta[0,0]."
        )
        self.fig = new_figure(7.6, 5.6, dpi=dpi)
        ax = self.fig.add_axes((0.01, 0.01, 0.98, 0.98))
        self.ax = ax
        lo, hi = float(self.w.min()), float(self.w.max())
        # the ghost of the kernel's starting place
        ax.add_patch(Rectangle((-0.5, -0.5), kw, kh, fill=False, linestyle=":",
                               edgecolor="#666666", linewidth=1.2, zorder=0.5))
        ax.text(1.0, -0.95, "the kernel w, turning", ha="center", va="bottom",
                fontsize=10)
        # the two flips
        names = ("w", "flip rows", "then columns")
        arrays = (self.w, self.w[::-1, :], self.w[::-1, ::-1])
        self.flip_x = (5.2, 9.4, 13.6)
        for x0, name, arr in zip(self.flip_x, names, arrays, strict=True):
            GridArtist(ax, arr, cmap=SEQUENTIAL_CMAP, vmin=lo, vmax=hi, fmt="{:g}",
                       origin=(x0, 0.0), title=name)
        for xa in (self.flip_x[0] + 2.6, self.flip_x[1] + 2.6):
            ax.annotate("", xy=(xa + 1.0, 1.0), xytext=(xa, 1.0),
                        arrowprops=dict(arrowstyle="->", linewidth=1.5))
        ax.text(self.flip_x[2] + 1.0, 2.95, "= rot180(w)", ha="center", va="top",
                fontsize=10)
        # the zero-padded delta map and its first window
        oh, ow = self.delta.shape
        padded = np.pad(self.delta, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
        self.map_origin = (0.0, 5.2)
        grid = GridArtist(ax, padded, cmap=None, fmt="{:g}", origin=self.map_origin,
                          title="δˡ⁺¹ padded with zeros")
        mx, my = self.map_origin
        for r, c in np.ndindex(padded.shape):
            inside = kh - 1 <= r < kh - 1 + oh and kw - 1 <= c < kw - 1 + ow
            if not inside:
                ax.add_patch(Rectangle((mx + c - 0.5, my + r - 0.5), 1, 1,
                                       facecolor=PAD_GREY, linewidth=0, zorder=1.5))
                grid.texts[r, c].set_color("#666666")
        ax.add_patch(Rectangle((mx + kw - 1.5, my + kh - 1.5), ow, oh, fill=False,
                               edgecolor="#222222", linewidth=1.8, zorder=2.2))
        ax.add_patch(Rectangle((mx - 0.5, my - 0.5), kw, kh, fill=False,
                               edgecolor=ROLE["highlight"], linestyle="--",
                               linewidth=2.0, zorder=2.5))
        # the turning kernel: one square and one number per cell
        cm = colormaps[SEQUENTIAL_CMAP]
        self.cells = np.empty((kh, kw), dtype=object)
        self.nums = np.empty((kh, kw), dtype=object)
        self.small = np.empty((kh, kw), dtype=object)
        for (i, j), v in np.ndenumerate(self.w):
            rgba = cm((v - lo) / (hi - lo))
            lum = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
            self.cells[i, j] = ax.add_patch(Polygon(
                _square(j, i, 0.0), closed=True, facecolor=rgba, edgecolor="#222222",
                linewidth=1.0, zorder=6, alpha=0.92))
            self.nums[i, j] = PathText(ax, j, i, f"{v:g}", size=11, weight="bold",
                                       zorder=7, color="black" if lum > 0.5 else "white")
            self.small[i, j] = PathText(ax, j, i, f"×{v:g}", size=8, weight="bold",
                                        ha="right", va="bottom", zorder=7,
                                        color=OKABE_ITO["blue"])
        self.status = [PathText(ax, 6.6, 5.9 + 0.62 * k, "", ha="left", va="top",
                                size=10) for k in range(7)]
        self.check = PathText(ax, 16.2, 3.75, "", ha="right", va="top", size=10,
                              color=OKABE_ITO["blue"], weight="bold")
        ax.set_xlim(-1.5, 16.3)
        ax.set_ylim(12.0, -2.0)
        texts = [*self.nums.ravel(), *self.small.ravel(), *self.status, self.check]
        self._bg = FrozenBackground(self.fig, [*self.cells.ravel(),
                                               *(t.patch for t in texts)])
        self.update(**self.defaults())

    def _update(self, angle, slide):
        self._bg.ensure()
        kh, kw = self.w.shape
        t = np.deg2rad(angle)
        centres = rotated_cell_centres(self.w.shape, angle)
        # from the kernel's home to the first window of the map, straight down
        shift = np.array([0.0, self.map_origin[1] * slide / 4])
        for (i, j), _ in np.ndenumerate(self.w):
            cx, cy = centres[i, j] + shift
            self.cells[i, j].set_xy(_square(cx, cy, t))
            landed = slide == 4
            # landed: the deltas underneath show through, the weights in a corner
            self.cells[i, j].set_alpha(0.3 if landed else 0.92)
            self.nums[i, j].set_position((cx, cy))
            self.nums[i, j].set_visible(not landed)
            self.small[i, j].set_position((cx + 0.45, cy + 0.47))
            self.small[i, j].set_visible(landed)
        if angle < 180:
            self.check.set_text("")
            msg = (f"Turned by {angle}°.\nEvery number keeps its cell;\n"
                   "the cells move together.")
        else:
            self.check.set_text("equals the turned kernel ✓")
            msg = ("Turned by 180°: cell (i, j) now sits\nat (2−i, 2−j). That is "
                   "rot180(w),\nthe same as flipping the rows,\nthen the columns.")
        if slide > 0 and angle == 180:
            msg = ("rot180(w) slides onto the first\nwindow of the padded δ map."
                   if slide < 4 else
                   "Landed on window (0, 0): the only\nreal delta it covers is "
                   f"δˡ⁺¹[0,0] = {self.delta[0, 0]:g},\nunder the turned kernel's "
                   f"bottom-right\ncell, w[0,0] = {self.w[0, 0]:g}. So\n"
                   f"δˡ[0,0] = {self.delta[0, 0]:g}·{self.w[0, 0]:g} (then ⊙ σ′):\n"
                   "aˡ[0,0] fed only zˡ⁺¹[0,0], via w[0,0].")
        elif slide > 0:
            msg += "\n(Turn it to 180° before it slides.)"
        lines = msg.split("\n")
        for k, line in enumerate(self.status):
            line.set_text(lines[k] if k < len(lines) else "")

    def frames(self) -> list[dict]:
        """Turn from 0 to 180 degrees, then slide onto the delta map."""
        turn = [{"angle": a, "slide": 0} for a in range(0, 181, 15)]
        return turn + [{"angle": 180, "slide": s} for s in range(1, 5)]
