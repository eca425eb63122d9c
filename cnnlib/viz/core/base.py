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
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from cnnlib.validation import INT_RULE, as_int, as_real, is_int, same_value


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
        for arg in ("name", "label"):
            if not isinstance(getattr(self, arg), str):
                raise TypeError(f"Param {arg}: expected a str, got "
                                f"{type(getattr(self, arg)).__name__}")
        if self.options:
            if not isinstance(self.options, tuple) or not all(
                isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str)
                for o in self.options
            ):
                raise TypeError(f"Param {self.name!r} options: expected a tuple of "
                                f"(label, value) pairs, got {self.options!r}")
            values = [v for _, v in self.options]
            if self.default is not None and not any(
                same_value(self.default, v) for v in values
            ):
                raise ValueError(
                    f"Param {self.name!r}: default {self.default!r} is not one "
                    f"of the options {values!r}"
                )
            return
        for arg in ("min", "max", "step"):
            as_int(getattr(self, arg), f"Param {self.name!r} {arg}")
        if self.max < self.min or self.step < 1:
            raise ValueError(
                f"Param {self.name!r}: needs min <= max and step >= 1, got "
                f"min={self.min}, max={self.max}, step={self.step}"
            )
        if self.default is not None:
            try:
                self.check(self.default)
            except (TypeError, ValueError) as err:
                raise type(err)(f"Param {self.name!r} default: {err}") from None

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
        """Raise naming the parameter if ``value`` is not allowed.

        A range takes Python and NumPy integers only (``TypeError`` for
        ``1.0``, ``True``, ``"1"`` or a one-element array), on the range and
        its steps (``ValueError``); a choice takes one of its option values,
        of the same type.
        """
        if self.options:
            allowed = [v for _, v in self.options]
            if not any(same_value(value, v) for v in allowed):
                raise ValueError(f"{self.name}: got {value!r}, expected one of "
                                 f"{allowed}")
            return
        if not is_int(value):
            raise TypeError(f"{self.name}: expected {INT_RULE}, got "
                            f"{type(value).__name__} {value!r}")
        if not (self.min <= value <= self.max and (value - self.min) % self.step == 0):
            raise ValueError(
                f"{self.name}: got {value!r}, expected one of "
                f"{self.min}..{self.max} in steps of {self.step}"
            )


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

    @classmethod
    def example(cls) -> Drawing:
        """The drawing with the example data of its chapter, for tests and
        benchmarks that visit every drawing. Drawings whose constructor needs
        data override this."""
        return cls()

    def defaults(self) -> dict:
        """The initial value of every parameter."""
        return {p.name: p.initial for p in self.params}

    def check_values(self, **values) -> None:
        """Raise naming the parameter unless every value is allowed by :attr:`params`."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.update: unknown parameter(s) {unknown}; "
                f"known: {sorted(known)}"
            )
        for name, value in values.items():
            known[name].check(value)

    def update(self, **values) -> None:
        """Check ``values`` against :attr:`params`, then redraw in place.

        Parameters left out keep their current value. Every value is checked
        (type and range) before anything is stored; a refused update leaves
        the drawing as it was.
        """
        self.check_values(**values)
        old = getattr(self, "_state", None)
        state = dict(old or self.defaults())
        state.update({k: int(v) if is_int(v) else v for k, v in values.items()})
        self._state = state
        try:
            self._update(**state)
        except Exception:
            # A refused update leaves the drawing as it was.
            self._state = old
            if old is not None:
                self._update(**old)
            raise

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

    def alt_of(self, state: dict) -> str:
        """The alt text for the control values ``state``: :attr:`alt`, the same
        for every state, unless a drawing says more (see
        :class:`cnnlib.viz.LayerExplorer`)."""
        return self.alt

    def describe(self, state: dict | None = None) -> str:
        """What the figure shows for ``state`` (default: the current one), in
        words: the alt text (:meth:`alt_of`), then the value of every control, e.g.
        "... Shown: Row p = 1, Column q = 2." (an option by its label)."""
        if state is None:
            state = self.state
        else:
            if not isinstance(state, dict):
                raise TypeError(f"state: expected a dict of parameter values, got "
                                f"{type(state).__name__}")
            self.check_values(**state)
            state = {**self.defaults(), **state}
        shown = []
        for p in self.params:
            value = state[p.name]
            text = next((lab for lab, v in p.options if same_value(v, value)),
                        str(value))
            shown.append(f"{p.label} = {text}")
        return f"{self.alt_of(state)} Shown: {', '.join(shown)}."

    def render_png(self, dpi: float | None = None) -> bytes:
        """The figure as it is now, as PNG bytes, at ``dpi`` (default the
        figure's own; the static book renders at twice that, see
        :mod:`cnnlib.viz.encode`). The drawing is redrawn at ``dpi`` first
        (see :meth:`at_dpi`), then saved with :func:`png`."""
        if dpi is not None:
            dpi = as_real(dpi, "dpi", low=1.0, high=1200.0)
        with self.at_dpi(dpi or self.fig.dpi):
            return png(self.fig, self.fig.dpi)

    @contextlib.contextmanager
    def at_dpi(self, dpi: float):
        """Inside the block the figure renders at ``dpi``: the drawing is redrawn
        at that resolution (a frozen background is rendered anew), and put back
        at its own afterwards."""
        dpi = as_real(dpi, "dpi", low=1.0, high=1200.0)
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


def png(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure ``fig`` as PNG bytes, at ``dpi`` (default the figure's own).

    The book's figures are detached from pyplot (see
    :func:`cnnlib.viz.new_figure`), so Jupyter does not display them by itself;
    ``Image(png(fig))`` shows one as an ordinary ``image/png`` output that
    myst-nb can caption and give alt text.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    if dpi is not None:
        dpi = as_real(dpi, "dpi", low=1.0, high=1200.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()



def image(fig: Figure, dpi: float | None = None):
    """``fig`` as an ``IPython.display.Image`` shown ``dpi`` CSS pixels per inch
    (default the figure's dpi) and stored at
    :data:`~cnnlib.viz.encode.SCALE` times that, as a lossless PNG (a palette
    PNG when the figure has at most 256 colours), so a static figure of a
    notebook stays sharp when zoomed. ``image(fig)`` is how the book shows a
    detached figure (see :func:`png`)."""
    from IPython.display import Image

    from cnnlib.viz.encode import SCALE, compact_png

    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    css_dpi = fig.dpi if dpi is None else as_real(dpi, "dpi", low=1.0, high=600.0)
    data = compact_png(png(fig, dpi=SCALE * float(css_dpi)))
    width = round(fig.get_size_inches()[0] * float(css_dpi))
    return Image(data=data, format="png", width=width)

def png_quick(fig: Figure) -> bytes:
    """The figure as PNG bytes, made for speed: one Agg draw at the figure's
    own dpi, then the RGB rows with no PNG filter (filter type 0) deflated by
    zlib at its fastest level.

    The live panel (:func:`cnnlib.widgets.interactive`) redraws on every key
    press, where :func:`png` would draw the figure twice (``savefig`` draws
    again) and choose a filter for every row; here the bytes are a little
    larger (they travel to a browser on the same machine) and the time two to
    three times shorter. The pixels are those :func:`png` gives at the same dpi.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig: expected a matplotlib Figure, got {type(fig).__name__}")
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    h, w = rgba.shape[:2]
    rows = np.zeros((h, 1 + 3 * w), dtype=np.uint8)  # column 0: filter type 0
    rows[:, 1:].reshape(h, w, 3)[...] = rgba[..., :3]
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + _png_chunk(b"IEND", b""))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))
