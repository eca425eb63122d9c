"""The live panel's fast picture, and the list of drawings that tests and
benchmarks visit."""

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")
from PIL import Image  # noqa: E402

from cnnlib.viz import all_drawings  # noqa: E402
from cnnlib.viz.core.base import Drawing, png, png_quick  # noqa: E402


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def test_all_drawings_finds_every_drawing_of_the_chapters():
    names = {cls.__name__ for cls in all_drawings()}
    assert {"MLPDeltaDrawing", "WeightSharingDrawing", "SlidingWindowDrawing",
            "DeltaPropagation", "KernelRotation", "WeightGradient",
            "StrideBackward"} <= names
    assert all(issubclass(cls, Drawing) and cls is not Drawing
               for cls in all_drawings())


@pytest.mark.parametrize("cls", all_drawings(), ids=lambda c: c.__name__)
def test_quick_png_shows_the_same_pixels_as_png(cls):
    drawing = cls.example()
    last = drawing.frames()[-1]
    drawing.update(**last)  # a state other than the first
    quick, slow = _pixels(png_quick(drawing.fig)), _pixels(png(drawing.fig))
    assert quick.shape == slow.shape
    assert np.array_equal(quick, slow)


def test_quick_png_refuses_what_is_not_a_figure():
    with pytest.raises(TypeError, match="fig: expected a matplotlib Figure"):
        png_quick(np.zeros((4, 4)))
