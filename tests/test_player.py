"""The static player's HTML (cnnlib.animate) and its frame encoding
(cnnlib.viz.encode): the controls are the live panel's, every combination has
its frame and its description, and the stored frames rebuild the drawing's
pixels at two image pixels per CSS pixel."""

from __future__ import annotations

import html.parser
import io
import re

import numpy as np
import pytest

pytest.importorskip("matplotlib")
PIL = pytest.importorskip("PIL")

from playerdata import compose, data_of, decode, description, layers  # noqa: E402

from cnnlib.animate import animation, player_data  # noqa: E402
from cnnlib.viz import Drawing, GridArtist, Param, image, new_figure, png  # noqa: E402
from cnnlib.viz.encode import (  # noqa: E402
    SCALE,
    FrameSet,
    compact_png,
    encode_image,
    figure_text_points,
    render_rgb,
)


class Pick(Drawing):
    """A 3x4 grid with one outlined cell, and a title chosen by an option."""

    alt = "A 3 by 4 grid of numbers with one cell outlined."

    def __init__(self, dpi=40):
        self.params = (Param("row", "Row r", 0, 2),
                       Param("mode", "Mode", options=(("Plain", "plain"),
                                                      ("Loud", "loud"),
                                                      ("Same", "same")),
                             default="loud"),
                       Param("col", "Column c", 0, 3, step=3))
        self.fig = new_figure(2.0, 1.6, dpi=dpi)
        ax = self.fig.add_subplot()
        self.grid = GridArtist(ax, np.arange(12.0).reshape(3, 4), title="grid")
        self.update(**self.defaults())

    def _update(self, row, mode, col):
        mask = np.zeros((3, 4), dtype=bool)
        mask[row, col] = True
        self.grid.set_highlight(mask)
        # "same" draws exactly what "plain" draws: a duplicate frame
        self.grid.set_title("LOUD" if mode == "loud" else "plain")


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _tags(markup: str, tag: str, **attrs) -> list[dict]:
    p = _Tags()
    p.feed(markup)
    return [a for t, a in p.tags if t == tag and all(a.get(k) == v
                                                     for k, v in attrs.items())]


@pytest.fixture(scope="module")
def pick_player():
    d = Pick()
    return d, animation(d, interval=300, caption="A grid & a cell")


def test_one_slider_per_integer_param_with_its_label_range_and_step(pick_player):
    d, anim = pick_player
    sliders = _tags(anim.html, "input", type="range")
    assert [(s["data-param"], s["min"], s["max"], s["step"], s["value"])
            for s in sliders] == [("row", "0", "2", "1", "0"),
                                  ("col", "0", "3", "3", "0")]
    labels = re.findall(r'<label for="([^"]+)">([^<]+)</label>', anim.html)
    assert [text for _, text in labels] == ["Row r", "Column c"]
    assert [i for i, _ in labels] == [s["id"] for s in sliders]


def test_one_radio_group_per_option_param_with_the_default_checked(pick_player):
    _, anim = pick_player
    groups = _tags(anim.html, "fieldset", role="radiogroup")
    assert [g["data-param"] for g in groups] == ["mode"]
    assert "<legend>Mode</legend>" in anim.html
    radios = _tags(anim.html, "input", type="radio")
    assert len(radios) == 3 and len({r["name"] for r in radios}) == 1
    assert ["checked" in r for r in radios] == [False, True, False]
    assert re.findall(r'type="radio"[^>]*>([^<]+)</label>', anim.html) == [
        "Plain", "Loud", "Same"]


def test_a_play_button_a_live_status_line_and_a_caption(pick_player):
    d, anim = pick_player
    assert len(_tags(anim.html, "button", type="button")) == 1
    assert ">Play</span></button>" in anim.html
    status = _tags(anim.html, "p", **{"aria-live": "polite"})
    assert len(status) == 1
    first = d.describe(d.defaults())
    assert first.endswith("Shown: Row r = 0, Mode = Loud, Column c = 0.")
    assert f'alt="{first}"' in anim.html
    assert "<figcaption>A grid &amp; a cell</figcaption>" in anim.html


def test_nothing_is_loaded_from_another_server(pick_player):
    _, anim = pick_player
    assert not re.search(r"https?://|//cdn|<link|src=\"(?!data:)", anim.html)


def test_every_combination_has_its_frame_and_description(pick_player):
    d, anim = pick_player
    data = data_of(anim.html)
    combos = d.combinations()
    assert data["sizes"] == [3, 3, 2] and len(data["combo"]) == len(combos) == 18
    for i, state in enumerate(combos):
        assert description(data, i) == d.describe(state)
    assert len(set(data["parts"])) == len(data["parts"])   # each piece once
    # the combination index is mixed-radix, the last parameter fastest
    assert combos[7] == {"row": 1, "mode": "plain", "col": 3}


def test_stored_frames_rebuild_every_combination_at_twice_the_css_size():
    d = Pick(dpi=30)
    data, fs = player_data(d, d.frames(), css_dpi=30, interval=100)
    w_css, h_css = d.fig.get_size_inches() * 30
    assert (fs.width, fs.height) == (round(SCALE * w_css), round(SCALE * h_css))
    with d.at_dpi(SCALE * 30):
        for i, state in enumerate(d.combinations()):
            d.update(**state)
            want = render_rgb(d.fig).astype(np.float64)
            got = compose(data, data["combo"][i])
            # lossless but for images of more than 256 colours, whose blended
            # edge pixels move to the nearest of 128 colours
            err = np.abs(got - want).max(axis=2)
            assert np.mean(err) < 0.5, state
            assert np.mean(err == 0) > 0.95, state
            assert np.percentile(err, 99.5) <= 32, state


def test_patches_stay_opaque_round_every_change():
    """A browser scaling a patch blends neighbouring pixels; a margin of
    opaque pixels round each change keeps the background from showing."""
    from cnnlib.viz.encode import OPAQUE_MARGIN

    bg = np.full((64, 64, 3), 255, np.uint8)
    frame = bg.copy()
    frame[30, 30] = (0, 0, 0)
    fs = FrameSet()
    fs.add(bg)
    (img, x, y, w, h), = fs.frames[fs.add(frame)]
    alpha = decode(fs.images[img])[..., 3]
    r, c = 30 - y, 30 - x
    m = OPAQUE_MARGIN
    assert np.all(alpha[r - m:r + m + 1, c - m:c + m + 1] == 255)
    assert alpha.min() == 0   # far from the change the background shows


def _scene(setting: int, cell: int) -> np.ndarray:
    """A 64x64 frame: a big block that depends on ``setting`` (as a layer's
    setting redraws most of the explorer) and a small mark on ``cell``."""
    img = np.full((64, 64, 3), 255, np.uint8)
    img[8:56, 8:56] = (40 * setting, 120, 200 - 40 * setting)
    img[4 * cell:4 * cell + 3, 60:63] = (0, 0, 0)
    return img


def test_a_frame_of_a_group_is_patched_over_its_key_frame():
    fs = FrameSet()
    fs.add(_scene(0, 0))
    key = fs.add(_scene(1, 0), group=1)
    others = [fs.add(_scene(1, c), group=1) for c in (1, 2, 3)]
    assert fs.bases[0] == fs.bases[key] == -1
    assert all(fs.bases[f] == key for f in others)
    # a mark on the key frame costs a patch of the mark's size, not of the block
    for f in others:
        (_, _, _, w, h), = fs.frames[f]
        assert w * h <= 32 * 32
        assert layers({"frames": fs.frames, "bases": fs.bases}, f) == (
            fs.frames[key] + fs.frames[f]) == fs.layers(f)
    data = {"images": fs.images, "frames": fs.frames, "bases": fs.bases}
    for f, c in zip(others, (1, 2, 3), strict=True):
        assert np.array_equal(compose(data, f), _scene(1, c))
    # the same frames without a group: each repeats the block over the background
    flat = FrameSet()
    flat.add(_scene(0, 0))
    for c in range(4):
        flat.add(_scene(1, c))
    assert fs.n_bytes < flat.n_bytes


def test_the_background_can_be_a_groups_key_frame_and_frames_are_shared():
    fs = FrameSet()
    assert fs.add(_scene(0, 0), group="a") == 0
    f = fs.add(_scene(0, 1), group="a")
    assert fs.bases[f] == 0 and fs.layers(f) == fs.frames[f]
    # an equal frame added in another group is stored once, and becomes that
    # group's key frame
    assert fs.add(_scene(0, 1), group="b") == f
    g = fs.add(_scene(0, 2), group="b")
    assert fs.bases[g] == f
    data = {"images": fs.images, "frames": fs.frames, "bases": fs.bases}
    assert np.array_equal(compose(data, g), _scene(0, 2))
    with pytest.raises(TypeError, match="group: expected a hashable value"):
        fs.add(_scene(0, 3), group=[1])


def _sprite(shade: int) -> np.ndarray:
    """A 6x6 RGBA ring with a half-transparent edge, like an anti-aliased mark."""
    rgba = np.zeros((6, 6, 4), np.uint8)
    rgba[..., :3] = (shade, 60, 30)
    rgba[..., 3] = 255
    rgba[1:5, 1:5, 3] = 0
    rgba[0, :, 3] = 128
    rgba[rgba[..., 3] == 0] = 0
    return rgba


def _over(scene: np.ndarray, sprites) -> np.ndarray:
    out = scene.astype(np.float64)
    for rgba, x, y in sprites:
        h, w = rgba.shape[:2]
        a = rgba[..., 3:] / 255
        out[y:y + h, x:x + w] = a * rgba[..., :3] + (1 - a) * out[y:y + h, x:x + w]
    return out


def test_frames_in_layers_share_their_scene_and_each_sprite_wherever_it_lies():
    fs = FrameSet()
    first = [(_sprite(200), 2, 2)]
    assert fs.add_layers(_scene(0, 0), first) == 1 and fs.bases[1] == 0
    placed = [[(_sprite(200), x, y), (_sprite(90), 50, 50)]
              for x, y in ((2, 2), (20, 8), (40, 30))]
    frames = [fs.add_layers(_scene(1, 0), s) for s in placed]
    scene = fs.bases[frames[0]]
    assert all(fs.bases[f] == scene for f in frames) and fs.bases[scene] == -1
    # two sprites, stored once each however often and wherever they are shown
    sprite_images = {p[0] for f in [1, *frames] for p in fs.frames[f]}
    assert len(sprite_images) == 2
    assert fs.add_layers(_scene(1, 0), placed[1]) == frames[1]
    assert fs.add_layers(_scene(1, 0), []) == scene
    data = {"images": fs.images, "frames": fs.frames, "bases": fs.bases}
    for f, s in zip(frames, placed, strict=True):
        assert np.abs(compose(data, f) - _over(_scene(1, 0), s)).max() <= 1
    with pytest.raises(ValueError, match=r"sprites\[0\]: a 6x6 image at \(60, 0\)"):
        fs.add_layers(_scene(1, 0), [(_sprite(1), 60, 0)])
    with pytest.raises(ValueError, match=r"sprites\[0\]: expected an \(h, w, 4\)"):
        fs.add_layers(_scene(1, 0), [(np.zeros((2, 2, 3), np.uint8), 0, 0)])
    with pytest.raises(TypeError, match="sprites: expected a list"):
        fs.add_layers(_scene(1, 0), "sprites")


def test_player_groups_frames_by_their_options():
    d = Pick(dpi=20)
    data, fs = player_data(d, d.frames(), css_dpi=20, interval=100)
    combos = d.combinations()
    key = {}
    for i, state in enumerate(combos):
        f = data["combo"][i]
        root = f if data["bases"][f] < 0 else data["bases"][f]
        assert key.setdefault(state["mode"], root) == root, state
    # "same" draws what "plain" draws, so both have one key frame
    assert key["plain"] == key["same"] != key["loud"]


def test_equal_frames_are_stored_once_and_different_ones_apart(pick_player):
    d, anim = pick_player
    data = data_of(anim.html)
    combos = d.combinations()
    frame = {tuple(c.values()): data["combo"][i] for i, c in enumerate(combos)}
    assert frame[0, "plain", 0] == frame[0, "same", 0]
    assert frame[0, "plain", 0] != frame[0, "loud", 0] != frame[1, "loud", 0]
    assert len(data["frames"]) == 12   # 18 combinations, 6 of them repeats
    assert data["frames"][data["combo"][combos.index(d.defaults())]] == []


def test_play_steps_through_the_drawings_frames_in_order():
    d = Pick()
    order = [{"row": 2, "col": 3}, {"row": 0, "mode": "plain"}]
    data, _ = player_data(d, order, css_dpi=20, interval=100)
    combos = d.combinations()
    assert [combos[i] for i in data["play"]] == [
        {"row": 2, "mode": "loud", "col": 3}, {"row": 0, "mode": "plain", "col": 0}]


def test_reach_frames_stores_only_the_given_states_behind_one_step_slider():
    d = Pick(dpi=20)
    tour = [{"row": 2, "col": 3}, {"row": 1, "mode": "plain"}, {"row": 0}]
    anim = animation(d, tour, reach="frames")
    assert (anim.n_frames, anim.n_combinations) == (3, 3)
    sliders = _tags(anim.html, "input", type="range")
    assert [(s["min"], s["max"], s["value"]) for s in sliders] == [("0", "2", "0")]
    assert not _tags(anim.html, "fieldset")
    data = data_of(anim.html)
    assert data["sizes"] == [3] and data["play"] == [0, 1, 2]
    states = [{**d.defaults(), **t} for t in tour]
    for i, state in enumerate(states):
        assert description(data, i) == d.describe(state)
    assert data["frames"][data["combo"][0]] == []   # the first state is the background
    with d.at_dpi(SCALE * 20):
        for i, state in enumerate(states):
            d.update(**state)
            got = compose(data, data["combo"][i])
            assert np.mean(np.abs(got - render_rgb(d.fig))) < 1, state
    first = d.describe(states[0])
    assert f'<p class="cnnlib-player-status" aria-live="polite">{first}</p>' in anim.html


def test_in_browser_python_gives_a_note_and_renders_no_frame(monkeypatch):
    # the live chapter runs in Pyodide, where sys.platform is "emscripten"
    monkeypatch.setattr("sys.platform", "emscripten")
    d = Pick()
    rendered = []
    monkeypatch.setattr("cnnlib.animate.player_data",
                        lambda *a, **k: rendered.append(1))
    anim = animation(d, caption="A grid & a cell")
    assert "<img" not in anim.html and not rendered
    assert (anim.n_frames, anim.n_combinations) == (len(d.frames()), 3 * 3 * 2)
    assert "player of 18 precomputed frames" in anim.html
    assert "<figcaption>A grid &amp; a cell</figcaption>" in anim.html
    tour = [{"row": 1}, {"row": 2}]
    assert "player of 2 precomputed" in animation(d, tour, reach="frames").html
    with pytest.raises(ValueError, match="reach"):
        animation(d, reach="some")


def test_the_player_leaves_the_drawing_as_it_was():
    d = Pick()
    d.update(row=2, mode="plain")
    before = d.render_array()
    animation(d, dpi=20)
    assert d.state == {"row": 2, "mode": "plain", "col": 0}
    assert d.fig.dpi == 40
    assert np.array_equal(d.render_array(), before)


def test_narrow_screens_keep_figure_text_at_least_9_px(pick_player):
    d, anim = pick_player
    m = re.search(r'data-text-px="([\d.]+)" data-width="([\d.]+)"', anim.html)
    text_px, width = float(m.group(1)), float(m.group(2))
    assert text_px == pytest.approx(min(figure_text_points(d.fig)) * 40 / 72, abs=0.01)
    assert width == pytest.approx(2.0 * 40)
    min_width = float(re.search(r'style="width:[\d.]+px;min-width:(\d+)px"',
                                anim.html).group(1))
    assert text_px * min_width / width == pytest.approx(9, abs=0.1)


def test_text_sizes_of_path_text_are_recorded():
    d = Pick()
    sizes = figure_text_points(d.fig)
    assert 9.0 in sizes and 10.0 in sizes   # GridArtist cells and title


def test_encode_image_is_lossless_for_few_colours_and_picks_the_shorter():
    rng = np.random.default_rng(0)
    palette = rng.integers(0, 256, size=(5, 3), dtype=np.uint8)
    img = palette[rng.integers(0, 5, size=(40, 60))]
    url = encode_image(img)
    assert np.array_equal(decode(url)[..., :3], img)
    rgba = np.concatenate([img, np.full((40, 60, 1), 255, np.uint8)], axis=2)
    rgba[:10] = 0
    assert np.array_equal(decode(encode_image(rgba)), rgba)


def test_many_colours_are_reduced_but_transparency_is_kept_exactly():
    rng = np.random.default_rng(1)
    img = rng.integers(0, 256, size=(64, 64, 4), dtype=np.uint8)
    img[..., 3] = np.where(rng.random((64, 64)) < 0.5, 255, 0)
    img[img[..., 3] == 0] = 0
    out = decode(encode_image(img))
    assert np.array_equal(out[..., 3], img[..., 3])  # no opaque pixel fades
    shown = img[..., 3] == 255
    assert len(np.unique(out[shown][:, :3], axis=0)) <= 128
    assert np.mean(np.abs(out[shown][:, :3] - img[shown][:, :3])) < 40


@pytest.mark.parametrize("bad", [np.zeros((4, 4)), np.zeros((4, 4, 2), np.uint8),
                                 np.zeros((4, 4, 3), np.float64)])
def test_encode_image_rejects_what_is_not_an_rgb_or_rgba_byte_image(bad):
    with pytest.raises(ValueError, match=r"img: expected an \(H, W, 3\) or"):
        encode_image(bad)


def test_frame_set_rejects_a_frame_of_another_size():
    fs = FrameSet()
    fs.add(np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(ValueError, match=r"rgb: expected shape \(8, 8, 3\)"):
        fs.add(np.zeros((8, 9, 3), np.uint8))


def test_static_figures_are_stored_at_twice_the_width_they_are_shown():
    fig = new_figure(3.0, 2.0, dpi=50)
    fig.add_subplot().plot([0, 1], [1, 0])
    shown = image(fig)
    assert shown.width == 150
    from PIL import Image

    with Image.open(io.BytesIO(shown.data)) as im:
        assert im.size == (300, 200)
    assert len(shown.data) <= len(png(fig, dpi=100))
    with pytest.raises(TypeError, match="fig: expected a matplotlib Figure"):
        image("not a figure")
    with pytest.raises(ValueError, match=r"dpi: expected a value in \[1.0, 600.0\]"):
        image(fig, dpi=-1)


def test_compact_png_keeps_every_pixel():
    from PIL import Image

    fig = new_figure(2.0, 1.0, dpi=60)
    fig.add_subplot().imshow(np.arange(12.0).reshape(3, 4))
    data = png(fig)
    small = compact_png(data)
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(small)) as b:
        assert np.array_equal(np.asarray(a.convert("RGBA")),
                              np.asarray(b.convert("RGBA")))


def test_render_png_at_another_dpi_redraws_a_frozen_background():
    """A drawing with a frozen background, rendered at twice its dpi, is the
    same picture (down-sampled) as at its own: the background is not left at
    the old resolution."""
    from PIL import Image

    from cnnlib.viz import WeightGradient

    d = WeightGradient(dpi=40)
    d.update(i=1, j=2)
    one = np.asarray(Image.open(io.BytesIO(d.render_png())).convert("L"), float)
    two = Image.open(io.BytesIO(d.render_png(dpi=80))).convert("L")
    assert two.size == (2 * one.shape[1], 2 * one.shape[0])
    down = np.asarray(two.resize((one.shape[1], one.shape[0]), Image.BOX), float)
    assert np.mean(np.abs(down - one)) < 8
    assert d.fig.dpi == 40 and d.state == {"i": 1, "j": 2}
