"""Drawings of chapters 4-6: their pure functions against cnnlib's verified
numerics, and each Drawing's contract (in-place updates that change pixels,
valid frames, fast redraws, self-contained animations)."""


import numpy as np
import pytest

pytest.importorskip("matplotlib")

from cnnlib import conv2d_backward, conv2d_forward, rot180  # noqa: E402
from cnnlib.animate import animation  # noqa: E402
from cnnlib.rules import (  # noqa: E402  # noqa: E402
    backprop_sum,
    delta_sources,
    full_correlate_rot180,
    weight_gradient,
    weight_gradient_pairs,
)
from cnnlib.viz.core.frozen import FrozenBackground
from cnnlib.viz.core.grid import CellCover, Outlines  # noqa: E402
from cnnlib.viz.core.style import new_figure  # noqa: E402
from cnnlib.viz.deltas import DeltaPropagation  # noqa: E402
from cnnlib.viz.rotation import KernelRotation  # noqa: E402
from cnnlib.viz.training import (  # noqa: E402
    plot_digits,
    plot_kernels,
    plot_learning_curve,
    plot_misclassified,
)
from cnnlib.viz.wgrad import WeightGradient  # noqa: E402

DRAWINGS = [DeltaPropagation, KernelRotation, WeightGradient]


def _conv_grads(a, w, delta):
    _, cache = conv2d_forward(a[None, None], w[None, None])
    dx, dw, _ = conv2d_backward(delta[None, None], cache)
    return dx[0, 0], dw[0, 0]


def test_delta_sources_are_the_nonzero_entries_of_the_input_gradient():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 2))
    delta = np.zeros((4, 3))
    for x, y in np.ndindex(delta.shape):
        delta[:] = 0
        delta[x, y] = 1.0
        dx, _ = _conv_grads(np.zeros((6, 4)), w, delta)
        for p, q in np.ndindex(dx.shape):
            found = [(i, j) for xx, yy, i, j in delta_sources(p, q, w.shape, delta.shape)
                     if (xx, yy) == (x, y)]
            assert ([dx[p, q]] if found else []) == [w[i, j] for i, j in found]


def test_delta_is_full_correlation_with_rotated_kernel():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 3))
    delta = rng.normal(size=(4, 5))
    dx, _ = _conv_grads(np.zeros((6, 7)), w, delta)
    assert np.allclose(full_correlate_rot180(delta, w), dx)
    assert np.allclose([[backprop_sum(delta, w, p, q) for q in range(7)]
                        for p in range(6)], dx)


def test_delta_sources_rejects_positions_outside_the_layer():
    with pytest.raises(ValueError, match=r"\(p, q\)"):
        delta_sources(5, 0, (3, 3), (3, 3))


def test_copies_reach_each_position_back_to_front_as_rot180():
    d = KernelRotation()
    kh, kw = d.w.shape
    oh, ow = d.delta.shape
    r = rot180(d.w)
    for p in range(oh + kh - 1):
        for q in range(ow + kw - 1):
            d.update(p=p, q=q)
            src = d.sources(p, q)
            assert src == delta_sources(p, q, d.w.shape, d.delta.shape)
            # the weight copy (x, y) lays on (p, q) is rot180(w) shifted by (p, q)
            for x, y, i, j in src:
                assert d.w[i, j] == r[kh - 1 - p + x, kw - 1 - q + y]
            assert sum(d.delta[x, y] * d.w[i, j] for x, y, i, j in src) == \
                d.result[p, q]
            assert f"covered by {len(src)} " in d.alt
    # at the centre the deltas, in their order, meet rot180(w) read row by row
    centre = [d.w[i, j] for *_, i, j in sorted(d.sources(2, 2))]
    assert centre == list(r.ravel())


def test_weight_gradient_is_valid_correlation_of_activations_with_deltas():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(6, 5))
    delta = rng.normal(size=(4, 3))
    _, dw = _conv_grads(a, np.zeros((3, 3)), delta)
    assert np.allclose(weight_gradient(a, delta), dw)
    pairs = weight_gradient_pairs(1, 2, a.shape, delta.shape)
    assert len(pairs) == 12 and pairs[0] == ((1, 2), (0, 0))


def test_weight_gradient_pairs_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"\(i, j\)"):
        weight_gradient_pairs(3, 0, (5, 5), (3, 3))
    with pytest.raises(ValueError, match="delta_shape"):
        weight_gradient_pairs(0, 0, (2, 2), (3, 3))


@pytest.mark.parametrize("cls", DRAWINGS)
def test_drawing_update_changes_pixels_in_place(cls):
    d = cls()
    n_artists = sum(len(ax.get_children()) for ax in d.fig.axes)
    frames = d.frames()
    d.update(**frames[0])
    before = d.render_array()
    d.update(**frames[-1])
    after = d.render_array()
    assert before.shape == after.shape
    assert np.any(before != after)
    assert sum(len(ax.get_children()) for ax in d.fig.axes) == n_artists
    d.update(**frames[0])
    assert np.array_equal(d.render_array(), before)


@pytest.mark.parametrize("cls", DRAWINGS)
def test_drawing_frames_are_valid_parameter_values(cls):
    d = cls()
    names = {p.name for p in d.params}
    frames = d.frames()
    assert 5 <= len(frames) <= 30
    for f in frames:
        assert set(f) == names
        for p in d.params:
            p.check(f[p.name])
    assert d.alt and len(d.alt) > 60


@pytest.mark.parametrize("cls", DRAWINGS)
def test_animation_is_self_contained(cls):
    d = cls()
    html = animation(d, dpi=50).html
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64") >= len(d.frames())
    assert 'alt="' in html


def test_frozen_background_renders_again_at_a_new_dpi():
    fig = new_figure(2.0, 1.0, dpi=50)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.text(0.5, 0.5, "static")
    moving = ax.text(0.1, 0.1, "moving")
    bg = FrozenBackground(fig, [moving])
    bg.ensure()
    assert bg.image.pixels.shape[:2] == (50, 100)
    fig.set_dpi(80)
    bg.ensure()
    assert bg.image.pixels.shape[:2] == (80, 160)
    assert moving.get_visible()


def test_outlines_and_cover_check_their_input():
    fig = new_figure(2.0, 2.0)
    ax = fig.add_axes((0, 0, 1, 1))
    with pytest.raises(ValueError, match="at most 2"):
        Outlines(ax, 2, "red").show([(0, 0)] * 3)
    with pytest.raises(ValueError, match="mask"):
        CellCover(ax, (2, 2)).cover(np.zeros((3, 3), dtype=bool))


def test_training_figures_have_one_panel_per_item():
    history = {"loss": [1.0, 0.5], "train_acc": [0.5, 0.9], "test_acc": [0.4, 0.8]}
    assert len(plot_learning_curve(history).axes) == 2
    w = np.random.default_rng(3).normal(size=(16, 1, 3, 3))
    fig = plot_kernels(w)
    assert sum(ax.get_visible() for ax in fig.axes) == 16
    x = np.zeros((5, 1, 8, 8))
    labels = np.array([0, 1, 2, 3, 4])
    fig = plot_misclassified(x, labels, np.array([0, 2, 2, 1, 4]))
    assert len(fig.axes) == 2
    assert len(plot_digits(x, labels, n=3).axes) == 3
    empty = plot_misclassified(x, labels, labels)
    assert "no mistakes" in empty.axes[0].texts[0].get_text()


def test_training_figures_reject_bad_input():
    with pytest.raises(ValueError, match="history"):
        plot_learning_curve({"loss": [1.0]})
    with pytest.raises(ValueError, match="w: expected shape"):
        plot_kernels(np.zeros((4, 2, 3, 3)))
    with pytest.raises(ValueError, match="labels"):
        plot_misclassified(np.zeros((3, 1, 8, 8)), np.zeros(2, int), np.zeros(3, int))
    with pytest.raises(ValueError, match="labels"):
        plot_digits(np.zeros((3, 1, 8, 8)), np.zeros(2, int))


def test_transpose_of_dense_matrix_lists_the_kernel_reversed():
    from cnnlib.rules import dense_weight_labels
    from cnnlib.viz.deltas import plot_dense_transpose

    labels = dense_weight_labels((2, 2), (3, 3))
    assert labels.shape == (4, 9)
    assert list(labels.T[4]) == ["w11", "w10", "w01", "w00"]
    # every output row holds each weight exactly once
    assert all(sorted(r[r != ""]) == ["w00", "w01", "w10", "w11"] for r in labels)
    assert len(plot_dense_transpose().axes) == 2
