"""The contract every interactive figure keeps, tested once for all of them.

Every subclass of :class:`cnnlib.viz.Drawing` in ``cnnlib.viz`` is found by
:func:`cnnlib.viz.all_drawings` (checked here against a walk of the package, so
a new figure is covered without being listed) and built by its ``example()``.
The drivers (live sliders, the static player) read nothing else than what is
checked here: ``params``, ``frames()``, ``alt`` and an ``update`` that changes
the picture in place.
"""

import base64
import importlib
import io
import pkgutil
import re
from html import escape

import matplotlib.image as mimage
import numpy as np
import pytest

import cnnlib.viz
from cnnlib.animate import animation
from cnnlib.viz import Drawing, all_drawings, png

#: The shortest alt text that can say what a figure shows (a sentence or two).
MIN_ALT = 60


def _defined_in_viz() -> set[type[Drawing]]:
    """Every Drawing subclass a module of cnnlib.viz defines, found by importing
    each module (independently of :func:`cnnlib.viz.all_drawings`)."""
    for mod in pkgutil.walk_packages(cnnlib.viz.__path__, "cnnlib.viz."):
        importlib.import_module(mod.name)
    found, todo = set(), [Drawing]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("cnnlib.viz."):
                found.add(sub)
    return found


CLASSES = all_drawings()


def test_all_drawings_finds_every_drawing_of_the_package():
    exported = {obj for name in cnnlib.viz.__all__
                if isinstance(obj := getattr(cnnlib.viz, name), type)
                and issubclass(obj, Drawing) and obj is not Drawing}
    assert len(exported) >= 7
    assert exported <= set(CLASSES) == _defined_in_viz()


@pytest.fixture(params=CLASSES, ids=lambda c: c.__name__)
def drawing(request):
    drawing = request.param.example()
    drawing.fig.set_dpi(40)  # small pixels: the contract does not need detail
    return drawing


def test_frames_are_distinct_valid_parameter_sets(drawing):
    frames = drawing.frames()
    assert frames
    names = {p.name for p in drawing.params}
    for frame in frames:
        assert set(frame) == names
        for p in drawing.params:
            p.check(frame[p.name])
    assert len({tuple(sorted(f.items())) for f in frames}) == len(frames)


def test_every_control_has_a_label_and_the_figure_an_alt_text(drawing):
    assert drawing.params
    assert all(p.label.strip() for p in drawing.params)
    assert len(drawing.alt) >= MIN_ALT


def test_update_changes_the_picture_and_going_back_restores_it(drawing):
    frames = drawing.frames()
    drawing.update(**frames[0])
    first = drawing.render_array()
    for frame in frames[1:]:
        drawing.update(**frame)
        if not np.array_equal(drawing.render_array(), first):
            break
    else:
        pytest.fail("no frame changed a pixel")
    drawing.update(**frames[0])
    np.testing.assert_array_equal(drawing.render_array(), first)
    assert drawing.state == frames[0]


def test_update_moves_artists_and_never_adds_any(drawing):
    def count(fig):
        return sum(len(ax.get_children()) for ax in fig.axes) + len(fig.artists)

    drawing.render_array()
    before = count(drawing.fig)
    for frame in drawing.frames()[:4] + drawing.frames()[-1:]:
        drawing.update(**frame)
        drawing.render_array()
    assert count(drawing.fig) == before


def _embedded_frames(html: str) -> list[np.ndarray]:
    """The frame images of matplotlib's player: ``frames[k] = "data:..."``."""
    found = re.findall(r'frames\[(\d+)\] = "data:image/png;base64,([^"]*)"', html)
    assert [int(k) for k, _ in found] == list(range(len(found)))
    return [mimage.imread(io.BytesIO(base64.b64decode(re.sub(r"[^\w+/=]", "", b))),
                          format="png") for _, b in found]


def test_player_embeds_each_frame_as_drawn_with_alt_text_and_nothing_remote(drawing):
    frames = drawing.frames()[:2] + drawing.frames()[-1:]
    before = drawing.state
    anim = animation(drawing, frames, dpi=20)
    assert len(anim) == len(frames)
    html = anim.html
    assert not re.search(r"https?://", html)
    assert f'alt="{escape(drawing.alt, quote=True)}"' in html
    images = _embedded_frames(html)
    assert len(images) == len(frames)
    assert drawing.state == before
    drawing.fig.set_dpi(20)
    for frame, image in zip(frames, images, strict=True):
        drawing.update(**frame)
        expected = mimage.imread(io.BytesIO(png(drawing.fig)), format="png")
        np.testing.assert_array_equal(image, expected)
