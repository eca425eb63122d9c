"""Live controls for :class:`cnnlib.viz.Drawing` objects (needs ipywidgets).

:func:`interactive` builds one slider (or toggle group) per parameter of a
drawing and an image of the figure, redrawn on every change. The callback is
one line: all the logic is in the drawing, which pytest tests without Jupyter.
Sliders and toggle buttons are native controls, so the keyboard moves them
(arrow keys on a focused slider).
"""

from __future__ import annotations

import html

import ipywidgets as W

from cnnlib.viz.core.base import Drawing, Param, png_quick

__all__ = ["interactive"]


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


def interactive(drawing: Drawing) -> W.VBox:
    """A panel of live controls driving ``drawing``.

    Returns an ``ipywidgets.VBox`` whose children are: a box of controls (in
    the order of ``drawing.params``), the figure as an ``Image`` widget, and a
    status line that says in words what the figure shows now. The panel keeps
    the drawing as ``panel.drawing`` and the controls as ``panel.controls``
    (a dict by parameter name).
    """
    if not isinstance(drawing, Drawing):
        raise TypeError(f"drawing: expected a cnnlib.viz.Drawing, got {type(drawing)}")
    drawing.update(**drawing.state)
    image = W.Image(value=png_quick(drawing.fig), format="png",
                    # natural size (a flex column would stretch it, blurred)
                    layout=W.Layout(max_width="100%", align_self="flex-start"))
    status = W.HTML(_status(drawing))
    controls = {p.name: _control(p) for p in drawing.params}

    def on_change(change, name):
        drawing.update(**{name: change["new"]})
        image.value = png_quick(drawing.fig)  # one draw, fast zlib: see png_quick
        status.value = _status(drawing)

    for name, ctrl in controls.items():
        ctrl.observe(lambda change, name=name: on_change(change, name), names="value")
    panel = W.VBox([W.VBox(list(controls.values())), image, status])
    panel.drawing = drawing
    panel.controls = controls
    panel.image = image
    return panel
