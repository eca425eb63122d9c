"""The figures of chapter 3 (cnnlib.viz.sliding): the sliding window's
products add up to every output, in each mode and for both operations."""

import numpy as np
import pytest

from cnnlib.viz import png
from cnnlib.viz.sliding import SlidingWindowDrawing, modes_figure

SLIDE_CASES = [(m, op, (kh, kw)) for m in ("valid", "same", "full")
               for op in ("correlate", "convolve") for kh, kw in ((2, 2), (3, 2))]


@pytest.mark.parametrize("mode, op, kshape", SLIDE_CASES)
def test_sliding_terms_add_up_to_every_output(mode, op, kshape):
    rng = np.random.default_rng(4)
    a = rng.integers(-3, 4, (4, 5)).astype(float)
    k = rng.integers(-2, 3, kshape).astype(float)
    d = SlidingWindowDrawing(a, k, mode=mode, op=op, dpi=20)
    assert len(d.frames()) == d.z.size
    for f in d.frames():
        terms = d.terms(**f)
        assert len(terms) == k.size
        assert np.isclose(sum(kv * av for *_, kv, av in terms), d.z[f["x"], f["y"]])
        for i, j, r, c, kv, av in terms:
            inside = 0 <= r < a.shape[0] and 0 <= c < a.shape[1]
            assert av == (a[r, c] if inside else 0.0)
            assert kv == k[i, j]


def test_convolution_window_pairs_kernel_entries_rotated():
    a = np.arange(9.0).reshape(3, 3)
    k = np.array([[1.0, 2.0], [3.0, 4.0]])
    d = SlidingWindowDrawing(a, k, mode="valid", op="convolve", dpi=20)
    pairs = {(i, j): (r, c) for i, j, r, c, *_ in d.terms(0, 0)}
    assert pairs == {(0, 0): (1, 1), (0, 1): (1, 0), (1, 0): (0, 1), (1, 1): (0, 0)}


@pytest.mark.parametrize("bad", [dict(mode="half"), dict(op="xcorr")])
def test_sliding_drawing_rejects_unknown_mode_or_op(bad):
    with pytest.raises(ValueError, match="mode|op"):
        SlidingWindowDrawing(np.ones((3, 3)), np.ones((2, 2)), **bad)


def test_modes_figure_renders():
    assert png(modes_figure(dpi=30))[:4] == b"\x89PNG"
