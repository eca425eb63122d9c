"""Live controls for :class:`cnnlib.viz.Drawing` objects (needs ipywidgets).

:func:`interactive` builds one slider (or toggle group) per parameter of a
drawing, an image of the figure and a status line, all driven by the drawing,
which pytest tests without Jupyter. Sliders and toggle buttons are native
controls, so the keyboard moves them (arrow keys on a focused slider).

A drawing with few states (at most :data:`PRECOMPUTE_LIMIT` combinations of
its controls) is drawn in every state when the panel is made, and the browser
itself shows the picture of the controls' values: each control is linked in
the page (``ipywidgets.jslink``) to the stacks of pictures it selects from, so
a key press changes the figure without a round trip to the kernel. The
stacks are ``Tab`` widgets with their tab bars hidden: a Tab keeps every
picture in the page and shows one, so switching builds nothing. Every other
drawing is redrawn by the kernel on each change. Either way the kernel keeps
the drawing's state and the status line in step with the controls.
"""

from __future__ import annotations

import html
import sys

import ipywidgets as W

from cnnlib.viz.core.base import Drawing, Param, png_quick

__all__ = ["PRECOMPUTE_LIMIT", "interactive"]

#: Most combinations of a drawing's controls whose pictures a panel makes up
#: front (a picture is some 20-60 kB and 5-20 ms of drawing).
PRECOMPUTE_LIMIT = 64

_IMAGE_LAYOUT = {"max_width": "100%", "align_self": "flex-start"}
#: The class of the tabs that hold the pictures; their tab bars are hidden
#: (the controls select the picture), by a style in the panel.
_FRAMES_CLASS = "cnnlib-frames"
_FRAMES_STYLE = (
    f"<style>.jupyter-widgets.{_FRAMES_CLASS} > .widget-tab-bar "
    f"{{display: none !important;}} "
    f".jupyter-widgets.{_FRAMES_CLASS} > .widget-tab-contents "
    f"{{border: none !important; padding: 0 !important;}}</style>")


def _control(p: Param) -> W.ValueWidget:
    style = {"description_width": "initial"}
    if p.options:
        return W.ToggleButtons(options=list(p.options), value=p.initial,
                               description=p.label, style=style)
    return W.IntSlider(min=p.min, max=p.max, step=p.step, value=p.initial,
                       description=p.label, continuous_update=True, style=style)


def _status(drawing: Drawing) -> str:
    return (f'<p class="cnnlib-status" aria-live="polite">'
            f"{html.escape(drawing.describe())}</p>")


def _image(data: bytes) -> W.Image:
    # natural size (a flex column would stretch it, blurred)
    return W.Image(value=data, format="png", layout=W.Layout(**_IMAGE_LAYOUT))


def _index(p: Param, value) -> int:
    """Position of ``value`` among the values of ``p`` (what the control's
    ``index`` or, for a slider from 0 by 1, its ``value`` is in the page)."""
    return list(p.values).index(value)


class LivePanel(W.VBox):
    """The panel :func:`interactive` returns: ``children`` are the box of
    controls, the figure and the status line (and, when the pictures are made
    up front, the style that hides their tab bars); ``drawing``, ``controls``
    (by parameter name) and ``image`` (the Image widget showing the figure
    now)."""

    def __init__(self, drawing: Drawing, controls: dict, figure, status, image_of):
        super().__init__([W.VBox(list(controls.values())), figure, status])
        self.drawing = drawing
        self.controls = controls
        self._image_of = image_of
        self.links: list = []  # the page-side links (kept, or they would close)

    @property
    def image(self) -> W.Image:
        return self._image_of()


def _linkable(drawing: Drawing) -> bool:
    """A slider can select a picture in the page when its value is the index:
    it runs 0, 1, 2, ...; option buttons always can (their ``index``)."""
    return all(p.options or (p.min == 0 and p.step == 1) for p in drawing.params)


def interactive(drawing: Drawing, precompute: bool | None = None) -> LivePanel:
    """A panel of live controls driving ``drawing``.

    Returns a :class:`LivePanel` (an ``ipywidgets.VBox``) whose children are: a
    box of controls (in the order of ``drawing.params``), the figure, and a
    status line that says in words what the figure shows now.

    ``precompute``: draw every state up front and let the page switch pictures
    (see the module's docstring); default when the drawing has at most
    :data:`PRECOMPUTE_LIMIT` states, its sliders run 0, 1, 2, ... and Python
    runs outside the browser (in Pyodide the kernel is in the page anyway).
    """
    if not isinstance(drawing, Drawing):
        raise TypeError(f"drawing: expected a cnnlib.viz.Drawing, got {type(drawing)}")
    if precompute is not None and not isinstance(precompute, bool):
        raise TypeError(f"precompute: expected True, False or None, got "
                        f"{type(precompute).__name__} {precompute!r}")
    n_states = len(drawing.combinations())
    if precompute is None:
        precompute = (n_states <= PRECOMPUTE_LIMIT and _linkable(drawing)
                      and sys.platform != "emscripten")
    elif precompute and not _linkable(drawing):
        raise ValueError("precompute: every slider of the drawing must run 0, 1, "
                         "2, ... to be linked in the page; got "
                         + ", ".join(f"{p.name} from {p.min} by {p.step}"
                                     for p in drawing.params if not p.options))
    start = dict(drawing.state)
    controls = {p.name: _control(p) for p in drawing.params}
    if precompute:
        figure, stacks = _stack(drawing, list(drawing.params), {}, start)
        drawing.update(**start)
    else:
        drawing.update(**start)
        figure, stacks = _image(png_quick(drawing.fig)), []
    status = W.HTML(_status(drawing))

    def image_of():
        # the picture the page shows: the controls select it (the links run
        # in the page, so the stacks' own indices are only the start's)
        widget = figure
        for p in drawing.params if precompute else ():
            widget = widget.children[_index(p, controls[p.name].value)]
        return widget

    panel = LivePanel(drawing, controls, figure, status, image_of)
    if precompute:
        panel.children = (*panel.children, W.HTML(_FRAMES_STYLE))
    for depth, p in enumerate(drawing.params):
        attribute = "index" if p.options else "value"
        for stack in stacks[depth] if stacks else ():
            panel.links.append(W.jslink((controls[p.name], attribute),
                                        (stack, "selected_index")))

    def on_change(change, name):
        drawing.update(**{name: change["new"]})
        if not precompute:
            figure.value = png_quick(drawing.fig)  # one draw, fast zlib
        status.value = _status(drawing)

    for name, ctrl in controls.items():
        ctrl.observe(lambda change, name=name: on_change(change, name), names="value")
    return panel


def _stack(drawing: Drawing, params: list[Param], fixed: dict, start: dict):
    """The pictures of every state that agrees with ``fixed``, nested one
    ``Tab`` per remaining parameter, each showing the value of ``start``;
    also the list of stacks at each depth."""
    if not params:
        drawing.update(**fixed)
        return _image(png_quick(drawing.fig)), []
    p, rest = params[0], params[1:]
    children, below = [], [[] for _ in rest]
    for value in p.values:
        child, deeper = _stack(drawing, rest, {**fixed, p.name: value}, start)
        children.append(child)
        for depth, found in enumerate(deeper):
            below[depth] += found
    # a Tab keeps every child's view in the page and only hides the others,
    # so a switch is a class change (a Stack would build a new view each time)
    here = W.Tab(children, selected_index=_index(p, start[p.name]))
    here.add_class(_FRAMES_CLASS)
    return here, [[here], *below]
