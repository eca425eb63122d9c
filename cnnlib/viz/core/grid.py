"""A grid of numbers drawn as cells, updated in place.

Most figures of the book are small grids (an input, a kernel, a delta map).
:class:`GridArtist` draws one with its values written in the cells and lets a
drawing change the values, the highlighted cells and the title without
rebuilding anything. Highlighted cells get a thick outline as well as a
colour, so the highlight never rests on colour alone. Numbers are drawn as
:class:`~cnnlib.viz.core.text.PathText` outlines, which redraw far faster than
matplotlib text objects.

:class:`Outlines` is a pool of rectangles used as cell highlights, and
:class:`CellCover` hides the cells of a grid that are not computed yet, in a
single image artist, so neither needs one artist per cell.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from cnnlib.validation import as_int, as_map, as_pair, as_real, check_instance
from cnnlib.viz.core.style import PAD_GREY, ROLE, SEQUENTIAL_CMAP, text_colour_on
from cnnlib.viz.core.text import PathText, num


def grid_lines(ax: Axes, origin, n_rows: int, n_cols: int, *, color="#444444",
               linewidth: float = 0.8, zorder: float = 2, every=(1, 1)):
    """The lines of an ``n_rows`` x ``n_cols`` grid of unit cells whose top-left
    corner is ``origin`` (x, y), as one :class:`LineCollection` (one artist).

    ``every = (rows, cols)`` draws only every so many lines (block borders).
    """
    x0, y0 = origin
    er, ec = every
    segs = [[(x0 + c, y0), (x0 + c, y0 + n_rows)] for c in range(0, n_cols + 1, ec)]
    segs += [[(x0, y0 + r), (x0 + n_cols, y0 + r)] for r in range(0, n_rows + 1, er)]
    lines = LineCollection(segs, colors=color, linewidths=linewidth, zorder=zorder)
    ax.add_collection(lines)
    return lines


class GridArtist:
    """Draw a 2-D array of shape (H, W) on ``ax``, cell (r, c) at row r, column c.

    Parameters
    ----------
    ax : Axes
    values : array of shape (H, W)
    cmap : str
        Colour map of the cell faces (``None`` for plain white cells).
    vmin, vmax : float, optional
        Colour limits; default the range of ``values``.
    fmt : str
        Format spec of the numbers written in the cells, as in ``format(v, fmt)``
        ("g", ".2g"; "" writes none); negative numbers get the minus sign U+2212
        (see :func:`cnnlib.viz.core.text.num`).
    labels : array of str of shape (H, W), optional
        Text written in the cells instead of the formatted numbers.
    origin : (float, float)
        Where cell (0, 0) is drawn, in data coordinates (x of the column,
        y of the row); lets several grids share one axes.
    """

    def __init__(self, ax: Axes, values, *, cmap=SEQUENTIAL_CMAP, vmin=None,
                 vmax=None, fmt=".2g", labels=None, origin=(0.0, 0.0),
                 fontsize=9, title=None):
        check_instance(ax, "ax", Axes, "a matplotlib Axes")
        values = as_map(values, "values")
        if not isinstance(fmt, str):
            raise TypeError(f"fmt: expected a format string, got {type(fmt).__name__}")
        self.ax = ax
        self.shape = values.shape
        self.fmt = fmt
        self.origin = origin
        H, W = values.shape
        x0, y0 = origin
        lo = np.min(values) if vmin is None else vmin
        hi = np.max(values) if vmax is None else vmax
        if hi == lo:
            hi = lo + 1.0
        self.image = ax.imshow(
            values, cmap=cmap or "Greys", vmin=lo if cmap else 1e9,
            vmax=hi if cmap else 2e9,
            extent=(x0 - 0.5, x0 + W - 0.5, y0 + H - 0.5, y0 - 0.5),
            interpolation="nearest", zorder=1,
        )
        self.texts = np.empty((H, W), dtype=object)
        for r in range(H):
            for c in range(W):
                self.texts[r, c] = PathText(ax, x0 + c, y0 + r, "", size=fontsize,
                                            zorder=3)
        self.frames = np.empty((H, W), dtype=object)
        for r in range(H):
            for c in range(W):
                rect = Rectangle((x0 + c - 0.5, y0 + r - 0.5), 1, 1, fill=False,
                                 edgecolor="#444444", linewidth=0.6, zorder=2)
                ax.add_patch(rect)
                self.frames[r, c] = rect
        self.title = PathText(ax, x0 + (W - 1) / 2, y0 - 0.9, title or "",
                              va="bottom", size=fontsize + 1)
        self._greyed = np.zeros((H, W), dtype=bool)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        self.set_values(values, labels=labels)

    def set_values(self, values, labels=None) -> None:
        """Change the numbers (and colours) shown; the shape must not change."""
        values = np.asarray(values, dtype=np.float64)
        if values.shape != self.shape:
            raise ValueError(
                f"values: expected shape {self.shape}, got shape {values.shape}"
            )
        self.image.set_data(values)
        for (r, c), v in np.ndenumerate(values):
            text = labels[r][c] if labels is not None else (
                num(v, self.fmt) if self.fmt else "")
            self.texts[r, c].set_text(text)
            if not self._greyed[r, c]:
                self.texts[r, c].set_color(
                    text_colour_on(self.image.cmap(self.image.norm(v))))

    def grey_cells(self, mask, hatch=None, text_color="#666666") -> None:
        """Shade the cells where ``mask`` (shape (H, W), bool) is true grey, as
        zeros that are there by construction (padding, inserted zeros, holes),
        optionally hatched (a shape cue besides the shade); their numbers, if
        any, are written in ``text_color``. Static: call it once, after creation.
        """
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != self.shape:
            raise ValueError(
                f"mask: expected shape {self.shape}, got shape {mask.shape}"
            )
        x0, y0 = self.origin
        for (r, c), on in np.ndenumerate(mask):
            if on:
                self.ax.add_patch(Rectangle(
                    (x0 + c - 0.5, y0 + r - 0.5), 1, 1, facecolor=PAD_GREY,
                    edgecolor="#999999", hatch=hatch, linewidth=0, zorder=1.5))
                self.texts[r, c].set_color(text_color)
        self._greyed = self._greyed | mask

    def set_highlight(self, mask, color=ROLE["highlight"], width=3.0) -> None:
        """Outline the cells where ``mask`` (shape (H, W), bool) is true."""
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != self.shape:
            raise ValueError(
                f"mask: expected shape {self.shape}, got shape {mask.shape}"
            )
        for (r, c), on in np.ndenumerate(mask):
            rect = self.frames[r, c]
            rect.set_edgecolor(color if on else "#444444")
            rect.set_linewidth(width if on else 0.6)
            rect.set_zorder(4 if on else 2)

    def set_title(self, text: str) -> None:
        self.title.set_text(text)

    def limits(self, pad=0.6):
        """The data box the grid occupies: (xmin, xmax, ymin, ymax)."""
        H, W = self.shape
        x0, y0 = self.origin
        return (x0 - 0.5 - pad, x0 + W - 0.5 + pad, y0 + H - 0.5 + pad,
                y0 - 1.5 - pad)


class Outlines:
    """A pool of ``n`` cell outlines on ``ax``, moved by :meth:`show`."""

    def __init__(self, ax: Axes, n: int, color, width: float = 3.0,
                 linestyle="-", zorder: float = 5):
        check_instance(ax, "ax", Axes, "a matplotlib Axes")
        n = as_int(n, "n", 0)
        as_real(width, "width", low=0.0)
        self.rects = []
        for _ in range(n):
            r = Rectangle((0, 0), 1, 1, fill=False, edgecolor=color, linewidth=width,
                          linestyle=linestyle, zorder=zorder, visible=False)
            ax.add_patch(r)
            self.rects.append(r)

    @property
    def artists(self) -> list[Rectangle]:
        return list(self.rects)

    def show(self, cells, origin=(0.0, 0.0)) -> None:
        """Outline the cells ``[(row, col), ...]`` of a grid whose cell (0, 0)
        is drawn at ``origin`` (x, y); hide the outlines left over."""
        cells = list(cells)
        if len(cells) > len(self.rects):
            raise ValueError(
                f"cells: expected at most {len(self.rects)} cells, got {len(cells)}"
            )
        x0, y0 = origin
        for k, r in enumerate(self.rects):
            if k < len(cells):
                row, col = cells[k]
                r.set_xy((x0 + col - 0.5, y0 + row - 0.5))
                r.set_visible(True)
            else:
                r.set_visible(False)


class CellCover:
    """White covers over chosen cells of an (H, W) grid, in one image artist.

    A thin transparent rim is left round each covered cell, so the grid lines
    stay visible.
    """

    RES = 12  # image pixels per cell

    def __init__(self, ax: Axes, shape, origin=(0.0, 0.0), zorder: float = 4.5):
        check_instance(ax, "ax", Axes, "a matplotlib Axes")
        h, w = as_pair(shape, "shape", 1)
        x0, y0 = origin
        self.shape = (h, w)
        cell = np.zeros((self.RES, self.RES), dtype=bool)
        cell[1:-1, 1:-1] = True
        self._cell = cell
        self.image = ax.imshow(
            np.zeros((h * self.RES, w * self.RES, 4)),
            extent=(x0 - 0.5, x0 + w - 0.5, y0 + h - 0.5, y0 - 0.5),
            interpolation="nearest", zorder=zorder)

    def cover(self, mask) -> None:
        """Cover the cells where ``mask`` (shape (H, W), bool) is true."""
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != self.shape:
            raise ValueError(
                f"mask: expected shape {self.shape}, got shape {mask.shape}"
            )
        alpha = np.kron(mask, self._cell).astype(np.float64)
        rgba = np.ones(alpha.shape + (4,))
        rgba[..., 3] = alpha
        self.image.set_data(rgba)
