"""Static figures in notebooks: a detached figure as PNG bytes.

The book's figures are detached from pyplot (see :func:`cnnlib.viz.new_figure`),
so Jupyter does not display them by itself. ``Image(png(fig))`` shows one, as
an ordinary ``image/png`` output that myst-nb can caption and give alt text.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["png"]


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure ``fig`` as PNG bytes, at ``dpi`` (default the figure's own)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()
