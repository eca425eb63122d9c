"""No frame of any figure shows an empty panel.

A panel is an axes of the drawing's figure. For every drawing of ``cnnlib.viz``
and every frame the static player shows, each visible axes must hold drawn
pixels (not only the figure's background) in a share of its area.
"""

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from matplotlib.colors import to_rgb  # noqa: E402

from cnnlib.viz import Drawing, Param, all_drawings, new_figure  # noqa: E402

#: Least share of a panel's pixels that must differ from the background.
MIN_INK = 0.01


def empty_panels(drawing: Drawing) -> list[tuple[dict, int]]:
    """(frame, axes index) for every visible axes that is blank in a frame."""
    found = []
    for frame in drawing.frames():
        drawing.update(**frame)
        pixels = drawing.render_array()[..., :3].astype(int)
        background = np.round(255 * np.array(to_rgb(drawing.fig.get_facecolor())))
        height = pixels.shape[0]
        for k, ax in enumerate(drawing.fig.axes):
            if not ax.get_visible():
                continue
            box = ax.get_window_extent()  # inset by 2 px: edges antialias
            rows = slice(max(0, int(height - box.y1) + 2), int(height - box.y0) - 2)
            cols = slice(max(0, int(box.x0) + 2), int(box.x1) - 2)
            region = pixels[rows, cols]
            ink = np.any(region != background, axis=-1).mean() if region.size else 0
            if ink < MIN_INK:
                found.append((frame, k))
    return found


@pytest.mark.parametrize("cls", all_drawings(), ids=lambda c: c.__name__)
def test_no_frame_has_an_empty_panel(cls):
    assert empty_panels(cls.example()) == []


class _HalfEmpty(Drawing):
    """A drawing whose second panel is empty in its last frame."""

    params = (Param("k", "Frame", 0, 1),)
    alt = "Two panels; the right one is drawn in the first frame only."

    def __init__(self):
        self.fig = new_figure(3, 1.5, dpi=40)
        left = self.fig.add_axes((0.0, 0.0, 0.5, 1.0))
        right = self.fig.add_axes((0.5, 0.0, 0.5, 1.0))
        left.imshow(np.eye(4))
        self.dot = right.imshow(np.eye(4))
        for ax in (left, right):
            ax.set_axis_off()
        self.update(**self.defaults())

    def _update(self, k):
        self.dot.set_visible(k == 0)


def test_the_check_finds_a_panel_left_empty():
    assert empty_panels(_HalfEmpty()) == [({"k": 1}, 1)]
