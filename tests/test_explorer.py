"""The forward/backward explorer of chapter 7: its index counting (cnnlib.rules)
and every frame of LayerExplorer checked against conv2d_forward and
conv2d_backward, for every stride, padding and dilation it offers."""

import itertools
import json
import re

import numpy as np
import pytest
from playerdata import compose, data_of, description, layers

from cnnlib import (
    conv2d_backward,
    conv2d_forward,
    conv2d_output_shape,
    correlate2d,
    rot180,
)
from cnnlib.rules import (
    dilate_kernel,
    input_routes,
    leftover,
    read_mask,
    rotated_kernel_view,
    window_taps,
)

#: CSS dpi of the players built in these tests (small, so they build fast)
DPI = 20
SETTINGS = list(itertools.product((1, 2), (0, 1), (1, 2)))   # stride, padding, dilation


def _layer(x, w, delta=None, **opts):
    """(z, dx) of one channel, from the library."""
    z, cache = conv2d_forward(x[None, None], w[None, None], **opts)
    if delta is None:
        return z[0, 0], None
    return z[0, 0], conv2d_backward(delta[None, None], cache)[0][0, 0]


# ---- cnnlib.rules: the index counting --------------------------------------------

RULE_CASES = list(itertools.product(((6, 6), (7, 5), (9, 8)), ((3, 3), (2, 3)),
                                    (1, 2, 3, (2, 1)), (0, 1, 3, (1, 0)),
                                    (1, 2, (1, 3))))


def _fits(shape, k, s, p, d):
    try:
        conv2d_output_shape(shape, k, s, p, d)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("shape, k, s, p, d",
                         [c for c in RULE_CASES if _fits(*c)][::3])
def test_taps_routes_and_rotated_view_give_the_library_numbers(shape, k, s, p, d):
    rng = np.random.default_rng(sum(shape) + 7 * len(str((k, s, p, d))))
    x, w = rng.normal(size=shape), rng.normal(size=k)
    z, _ = _layer(x, w, stride=s, padding=p, dilation=d)
    delta = rng.normal(size=z.shape)
    _, dx = _layer(x, w, delta, stride=s, padding=p, dilation=d)
    pp = (p, p) if isinstance(p, int) else p
    xp = np.pad(x, ((pp[0], pp[0]), (pp[1], pp[1])))
    for (ox, oy), zv in np.ndenumerate(z):          # forward: the window of z[x, y]
        taps = window_taps(ox, oy, shape, k, s, p, d)
        assert len(taps) == k[0] * k[1]
        assert np.isclose(sum(xp[r + pp[0], t + pp[1]] * w[i, j]
                              for i, j, r, t in taps), zv)
    mask = read_mask(shape, k, s, p, d)
    for (r, t), g in np.ndenumerate(dx):            # backward: routes into a[r, t]
        routes = input_routes(r, t, shape, k, s, p, d)
        assert np.isclose(sum(delta[a, b] * w[i, j] for a, b, i, j in routes), g)
        assert mask[r, t] == bool(routes)
    assert np.all(dx[~mask] == 0)
    grid, where = rotated_kernel_view(delta, shape, k, s, p, d)
    full = correlate2d(grid, rot180(dilate_kernel(w, d)), "valid")
    assert np.allclose(full, dx)
    # G holds every delta whose window reads some input cell (not padding only)
    reads = [ox * z.shape[1] + oy for ox, oy in np.ndindex(z.shape)
             if any(0 <= r < shape[0] and 0 <= t < shape[1]
                    for _, _, r, t in window_taps(ox, oy, shape, k, s, p, d))]
    assert sorted(where[where >= 0].tolist()) == reads
    assert np.array_equal(grid[where >= 0], delta.ravel()[where[where >= 0]])


def test_unread_rows_are_the_leftover_rows_and_the_gaps_of_a_dilated_stride():
    # s = 2, p = 0, d = 1 on 6 rows: rho = (6 - 3) mod 2 = 1 row at the bottom
    mask = read_mask((6, 6), (3, 3), 2, 0, 1)
    rho = leftover(6, 3, 2, 0, 1)
    assert rho == 1 and not mask[-rho:].any() and not mask[:, -rho:].any()
    assert mask[:-rho, :-rho].all()
    # s = d = 2: every tap lands on an even row, so the odd rows are never read
    mask = read_mask((6, 6), (3, 3), 2, 0, 2)
    assert not mask[1::2].any() and not mask[:, 1::2].any()
    assert read_mask((6, 6), (3, 3), 1, 1, 1).all()


@pytest.mark.parametrize("call, error, fragments", [
    (lambda: window_taps(2, 0, (6, 6), (3, 3), 2), ValueError,
     ["(x, y)", "2x2 output", "(2, 0)"]),
    (lambda: input_routes(0, 6, (6, 6), (3, 3)), ValueError,
     ["(p, q)", "6x6 input", "(0, 6)"]),
    (lambda: rotated_kernel_view(np.zeros((3, 3)), (6, 6), (3, 3)), ValueError,
     ["delta", "(4, 4)", "(3, 3)"]),
    (lambda: rotated_kernel_view("deltas", (6, 6), (3, 3)), TypeError, ["delta"]),
    (lambda: read_mask((4, 4), (3, 3), dilation=2), ValueError, ["(3, 3)", "(4, 4)"]),
    (lambda: read_mask((6, 6), (3, 3), stride=0), ValueError, ["stride"]),
    (lambda: window_taps(0, 0, (6, 6), (3, 3), padding=-1), ValueError,
     ["padding"]),
], ids=["tap cell", "route cell", "view delta shape", "view delta type",
        "kernel too big", "stride 0", "negative padding"])
def test_explorer_rules_reject_bad_input_naming_the_argument(call, error, fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value)


# ---- the drawing -------------------------------------------------------------------

pytest.importorskip("matplotlib")

from cnnlib.animate import animation  # noqa: E402
from cnnlib.viz.core.text import PathText, TextGrid  # noqa: E402
from cnnlib.viz.explorer import (  # noqa: E402
    EXAMPLE_DELTAS,
    EXAMPLE_INPUT,
    LayerExplorer,
)


@pytest.fixture(scope="module")
def explorer():
    return LayerExplorer()


def test_params_offer_every_setting_and_the_cells_of_the_input(explorer):
    p = {q.name: q for q in explorer.params}
    assert list(p) == ["direction", "stride", "padding", "dilation", "row", "col"]
    assert p["direction"].values == ["forward", "backward"]
    assert (p["stride"].values, p["padding"].values, p["dilation"].values) == (
        [1, 2], [0, 1], [1, 2])
    assert p["row"].values == p["col"].values == list(range(6))


def test_frames_list_each_settings_output_cells_forward_and_input_cells_backward(
        explorer):
    frames = explorer.frames()
    expected = 0
    for s, p, d in SETTINGS:
        oh, ow = conv2d_output_shape((6, 6), (3, 3), s, p, d)
        mine = [f for f in frames if (f["stride"], f["padding"], f["dilation"])
                == (s, p, d)]
        fwd = {(f["row"], f["col"]) for f in mine if f["direction"] == "forward"}
        bwd = {(f["row"], f["col"]) for f in mine if f["direction"] == "backward"}
        assert fwd == set(itertools.product(range(oh), range(ow)))
        assert bwd == set(itertools.product(range(6), range(6)))
        expected += oh * ow + 36
    assert len(frames) == expected
    assert len({tuple(sorted(f.items())) for f in frames}) == len(frames)
    for f in frames:
        for q in explorer.params:
            q.check(f[q.name])


#: The written-out sum in a description: "z[1, 1] = 2 × 1 + (-1) × 2 = 0" or
#: "dC/da[2, 3] = 1 × 2 + (-2) × 8 = -14" (no product: "dC/da[5, 5] = 0").
SUM = re.compile(r"(z|dC/da)\[(\d), (\d)\] = ((?:\(?-?[\d.]+\)? × \(?-?[\d.]+\)?"
                 r"(?: \+ )?)*)(?: = )?(-?[\d.]+)\. ")


def written_sums(text: str) -> list[tuple[str, tuple, list, float]]:
    """Every written-out sum in ``text``: (name, cell, products, value)."""
    out = []
    for m in SUM.finditer(text):
        products = [tuple(float(f.strip("()")) for f in term.split(" × "))
                    for term in m.group(4).split(" + ") if term]
        out.append((m.group(1), (int(m.group(2)), int(m.group(3))), products,
                    float(m.group(5))))
    return out


def test_every_frame_shows_the_numbers_of_conv2d_forward_and_conv2d_backward():
    """The picture's numbers and the sum written out in its description (the
    status line of the live panel and of the player) match the library, for
    every frame of every setting."""
    d = LayerExplorer()
    lib = {}
    for s, p, dil in SETTINGS:
        z, _ = _layer(EXAMPLE_INPUT, d.w, stride=s, padding=p, dilation=dil)
        delta = EXAMPLE_DELTAS[:z.shape[0], :z.shape[1]]
        lib[s, p, dil] = (z, delta, _layer(EXAMPLE_INPUT, d.w, delta, stride=s,
                                           padding=p, dilation=dil)[1])
    for f in d.frames():
        d.update(**f)
        z, delta, dx = lib[f["stride"], f["padding"], f["dilation"]]
        shown = d.shown
        cell = (f["row"], f["col"])
        assert shown["cell"] == cell
        products = sum(u * v for u, v in shown["terms"])
        # the description writes the sum out: one sum, of the picked cell
        (name, at, written, value), = written_sums(d.describe())
        assert at == cell and written == shown["terms"]
        assert value == (z if f["direction"] == "forward" else dx)[cell]
        assert np.isclose(sum(u * v for u, v in written), value)
        if f["direction"] == "forward":
            assert name == "z"
            # each product is an input (or a padding zero) times the weight
            # that eq. (ch7-forward) pairs it with
            padded = np.pad(EXAMPLE_INPUT, f["padding"])
            s, dil = f["stride"], f["dilation"]
            assert written == [(padded[s * cell[0] + dil * i, s * cell[1] + dil * j],
                                d.w[i, j]) for i in range(3) for j in range(3)]
            assert shown["value"] == z[cell] and np.isclose(products, z[cell])
            assert np.array_equal(shown["grid_b"], z)
            assert len(shown["terms"]) == 9
            assert sorted(shown["labels"]) == [f"×{k}" for k in range(1, 10)]
        else:
            assert name == "dC/da"
            assert sorted(u for u, _ in written) == sorted(
                delta[x, y] for x, y, _, _ in input_routes(
                    *cell, (6, 6), (3, 3), f["stride"], f["padding"],
                    f["dilation"]))
            assert shown["value"] == dx[cell] and np.isclose(products, dx[cell])
            assert np.array_equal(shown["grid_a"], dx)
            # the numbers drawn on G are exactly the deltas
            drawn = sorted(float(t.replace("\u2212", "-"))
                           for t in shown["texts"][-100:] if t)
            assert sorted(shown["grid_b"][shown["grid_b"] != 0]) == sorted(
                delta.ravel())
            assert len(drawn) >= delta.size
        assert f"{shown['value']:g}" in d.alt


def test_unread_cells_get_zero_gradient_and_are_hatched_and_labelled():
    d = LayerExplorer()
    some = 0
    for s, p, dil in SETTINGS:
        L = d.layer(s, p, dil)
        unread = ~L["read"]
        assert np.all(L["dx"][unread] == 0)
        some += unread.sum()
        for direction in ("forward", "backward"):
            scene = d._scene(direction, s, p, dil)
            hatched = {(int(r - 1), int(t - 1)) for t, r in scene["faces"]["unread"]}
            assert hatched == set(zip(*np.nonzero(unread), strict=True))
            assert ("never read" in scene["info"][1]) == bool(unread.any())
        for r, t in zip(*np.nonzero(unread), strict=True):
            d.update(direction="backward", stride=s, padding=p, dilation=dil,
                     row=int(r), col=int(t))
            assert d.shown["value"] == 0 and d.shown["terms"] == []
            assert "No window reads" in d.alt
    assert some > 0
    assert d.faces["unread"].get_hatch() == "///"


def test_alt_text_differs_per_frame_and_names_the_setting_and_the_cell(explorer):
    alts = {}
    for f in explorer.frames():
        alt = explorer.alt_of(f)
        assert (f"stride {f['stride']}, padding {f['padding']} and dilation "
                f"{f['dilation']}") in alt
        name = "z" if f["direction"] == "forward" else "a"
        assert f"{name}[{f['row']}, {f['col']}]" in alt
        alts[alt] = f
    assert len(alts) == len(explorer.frames())
    explorer.update(**explorer.frames()[5])
    assert explorer.alt == explorer.alt_of(explorer.frames()[5])


def test_a_cell_beyond_a_small_output_shows_the_nearest_and_says_so(explorer):
    explorer.update(direction="forward", stride=2, padding=0, dilation=1, row=5,
                    col=0)
    assert explorer.shown["cell"] == (1, 0)
    assert "beyond the output" in explorer.alt


def test_update_changes_the_image_in_place_and_the_cache_draws_the_same(explorer):
    n_artists = len(explorer.ax.get_children())
    frames = explorer.frames()
    images = []
    for f in (frames[0], frames[1], frames[40], frames[-1]):
        explorer.update(**f)
        images.append(explorer.render_array())
    for a, b in itertools.combinations(images, 2):
        assert a.shape == b.shape and np.any(a != b)
    explorer.update(**frames[0])      # its scene again, from the cache
    assert np.array_equal(explorer.render_array(), images[0])
    fresh = LayerExplorer()
    fresh.update(**frames[-1])
    assert np.array_equal(fresh.render_array(), images[-1])
    assert len(explorer.ax.get_children()) == n_artists


def test_figure_text_is_at_least_11_px_at_the_default_dpi(explorer):
    sizes = []

    def walk(obj, depth=0):
        if isinstance(obj, (PathText, TextGrid)):
            sizes.append(obj.size)
        elif isinstance(obj, (list, tuple)) and depth < 2:
            for item in obj:
                walk(item, depth + 1)
        elif isinstance(obj, dict) and depth < 2:
            for item in obj.values():
                walk(item, depth + 1)

    for value in vars(explorer).values():
        walk(value)
    assert len(sizes) >= 9
    assert min(sizes) * explorer.fig.dpi / 72 >= 11
    assert not explorer.ax.texts        # no text drawn outside PathText/TextGrid


@pytest.mark.parametrize("kwargs, error, fragments", [
    ({"a": np.zeros((5, 5))}, ValueError, ["a", "(6, 6)", "(5, 5)"]),
    ({"w": np.zeros((2, 3))}, ValueError, ["w", "(3, 3)", "(2, 3)"]),
    ({"deltas": np.zeros(6)}, ValueError, ["deltas", "(6, 6)", "(6,)"]),
    ({"a": "input"}, TypeError, ["a", "str"]),
])
def test_bad_arrays_are_refused_naming_the_argument(kwargs, error, fragments):
    with pytest.raises(error) as info:
        LayerExplorer(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("values, fragments", [
    ({"stride": 3}, ["stride", "3", "[1, 2]"]),
    ({"dilation": 0}, ["dilation", "0"]),
    ({"row": 6}, ["row", "6", "0..5"]),
    ({"direction": "sideways"}, ["direction", "sideways"]),
])
def test_bad_control_values_are_refused_naming_the_control(explorer, values,
                                                            fragments):
    with pytest.raises(ValueError) as info:
        explorer.update(**values)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.fixture(scope="module")
def tiny_player(explorer):
    """The explorer's player with every combination, at 20 CSS dpi."""
    return animation(explorer, explorer.frames()[:3], dpi=DPI).html


def test_animation_is_self_contained_with_the_alt_text(explorer, tiny_player):
    html = tiny_player
    assert "http://" not in html and "https://" not in html
    assert re.search(r'<img src="data:image/(png|webp);base64,', html)
    assert 'alt="One convolution layer' in html
    # the controls reach every combination, each with the words of its state
    data = data_of(html)
    combos = explorer.combinations()
    assert len(data["combo"]) == len(combos) == 2 ** 4 * 6 * 6
    for i in (0, 100, len(combos) - 1):
        assert description(data, i) == explorer.describe(combos[i])
        assert explorer.describe(combos[i]).startswith(explorer.alt_of(combos[i]))
    # the 576 descriptions share most clauses, which are stored once
    words = sum(len(explorer.describe(c)) for c in combos)
    stored = len(json.dumps([data["prefix"], data["parts"], data["text"]],
                            separators=(",", ":")))
    assert stored < words / 4


def test_live_panel_has_option_buttons_and_sliders_and_a_status_per_state():
    pytest.importorskip("ipywidgets")
    from cnnlib.widgets import interactive

    panel = interactive(LayerExplorer())
    kinds = {name: type(c).__name__ for name, c in panel.controls.items()}
    assert kinds == {"direction": "ToggleButtons", "stride": "ToggleButtons",
                     "padding": "ToggleButtons", "dilation": "ToggleButtons",
                     "row": "IntSlider", "col": "IntSlider"}
    first, status = panel.image.value, panel.children[2].value
    panel.controls["direction"].value = "backward"
    assert panel.image.value != first
    assert "Backward" in panel.children[2].value and "Backward" not in status
    panel.controls["dilation"].value = 2
    assert "dilation 2" in panel.children[2].value


def test_every_combination_is_rebuilt_from_its_key_frame_and_patches(
        explorer, tiny_player, record_property):
    """The stored frames show, for each of the 576 combinations, what the
    explorer draws; a frame's patches lie on the key frame of its setting
    (direction, stride, padding, dilation), not on the background."""
    from cnnlib.viz.encode import SCALE, render_rgb

    data = data_of(tiny_player)
    combos = explorer.combinations()
    n_bytes = sum(len(u) for u in data["images"])
    record_property("explorer_image_bytes_at_20_dpi", n_bytes)
    print(f"explorer player at {DPI} CSS dpi: {len(tiny_player)} characters, "
          f"{n_bytes} in {len(data['images'])} images, {len(data['frames'])} frames")
    keys = {}
    before = explorer.state
    try:
        with explorer.at_dpi(SCALE * DPI):
            for i, state in enumerate(combos):
                explorer.update(**state)
                want = render_rgb(explorer.fig).astype(np.float64)
                frame = data["combo"][i]
                err = np.abs(compose(data, frame) - want).max(axis=2)
                # exact but for images of more than 256 colours, whose blended
                # edge pixels move to the nearest of 128 colours (at this small
                # dpi most of the figure is such edges): never by much, while a
                # missing or misplaced mark or number is off by far more than 64
                assert np.mean(err) < 1.0 and err.max() <= 64, state
                setting = tuple(state[k] for k in ("direction", "stride",
                                                   "padding", "dilation"))
                base = data["bases"][frame]
                key = frame if base < 0 else base
                assert keys.setdefault(setting, key) == key, state
                assert data["bases"][key] == -1
    finally:
        explorer.update(**before)
    # one key frame per setting, each reached from the background alone
    assert len(set(keys.values())) == 16
    # the picked cell's marks are sprites stored once, wherever they lie: far
    # fewer images than frames (patches cut from each frame took one or more
    # images per frame)
    assert len(data["images"]) < len(data["frames"]) / 4
    assert all(len(layers(data, f)) >= len(data["frames"][f])
               for f in range(len(data["frames"])))
