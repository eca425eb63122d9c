"""Static figures in notebooks: a detached figure as PNG bytes or as an image.

The book's figures are detached from pyplot (see :func:`cnnlib.viz.new_figure`),
so Jupyter does not display them by itself. ``image(fig)`` shows one, as an
ordinary ``image/png`` output that myst-nb can caption and give alt text. The
PNG holds :data:`~cnnlib.viz.encode.SCALE` image pixels per CSS pixel, and the
output's width says the CSS size, so the figure stays sharp when zoomed.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from cnnlib.viz.encode import SCALE, compact_png

__all__ = ["image", "png"]


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure ``fig`` as PNG bytes, at ``dpi`` (default the figure's own)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def image(fig: Figure, dpi: float | None = None):
    """``fig`` as an ``IPython.display.Image`` shown ``dpi`` CSS pixels per inch
    (default the figure's dpi) and stored at ``SCALE`` times that, as a lossless
    PNG (a palette PNG when the figure has at most 256 colours)."""
    from IPython.display import Image

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    css_dpi = float(dpi or fig.dpi)
    if css_dpi <= 0:
        raise ValueError(f"dpi: expected a positive number, got {dpi!r}")
    data = compact_png(png(fig, dpi=SCALE * css_dpi))
    width = round(fig.get_size_inches()[0] * css_dpi)
    return Image(data=data, format="png", width=width)
