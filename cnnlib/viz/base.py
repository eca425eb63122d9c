"""The interface shared by every interactive figure of the book.

A :class:`Drawing` owns a matplotlib figure whose artists are created once.
``update(**values)`` moves them in place. Two drivers move a drawing:
``cnnlib.widgets.interactive`` (live sliders in a running kernel) and
``cnnlib.animate.animation`` (a player of precomputed frames in the static
book, with the same controls).
Neither knows anything about a particular figure: all they read is
:attr:`Drawing.params`, :meth:`Drawing.frames`, :attr:`Drawing.alt` and
:meth:`Drawing.describe`.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure


@dataclass(frozen=True)
class Param:
    """One control of a drawing: an integer range or a list of options.

    ``Param("x", "Row x", 0, 3)`` is an integer slider over 0..3 (inclusive);
    ``Param("stage", "Stage", options=(("Dense", "dense"), ("Cut", "cut")))``
    is a choice among labelled values.
    """

    name: str
    label: str
    min: int = 0
    max: int = 0
    step: int = 1
    default: object = None
    options: tuple[tuple[str, object], ...] = field(default=())

    def __post_init__(self):
        if self.options:
            values = [v for _, v in self.options]
            if self.default is not None and self.default not in values:
                raise ValueError(
                    f"Param {self.name!r}: default {self.default!r} is not one "
                    f"of the options {values!r}"
                )
        elif self.max < self.min or self.step < 1:
            raise ValueError(
                f"Param {self.name!r}: needs min <= max and step >= 1, got "
                f"min={self.min}, max={self.max}, step={self.step}"
            )

    @property
    def values(self) -> list:
        """Every value the control can take, in order."""
        if self.options:
            return [v for _, v in self.options]
        return list(range(self.min, self.max + 1, self.step))

    @property
    def initial(self):
        """The default value (the first value when none is given)."""
        return self.values[0] if self.default is None else self.default

    def check(self, value) -> None:
        """Raise ``ValueError`` naming the parameter if ``value`` is not allowed."""
        if value not in self.values:
            allowed = (
                [v for _, v in self.options]
                if self.options
                else f"{self.min}..{self.max} in steps of {self.step}"
            )
            raise ValueError(f"{self.name}: got {value!r}, expected one of {allowed}")


class Drawing:
    """Base class of the book's interactive figures.

    Subclasses create ``self.fig`` and all artists in ``__init__`` (then call
    ``self.update(**self.defaults())``), set :attr:`params` and :attr:`alt`,
    and implement :meth:`_update`, which must only change existing artists.
    """

    params: tuple[Param, ...] = ()
    #: What the figure shows, in words, for readers who cannot see it (alt text).
    alt: str = ""
    fig: Figure

    def defaults(self) -> dict:
        """The initial value of every parameter."""
        return {p.name: p.initial for p in self.params}

    def update(self, **values) -> None:
        """Check ``values`` against :attr:`params`, then redraw in place.

        Parameters left out keep their current value.
        """
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.update: unknown parameter(s) {unknown}; "
                f"known: {sorted(known)}"
            )
        for name, value in values.items():
            known[name].check(value)
        state = dict(getattr(self, "_state", None) or self.defaults())
        state.update(values)
        self._state = state
        self._update(**state)

    @property
    def state(self) -> dict:
        """The parameter values shown now."""
        return dict(getattr(self, "_state", None) or self.defaults())

    def _update(self, **values) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def combinations(self) -> list[dict]:
        """Every combination of the parameter values, the last parameter
        changing fastest: what the static player precomputes."""
        names = [p.name for p in self.params]
        return [dict(zip(names, combo, strict=True)) for combo in
                itertools.product(*(p.values for p in self.params))]

    def frames(self) -> list[dict]:
        """The frames Play steps through, in order: by default every
        combination (see :meth:`combinations`)."""
        return self.combinations()

    def describe(self, state: dict | None = None) -> str:
        """What the figure shows for ``state`` (default: the current one), in
        words: the alt text, then the value of every control, e.g.
        "... Shown: Row p = 1, Column q = 2." (an option by its label)."""
        state = self.state if state is None else {**self.defaults(), **state}
        shown = []
        for p in self.params:
            value = state[p.name]
            text = next((lab for lab, v in p.options if v == value), str(value))
            shown.append(f"{p.label} = {text}")
        return f"{self.alt} Shown: {', '.join(shown)}."

    def render_png(self, dpi: float | None = None) -> bytes:
        """The figure as it is now, as PNG bytes, at ``dpi`` (default the
        figure's own; the static book renders at twice that, see
        :mod:`cnnlib.viz.encode`)."""
        with self.at_dpi(dpi or self.fig.dpi):
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=self.fig.dpi)
        return buf.getvalue()

    @contextlib.contextmanager
    def at_dpi(self, dpi: float):
        """Inside the block the figure renders at ``dpi``: the drawing is redrawn
        at that resolution (a frozen background is rendered anew), and put back
        at its own afterwards."""
        old = self.fig.dpi
        if dpi == old:
            yield
            return
        self.fig.set_dpi(dpi)
        try:
            self.update(**self.state)
            yield
        finally:
            self.fig.set_dpi(old)
            self.update(**self.state)

    def render_array(self) -> np.ndarray:
        """The figure as an RGBA array (used by tests to see a change)."""
        self.fig.canvas.draw()
        return np.asarray(self.fig.canvas.buffer_rgba()).copy()
