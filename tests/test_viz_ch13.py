"""Drawings of chapters 1-3: updates change the picture, frames are valid,
animations are self-contained, and the numbers they show are the library's."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from cnnlib import (  # noqa: E402
    MLP,
    conv2d_as_dense,
    correlate2d,
    sigmoid_prime,
    tiny_example,
)
from cnnlib.animate import animation  # noqa: E402
from cnnlib.rules import (  # noqa: E402  # noqa: E402
    STAGES,
    delta_terms,  # noqa: E402
    kernel_index_matrix,
    mode_padding,
    stage_matrix,
    window_origin,
)
from cnnlib.viz import png  # noqa: E402
from cnnlib.viz.core.style import new_figure  # noqa: E402
from cnnlib.viz.core.text import PathText, TextGrid, text_path  # noqa: E402
from cnnlib.viz.mlp import (  # noqa: E402
    MLPDeltaDrawing,
    delta_equation,
    network_figure,
)
from cnnlib.viz.sharing import (  # noqa: E402
    WeightSharingDrawing,
    sharing_networks_figure,
)
from cnnlib.viz.sliding import SlidingWindowDrawing, modes_figure  # noqa: E402


def _drawings():
    net, x, y = tiny_example()
    a = np.arange(16.0).reshape(4, 4) % 5
    k = np.array([[1.0, -1.0], [2.0, 0.5]])
    return {
        "mlp": lambda: MLPDeltaDrawing(net, x, y, dpi=40),
        "sharing": lambda: WeightSharingDrawing(a, k, dpi=40),
        "sliding-valid": lambda: SlidingWindowDrawing(a, np.ones((3, 3)), dpi=40),
        "sliding-full-conv": lambda: SlidingWindowDrawing(
            a[:3, :3], k, mode="full", op="convolve", dpi=40),
    }


DRAWINGS = _drawings()


@pytest.fixture(params=sorted(DRAWINGS))
def drawing(request):
    return DRAWINGS[request.param]()


def test_every_frame_is_a_valid_parameter_set(drawing):
    frames = drawing.frames()
    assert frames
    names = {p.name for p in drawing.params}
    for frame in frames:
        assert set(frame) == names
        for p in drawing.params:
            p.check(frame[p.name])


def test_update_changes_the_rendered_pixels(drawing):
    frames = drawing.frames()
    drawing.update(**frames[0])
    first = drawing.render_array()
    changed = False
    for frame in frames[1:]:
        drawing.update(**frame)
        if not np.array_equal(drawing.render_array(), first):
            changed = True
            break
    assert changed
    drawing.update(**frames[0])
    np.testing.assert_array_equal(drawing.render_array(), first)


def test_update_keeps_the_same_artists(drawing):
    def count(fig):
        return sum(len(ax.get_children()) for ax in fig.axes) + len(fig.artists)

    before = count(drawing.fig)
    for frame in drawing.frames()[:4]:
        drawing.update(**frame)
    assert count(drawing.fig) == before


def test_animation_is_self_contained_and_has_alt_text(drawing):
    frames = drawing.frames()[:3]
    html = animation(drawing, frames, dpi=20).html
    assert "http://" not in html and "https://" not in html
    assert 'alt="' in html
    assert html.count("data:image/png;base64") >= len(frames) or "frames[" in html


def test_drawing_has_alt_text(drawing):
    assert len(drawing.alt) > 40


# ---- chapter 1 --------------------------------------------------------------


def test_delta_terms_rebuild_the_delta_by_bp2_and_bp1():
    net, x, y = tiny_example()
    bp = net.backprop(x, y)
    for j in range(3):
        t = delta_terms(net, x, y, 1, j)
        assert t["rule"] == "BP2"
        np.testing.assert_allclose(t["weights"], net.weights[2][:, j])
        assert np.isclose(np.sum(t["products"]) * t["sigma_prime"], bp.deltas[1][j])
    for j in range(2):
        t = delta_terms(net, x, y, 2, j)
        assert t["rule"] == "BP1"
        assert np.isclose((t["a"] - t["y"]) * t["sigma_prime"], bp.deltas[2][j])
        assert np.isclose(t["sigma_prime"], sigmoid_prime(bp.zs[2][j]))


def test_delta_equation_writes_the_numbers_of_the_hand_count():
    net, x, y = tiny_example()
    lines = delta_equation(delta_terms(net, x, y, 1, 0))
    assert lines[0].startswith("(BP2)")
    assert "(1\\times(\u22120.101) + (\u22121)\\times0.144)" in lines[1]
    assert lines[2].endswith("= \u22120.0613$")


@pytest.mark.parametrize("l, j", [(0, 0), (3, 0), (1, 3)])
def test_delta_terms_reject_neurons_that_do_not_exist(l, j):
    net, x, y = tiny_example()
    with pytest.raises(ValueError, match="^(l|j):"):
        delta_terms(net, x, y, l, j)


def test_mlp_drawing_options_cover_every_neuron_of_layers_1_to_L():
    net = MLP.random((3, 4, 2, 2), seed=1)
    d = MLPDeltaDrawing(net, np.ones(3), np.zeros(2), dpi=30)
    values = d.params[0].values
    assert values == [(l, j) for l in (1, 2, 3) for j in range(net.sizes[l])]
    assert d.frames()[0] == {"neuron": (3, 0)}


def test_mlp_drawing_rejects_wrong_target_shape():
    net, x, _ = tiny_example()
    with pytest.raises(ValueError, match="y"):
        MLPDeltaDrawing(net, x, np.zeros(3))


def test_network_figure_renders_png():
    net, x, _ = tiny_example()
    data = png(network_figure(net, x), dpi=30)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_rejects_non_figures():
    with pytest.raises(TypeError, match="fig"):
        png("not a figure")


# ---- PathText ---------------------------------------------------------------


def _blank_axes():
    fig = new_figure(2, 1, dpi=50)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    return fig, ax


def test_path_text_draws_and_changes_pixels():
    fig, ax = _blank_axes()
    t = PathText(ax, 1, 0.5, "", size=12)
    fig.canvas.draw()
    empty = np.asarray(fig.canvas.buffer_rgba()).copy()
    t.set_text("0.25")
    fig.canvas.draw()
    drawn = np.asarray(fig.canvas.buffer_rgba()).copy()
    assert not np.array_equal(empty, drawn)
    t.set_visible(False)
    fig.canvas.draw()
    np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), empty)
    assert t.get_text() == "0.25"


def test_path_text_is_centred_on_its_anchor():
    fig, ax = _blank_axes()
    t = PathText(ax, 1, 0.5, "888", size=20, ha="center", va="center")
    fig.canvas.draw()
    box = t.patch.get_window_extent()
    centre = ax.transData.transform((1, 0.5))
    assert abs((box.x0 + box.x1) / 2 - centre[0]) < 1.5
    assert abs((box.y0 + box.y1) / 2 - centre[1]) < 1.5


def test_text_path_is_cached():
    assert text_path("$a^1_0$", 10.0) is text_path("$a^1_0$", 10.0)


@pytest.mark.parametrize("kw", [{"ha": "middle"}, {"va": "up"}, {"coords": "axes"}])
def test_path_text_rejects_bad_options(kw):
    _, ax = _blank_axes()
    with pytest.raises(ValueError):
        PathText(ax, 0, 0, "x", **kw)


# ---- chapter 2 --------------------------------------------------------------


def test_shared_stage_matrix_is_the_convolution_matrix():
    k = np.array([[1.0, -1.0], [2.0, 0.5]])
    a = np.random.default_rng(0).standard_normal((4, 4))
    m = stage_matrix("shared", k)
    np.testing.assert_array_equal(m, conv2d_as_dense(k[None, None], (1, 4, 4)))
    np.testing.assert_allclose((m @ a.ravel()).reshape(3, 3), correlate2d(a, k))


def test_local_stage_keeps_exactly_the_windows_and_dense_has_no_zeros():
    k = np.ones((2, 3))
    idx = kernel_index_matrix((4, 5), (2, 3))
    assert idx.shape == (3 * 3, 20)
    assert (np.count_nonzero(idx >= 0, axis=1) == 6).all()
    dense, local = stage_matrix("dense", k, (4, 5)), stage_matrix("local", k, (4, 5))
    assert np.count_nonzero(dense) == dense.size
    np.testing.assert_array_equal(local != 0, idx >= 0)
    np.testing.assert_array_equal(local[idx >= 0], dense[idx >= 0])


def test_kernel_index_matrix_names_the_tap_of_every_connection():
    k = np.arange(1.0, 7.0).reshape(2, 3)  # distinct values name the taps
    m = conv2d_as_dense(k[None, None], (1, 4, 5))
    idx = kernel_index_matrix((4, 5), (2, 3))
    np.testing.assert_array_equal(np.where(idx >= 0, k.ravel()[idx], 0.0), m)


@pytest.mark.parametrize("bad", [dict(stage="conv"), dict(kernel=np.ones(3)),
                                 dict(in_hw=(1, 1))])
def test_stage_matrix_rejects_bad_arguments(bad):
    args = dict(stage="shared", kernel=np.ones((2, 2)), in_hw=(4, 4)) | bad
    with pytest.raises(ValueError, match="stage|kernel|k_hw"):
        stage_matrix(**args)


def test_sharing_drawing_frames_cover_every_stage_and_every_shared_output():
    d = DRAWINGS["sharing"]()
    frames = d.frames()
    assert {f["stage"] for f in frames} == set(STAGES)
    assert [f["out"] for f in frames if f["stage"] == "shared"] == list(range(9))


def test_sharing_drawing_outputs_are_m_times_a():
    d = DRAWINGS["sharing"]()
    for s in STAGES:
        np.testing.assert_allclose(d.outs[s], d.mats[s] @ d.a.ravel())
    np.testing.assert_allclose(d.outs["shared"].reshape(3, 3),
                               correlate2d(d.a, d.kernel))


def test_sharing_networks_figure_renders():
    assert png(sharing_networks_figure(dpi=30))[:4] == b"\x89PNG"


def test_text_grid_sets_all_strings_at_once():
    fig, ax = _blank_axes()
    g = TextGrid(ax, [(0.5, 0.5), (1.5, 0.5)], size=12)
    fig.canvas.draw()
    empty = np.asarray(fig.canvas.buffer_rgba()).copy()
    g.set_texts(["1", "2"])
    fig.canvas.draw()
    assert not np.array_equal(np.asarray(fig.canvas.buffer_rgba()), empty)
    assert g.get_texts() == ["1", "2"]
    with pytest.raises(ValueError, match="texts: expected 2"):
        g.set_texts(["1"])


# ---- chapter 3 --------------------------------------------------------------

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


@pytest.mark.parametrize("k_len", [1, 2, 3, 4])
def test_mode_padding_gives_the_output_sizes_of_each_mode(k_len):
    h = 6
    for op in ("correlate", "convolve"):
        sizes = {m: h + sum(mode_padding(k_len, m, op)) - k_len + 1
                 for m in ("valid", "same", "full")}
        assert sizes == {"valid": h - k_len + 1, "same": h, "full": h + k_len - 1}
    assert window_origin(0, 0, (k_len, k_len), "full") == (1 - k_len, 1 - k_len)


@pytest.mark.parametrize("bad", [dict(mode="half"), dict(op="xcorr")])
def test_sliding_drawing_rejects_unknown_mode_or_op(bad):
    with pytest.raises(ValueError, match="mode|op"):
        SlidingWindowDrawing(np.ones((3, 3)), np.ones((2, 2)), **bad)


def test_modes_figure_renders():
    assert png(modes_figure(dpi=30))[:4] == b"\x89PNG"
