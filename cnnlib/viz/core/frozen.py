"""Helpers that keep a drawing's ``update`` + ``canvas.draw()`` fast.

Matplotlib spends most of a redraw on text (about half a millisecond per
string on a slow machine), and the book's grids hold dozens of numbers that
never change. :class:`FrozenBackground` renders every artist that is not
declared dynamic once into a single image behind the figure, and renders it
again only when the figure's size or resolution changes (as the animation
driver does when it embeds frames at a lower dpi). Each redraw then costs the
background image plus the few artists that really move.

"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnlib.validation import check_instance


def _leaves(fig: Figure) -> list[Artist]:
    out: list[Artist] = []
    for child in fig.get_children():
        if isinstance(child, Axes):
            out.extend(child.get_children())
            out.append(child.patch)
        elif child is not fig.patch:
            out.append(child)
    return out


class _Pixels(Artist):
    """An RGBA array drawn 1:1 at the figure's lower left corner (no resampling)."""

    def __init__(self):
        super().__init__()
        self.pixels = np.zeros((1, 1, 4), dtype=np.uint8)
        self.set_zorder(-10)

    def draw(self, renderer):
        if not self.get_visible():
            return
        gc = renderer.new_gc()
        # Agg's draw_image counts rows from the bottom
        renderer.draw_image(gc, 0, 0, self.pixels)
        gc.restore()
        self.stale = False


class FrozenBackground:
    """Draw the static artists of ``fig`` once, as one image.

    Parameters
    ----------
    fig : Figure
    dynamic : iterable of Artist
        The artists that ``update`` changes; everything else in the figure is
        frozen into the background image.

    Call :meth:`ensure` at the start of every ``update``: it re-renders the
    background only when the figure's dpi or size changed since last time.
    """

    def __init__(self, fig: Figure, dynamic):
        check_instance(fig, "fig", Figure, "a matplotlib Figure")
        if not isinstance(dynamic, (list, tuple)) or not all(
            isinstance(a, Artist) for a in dynamic
        ):
            raise TypeError("dynamic: expected a list of matplotlib artists, got "
                            f"{type(dynamic).__name__}")
        self.fig = fig
        self.dynamic = list(dynamic)
        dyn = {id(a) for a in self.dynamic}
        self.static = [a for a in _leaves(fig) if id(a) not in dyn and a.get_visible()]
        self.image = _Pixels()
        self.image.set_visible(False)
        fig.add_artist(self.image)
        self._key = None

    def ensure(self) -> None:
        key = (float(self.fig.dpi), tuple(np.round(self.fig.get_size_inches(), 6)))
        if key == self._key:
            return
        shown = [a.get_visible() for a in self.dynamic]
        for a in self.dynamic:
            a.set_visible(False)
        for a in self.static:
            a.set_visible(True)
        self.image.set_visible(False)
        # a private render: nobody listening for draws needs to hear of it
        with self.fig.canvas.callbacks.blocked(signal="draw_event"):
            self.fig.canvas.draw()
        background = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        for a in self.static:
            a.set_visible(False)
        for a, vis in zip(self.dynamic, shown, strict=True):
            a.set_visible(vis)
        # Agg's draw_image counts rows from the bottom
        self.image.pixels = np.ascontiguousarray(background[::-1])
        self.image.set_visible(True)
        self._key = key
