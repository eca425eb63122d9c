"""Text drawn as filled outlines, so an interactive figure redraws fast.

With matplotlib 3.11 the Agg backend renders a text string glyph by glyph in
Python (about 5 ms for a 12-character string on the book's build machine), so a
figure with forty numbers in it takes some 200 ms to draw. :class:`PathText`
draws the same string as one filled path (:class:`matplotlib.textpath.TextPath`,
cached per string), which Agg fills in C: the forty numbers take about 5 ms.
The glyph outlines are the same font's, scaled with the figure's dpi, so the
text looks the same at any resolution.

A :class:`PathText` behaves like a small subset of :class:`matplotlib.text.Text`:
``set_text``, ``set_position``, ``set_color``, ``set_visible``, with ``ha`` and
``va`` alignment and an optional box behind it. All artists are created once.
"""

from __future__ import annotations

import functools
import numbers

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyBboxPatch, PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, ScaledTranslation

from cnnlib.validation import as_finite_array, as_real, check_instance

__all__ = ["MINUS", "SUBSCRIPT", "SUPERSCRIPT", "PathText", "TextGrid", "num",
           "text_path"]

_EMPTY = Path([(0.0, 0.0)], [Path.MOVETO])


MINUS = "\u2212"
#: ``str.translate`` tables that write digits as subscripts (``w₁₂``) and
#: superscripts (``δ²``), as the figures index their symbols.
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def num(v: float, fmt: str = "g", paren: bool = False) -> str:
    """The number ``v`` as the book writes it: ``format(v, fmt)`` with the
    typographic minus sign U+2212 (the hyphen-minus is too short beside digits),
    in parentheses when it is negative and ``paren`` (a factor in a product).

    ``num(-0.5)`` is ``"−0.5"``; ``num(-0.5, paren=True)`` is ``"(−0.5)"``.
    ``v`` must be a finite real number and ``fmt`` a format spec (a str).
    """
    if not isinstance(fmt, str):
        raise TypeError(f"fmt: expected a format spec such as 'g', got "
                        f"{type(fmt).__name__} {fmt!r}")
    if isinstance(v, bool | np.bool_) or not isinstance(v, numbers.Real):
        raise TypeError(f"v: expected a real number, got {type(v).__name__} {v!r}")
    if not np.isfinite(v):
        raise ValueError(f"v: expected a finite number, got {v}")
    s = format(v, fmt).replace("-", MINUS)
    return f"({s})" if paren and v < 0 else s


def _check_alignment(ha: str, va: str) -> None:
    if ha not in ("left", "center", "right"):
        raise ValueError(f"ha: expected 'left', 'center' or 'right', got {ha!r}")
    if va not in ("bottom", "baseline", "center", "top"):
        raise ValueError(
            f"va: expected 'bottom', 'baseline', 'center' or 'top', got {va!r}")


def _shift(box, ha: str, va: str) -> tuple[float, float]:
    """How far to move a path whose box is ``(x0, x1, y0, y1)`` to align it."""
    x0, x1, y0, y1 = box
    dx = {"left": -x0, "center": -(x0 + x1) / 2, "right": -x1}[ha]
    dy = {"bottom": -y0, "baseline": 0.0, "center": -(y0 + y1) / 2, "top": -y1}[va]
    return dx, dy


def text_path(text: str, size: float, weight: str = "normal"):
    """The outline of ``text`` at ``size`` points, baseline at y = 0 (cached).

    ``text`` may contain mathtext (``$...$``), as in :class:`matplotlib.text.Text`.
    Returns ``(path, (x0, x1, y0, y1))``: the path and the box of its control
    points (which holds the glyphs; computed once, as exact Bezier extents are
    slow). The font is the one ``rcParams`` name now (family and mathtext set),
    and the cache is keyed on it, so changing the font never returns stale glyphs.
    """
    check_instance(text, "text", str, "a str")
    as_real(size, "size", low=0.0, low_open=True)
    return _text_path(text, float(size), weight, _font_key())


def _font_key() -> tuple:
    rc = mpl.rcParams
    return (tuple(rc["font.family"]),
            *(tuple(rc[f"font.{f}"]) for f in rc["font.family"]
              if f"font.{f}" in rc),
            rc["mathtext.fontset"])


@functools.lru_cache(maxsize=4096)
def _text_path(text: str, size: float, weight: str, font: tuple):
    if not text:
        return _EMPTY, (0.0, 0.0, 0.0, 0.0)
    path = TextPath((0, 0), text, prop=FontProperties(size=size, weight=weight))
    v = path.vertices
    if len(v) == 0:
        return _EMPTY, (0.0, 0.0, 0.0, 0.0)
    (x0, y0), (x1, y1) = v.min(axis=0), v.max(axis=0)
    return Path(v.copy(), path.codes), (float(x0), float(x1), float(y0), float(y1))


def _note_size(fig, size: float) -> None:
    """Remember that ``fig`` shows text of ``size`` points (read by
    :func:`cnnlib.viz.encode.figure_text_points`, which checks figure text is
    large enough to read)."""
    fig.__dict__.setdefault("_cnnlib_text_points", set()).add(float(size))


class PathText:
    """A string drawn as a filled path at a point of ``ax`` (or of the figure).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes that holds it (its figure for ``coords="figure"``).
    x, y : float
        Anchor point, in data coordinates of ``ax`` (or figure fraction).
    text : str
    size : float
        Font size in points.
    ha : {"left", "center", "right"}
    va : {"bottom", "baseline", "center", "top"}
    color : color
    box : dict, optional
        Draw a rounded box behind the text: keys ``fc``, ``ec``, ``lw``, ``pad``
        (points).
    coords : {"data", "figure"}
    zorder : float
    weight : str
        Font weight ("normal" or "bold").
    """

    def __init__(self, ax, x, y, text="", *, size=9.0, ha="center", va="center",
                 color="black", box=None, coords="data", zorder=5, weight="normal"):
        _check_alignment(ha, va)
        if coords not in ("data", "figure"):
            raise ValueError(f"coords: expected 'data' or 'figure', got {coords!r}")
        check_instance(ax, "ax", Axes, "a matplotlib Axes")
        check_instance(text, "text", str, "a str")
        as_real(x, "x")
        as_real(y, "y")
        size = as_real(size, "size", low=0.0, low_open=True)
        self.ax, self.fig = ax, ax.figure
        self.size, self.ha, self.va, self.weight = size, ha, va, weight
        self._coords = ax.transData if coords == "data" else self.fig.transFigure
        self._xy = (x, y)
        self._text = None
        self._visible = True
        self.patch = PathPatch(_EMPTY, facecolor=color, edgecolor="none", lw=0,
                               zorder=zorder)
        self.box = None
        self._pad = 0.0
        if box is not None:
            self._pad = box.get("pad", 2.0)
            self.box = FancyBboxPatch(
                (0, 0), 1, 1, boxstyle=f"round,pad=0,rounding_size={self._pad}",
                fc=box.get("fc", "white"), ec=box.get("ec", "black"),
                lw=box.get("lw", 0.8), zorder=zorder - 0.01)
        target = ax if coords == "data" else self.fig
        if self.box is not None:
            target.add_artist(self.box)
            if coords == "data":
                self.box.set_clip_on(False)
        target.add_artist(self.patch)
        if coords == "data":
            self.patch.set_clip_on(False)
        self.set_text(text)

    def _transform(self):
        return (Affine2D().scale(1 / 72) + self.fig.dpi_scale_trans
                + ScaledTranslation(*self._xy, self._coords))

    def set_text(self, text: str) -> None:
        """Show ``text`` (mathtext allowed); nothing is redrawn until the canvas is."""
        text = str(text)
        if text == self._text:
            return
        self._text = text
        if text:
            _note_size(self.fig, self.size)
        path, (x0, x1, y0, y1) = text_path(text, self.size, self.weight)
        dx, dy = _shift((x0, x1, y0, y1), self.ha, self.va)
        self.patch.set_path(Path(path.vertices + (dx, dy), path.codes)
                            if len(path.vertices) > 1 else _EMPTY)
        if self.box is not None:
            p = self._pad
            self.box.set_bounds(x0 + dx - p, y0 + dy - p, x1 - x0 + 2 * p,
                                y1 - y0 + 2 * p)
        self.set_visible(self._visible)  # an empty string costs no drawing
        self._apply_transform()

    def _apply_transform(self):
        tr = self._transform()
        self.patch.set_transform(tr)
        if self.box is not None:
            self.box.set_transform(tr)

    def get_text(self) -> str:
        return self._text

    def set_position(self, xy) -> None:
        """Move the anchor point to ``xy`` (data or figure coordinates)."""
        xy = (float(xy[0]), float(xy[1]))
        if xy != self._xy:
            self._xy = xy
            self._apply_transform()

    def set_color(self, color) -> None:
        self.patch.set_facecolor(color)

    def set_visible(self, visible: bool) -> None:
        self._visible = bool(visible)
        shown = self._visible and bool(self._text)
        self.patch.set_visible(shown)
        if self.box is not None:
            self.box.set_visible(shown)

    def get_visible(self) -> bool:
        return self._visible


def _aligned(text: str, size: float, weight: str, ha: str, va: str) -> Path:
    return _aligned_path(text, float(size), weight, ha, va, _font_key())


@functools.lru_cache(maxsize=8192)
def _aligned_path(text, size, weight, ha, va, font) -> Path:
    path, box = _text_path(text, size, weight, font)
    if len(path.vertices) <= 1:
        return _EMPTY
    return Path(path.vertices + _shift(box, ha, va), path.codes)


class TextGrid:
    """Many strings at fixed points of ``ax``, drawn as one path collection.

    A grid of numbers drawn this way costs one draw call, however many cells it
    has. The strings share size, alignment and colour; ``set_texts`` changes
    them all at once.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    xy : array_like, shape (N, 2)
        Anchor points, in data coordinates.
    texts : sequence of str, optional
        Initial strings (default all empty).
    size, ha, va, color, zorder, weight
        As in :class:`PathText`.
    """

    def __init__(self, ax, xy, texts=None, *, size=9.0, ha="center", va="center",
                 color="black", zorder=5, weight="normal"):
        _check_alignment(ha, va)
        check_instance(ax, "ax", Axes, "a matplotlib Axes")
        xy = as_finite_array(xy, "xy")
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise ValueError(f"xy: expected shape (n, 2), one point a row, got "
                             f"shape {xy.shape}")
        size = as_real(size, "size", low=0.0, low_open=True)
        self.n = len(xy)
        self.size, self.ha, self.va, self.weight = size, ha, va, weight
        fig = ax.figure
        self.collection = PathCollection(
            [_EMPTY] * self.n, offsets=xy, offset_transform=ax.transData,
            facecolors=color, edgecolors="none", linewidths=0, zorder=zorder)
        ax.add_collection(self.collection, autolim=False)
        self.collection.set_transform(Affine2D().scale(1 / 72) + fig.dpi_scale_trans)
        self.collection.set_clip_on(False)
        self._texts = None
        self.set_texts(texts if texts is not None else [""] * self.n)

    def set_texts(self, texts) -> None:
        """Show ``texts`` (one string per anchor point, in order)."""
        texts = [str(t) for t in texts]
        if len(texts) != self.n:
            raise ValueError(f"texts: expected {self.n} strings, got {len(texts)}")
        if texts == self._texts:
            return
        self._texts = texts
        if any(texts):
            _note_size(self.collection.figure, self.size)
        self.collection.set_paths(
            [_aligned(t, self.size, self.weight, self.ha, self.va) for t in texts])

    def get_texts(self) -> list[str]:
        return list(self._texts)

    def set_offsets(self, xy) -> None:
        """Move the anchor points to ``xy`` (shape (N, 2), data coordinates)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if len(xy) != self.n:
            raise ValueError(f"xy: expected {self.n} points, got {len(xy)}")
        self.collection.set_offsets(xy)

    def set_visible(self, visible: bool) -> None:
        self.collection.set_visible(visible)
