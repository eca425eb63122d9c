"""Drawings of chapter 7: the scatter numerics against conv2d_backward, the
StrideBackward contract (in-place updates that change pixels, valid frames,
fast redraws, a self-contained animation) and the static figures."""


import numpy as np
import pytest

pytest.importorskip("matplotlib")

from cnnlib import conv2d_backward, conv2d_forward  # noqa: E402
from cnnlib.animate import animation  # noqa: E402
from cnnlib.rules import scatter_partial_sums  # noqa: E402
from cnnlib.viz.beyond import (  # noqa: E402
    StrideBackward,
    dilation_figure,
    pooling_figure,
)


def test_all_scattered_deltas_give_the_input_gradient_of_the_strided_layer():
    rng = np.random.default_rng(7)
    for (h, wd), s, (kh, kw) in [((8, 8), 2, (3, 3)), ((9, 7), 3, (2, 3))]:
        w = rng.normal(size=(kh, kw))
        y, cache = conv2d_forward(np.zeros((1, 1, h, wd)), w[None, None], stride=s)
        delta = rng.normal(size=y.shape[2:])
        dx = conv2d_backward(delta[None, None], cache)[0][0, 0]
        n = delta.size
        sums, touched = scatter_partial_sums(delta, w, (h, wd), s, n)
        assert np.allclose(sums, dx)
        assert np.all(dx[~touched] == 0)
        none, nothing = scatter_partial_sums(delta, w, (h, wd), s, 0)
        assert not none.any() and not nothing.any()


def test_scatter_partial_sums_rejects_bad_arguments():
    with pytest.raises(ValueError, match="delta"):
        scatter_partial_sums(np.zeros((2, 2)), np.zeros((3, 3)), (8, 8), 2, 1)
    with pytest.raises(ValueError, match="upto"):
        scatter_partial_sums(np.zeros((3, 3)), np.zeros((3, 3)), (8, 8), 2, 10)


def test_stride_backward_marks_the_rows_no_window_read():
    d = StrideBackward()
    assert d.never_read[7].all() and d.never_read[:, 7].all()
    assert not d.never_read[:7, :7].any()
    assert np.all(d.result[d.never_read] == 0)


def test_stride_backward_update_changes_pixels_in_place():
    d = StrideBackward()
    n_artists = len(d.ax.get_children())
    frames = d.frames()
    d.update(**frames[0])
    before = d.render_array()
    d.update(**frames[-1])
    after = d.render_array()
    assert before.shape == after.shape and np.any(before != after)
    assert len(d.ax.get_children()) == n_artists
    d.update(**frames[0])
    assert np.array_equal(d.render_array(), before)


def test_stride_backward_frames_are_valid_parameter_values():
    d = StrideBackward()
    frames = d.frames()
    assert len(frames) == 9
    for f in frames:
        assert set(f) == {"x", "y"}
        for p in d.params:
            p.check(f[p.name])
    assert d.alt and len(d.alt) > 60


def test_stride_backward_animation_has_no_external_url():
    d = StrideBackward()
    html = animation(d, dpi=50).html
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64") >= len(d.frames())
    assert 'alt="' in html


def test_static_figures_draw_and_check_their_input():
    assert len(dilation_figure().axes) == 1
    x = np.arange(16.0).reshape(4, 4)
    assert len(pooling_figure(x, np.ones((2, 2))).axes) == 1
    with pytest.raises(ValueError, match="delta"):
        pooling_figure(x, np.ones((3, 3)))
