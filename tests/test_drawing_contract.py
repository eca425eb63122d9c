"""The contract every interactive figure keeps, tested once for all of them.

Every subclass of :class:`cnnlib.viz.Drawing` in ``cnnlib.viz`` is found by
:func:`cnnlib.viz.all_drawings` (checked here against a walk of the package, so
a new figure is covered without being listed) and built by its ``example()``.
The drivers (live sliders, the static player) read nothing else than what is
checked here: ``params``, ``frames()``, ``alt`` and an ``update`` that changes
the picture in place.
"""

import importlib
import pkgutil
import re
from html import escape

import numpy as np
import pytest
from playerdata import compose, data_of

import cnnlib.viz
from cnnlib.animate import animation
from cnnlib.viz import Drawing, all_drawings
from cnnlib.viz.encode import SCALE, render_rgb

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


def test_describing_a_state_says_what_drawing_that_state_shows(drawing):
    """The static player describes every combination without drawing it
    (``describe(state)``): the words must be those of the drawing moved there."""
    combos = drawing.combinations()
    picks = combos[:: max(1, len(combos) // 12)] + [combos[-1]]
    for state in picks:
        said = drawing.describe(state)
        drawing.update(**state)
        assert drawing.describe() == said, state


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


def _embedded_frames(html: str, drawing: Drawing, frames: list[dict]) -> list:
    """What the static player shows for each of ``frames``: the background
    (``images[0]``) with the patches ``[image, x, y, w, h]`` of the frame's
    stored picture blended over it, as RGB arrays (``combo`` maps every
    combination of the controls to its stored picture)."""
    data = data_of(html)
    combos = [tuple(sorted(c.items())) for c in drawing.combinations()]
    assert len(data["combo"]) == len(combos)
    return [compose(data, data["combo"][combos.index(
        tuple(sorted({**drawing.defaults(), **frame}.items())))]) for frame in frames]


def test_player_embeds_each_frame_as_drawn_with_alt_text_and_nothing_remote(drawing):
    frames = drawing.frames()[:2] + drawing.frames()[-1:]
    before = drawing.state
    anim = animation(drawing, frames, dpi=20)
    assert len(anim) == len(frames)
    html = anim.html
    assert not re.search(r"https?://", html)
    first = drawing.describe(drawing.defaults())
    assert first.startswith(drawing.alt_of(drawing.defaults()))
    assert f'alt="{escape(first, quote=True)}"' in html
    images = _embedded_frames(html, drawing, frames)
    assert drawing.state == before
    wants = []
    with drawing.at_dpi(SCALE * 20):   # frames are stored at 2 px per CSS px
        for frame in frames:
            drawing.update(**frame)
            wants.append(render_rgb(drawing.fig).astype(np.float64))
    for k, (frame, image) in enumerate(zip(frames, images, strict=True)):
        # exact but for images of more than 256 colours, whose blended edge
        # pixels move to the nearest of 128 colours: small errors, few large
        # ones, and far fewer than against any other frame's picture
        far = [int(np.sum(np.abs(image - want).max(axis=2) > 48)) for want in wants]
        assert image.shape == wants[k].shape
        assert np.mean(np.abs(image - wants[k])) < 4, frame
        assert far[k] <= 0.001 * image.shape[0] * image.shape[1], frame
        assert all(far[k] < far[j] for j in range(len(wants))
                   if not np.array_equal(wants[j], wants[k])), (frame, far)
