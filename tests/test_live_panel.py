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


# ---- the panel: pictures made up front and switched in the page ---------------

ipywidgets = pytest.importorskip("ipywidgets")
from cnnlib import widgets  # noqa: E402
from cnnlib.widgets import PRECOMPUTE_LIMIT, interactive  # noqa: E402


def _small_drawings():
    return [cls for cls in all_drawings()
            if len(cls.example().combinations()) <= PRECOMPUTE_LIMIT]


def test_the_small_drawings_are_switched_in_the_page_and_the_explorer_is_not():
    names = {cls.__name__ for cls in _small_drawings()}
    assert {"DeltaPropagation", "KernelRotation", "WeightSharingDrawing",
            "MLPDeltaDrawing"} <= names and "LayerExplorer" not in names
    assert interactive(all_drawings()[0].example(), precompute=False).links == []


@pytest.mark.parametrize("cls", _small_drawings(), ids=lambda c: c.__name__)
def test_each_precomputed_picture_is_the_drawing_redrawn_in_that_state(cls):
    drawing = cls.example()
    panel = interactive(drawing)
    assert panel.links, "no control is linked to the pictures"
    for state in drawing.combinations():
        for name, value in state.items():
            panel.controls[name].value = value  # the kernel's observer updates
        assert drawing.state == state
        assert panel.image.value == png_quick(drawing.fig), state
        assert drawing.describe(state) in _unescape(panel.children[2].value)


def _unescape(markup: str) -> str:
    import html
    return html.unescape(markup)


@pytest.mark.parametrize("cls", _small_drawings(), ids=lambda c: c.__name__)
def test_each_control_is_linked_to_every_stack_it_selects_from(cls):
    drawing = cls.example()
    panel = interactive(drawing)
    # the stacks at depth k: one per combination of the parameters before k
    stacks, level = [], [panel.children[1]]
    for p in drawing.params:
        stacks.append(level)
        assert all(len(s.children) == len(p.values) for s in level)
        level = [c for s in level for c in s.children]
    assert all(isinstance(w, ipywidgets.Image) for w in level)
    for p, at_depth in zip(drawing.params, stacks, strict=True):
        ctrl = panel.controls[p.name]
        linked = {id(link.target[0]) for link in panel.links
                  if link.source == (ctrl, "index" if p.options else "value")
                  and link.target[1] == "selected_index"}
        assert linked == {id(s) for s in at_depth}, p.name
        # each stack starts at the control's value
        want = list(p.values).index(drawing.defaults()[p.name])
        assert all(s.selected_index == want for s in at_depth)


def test_the_kernel_redraws_when_python_runs_in_the_browser(monkeypatch):
    monkeypatch.setattr(widgets.sys, "platform", "emscripten")
    panel = interactive(all_drawings()[0].example())
    assert panel.links == [] and isinstance(panel.children[1], ipywidgets.Image)
    assert len(panel.children) == 3


def test_precompute_refuses_what_it_cannot_link():
    from cnnlib.viz.core.base import Drawing, Param
    from cnnlib.viz.core.style import new_figure

    class FromOne(Drawing):
        def __init__(self):
            self.params = (Param("k", "k", 1, 3),)
            self.fig = new_figure(1.0, 1.0)
            self.update(**self.defaults())

        def _update(self, k):
            pass

    with pytest.raises(ValueError, match="precompute: every slider .* k from 1"):
        interactive(FromOne(), precompute=True)
    assert interactive(FromOne()).links == []  # the default redraws instead
    with pytest.raises(TypeError, match="precompute: expected True, False or None"):
        interactive(FromOne(), precompute="yes")
