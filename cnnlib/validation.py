"""Input checks shared by every public function, class and drawing of cnnlib.

Every check raises ``TypeError`` (wrong kind of value) or ``ValueError`` (right
kind, wrong shape or value) with a message that names the argument, the shape
(or value) it got and the shape (or value) it needs. Nothing is broadcast,
clipped, rounded or truncated silently. The rules, once for the whole package:

- **Arrays.** Anything :func:`numpy.asarray` turns into a real-valued array is
  accepted: float arrays, **integer and bool arrays** (converted to float64)
  and **nested lists** of numbers. Strings, ``None``, complex numbers, objects
  and ragged lists are refused with ``TypeError``. Inputs are never changed in
  place (but for :func:`cnnlib.numerical_gradient`, which nudges ``x`` and puts
  it back).
- **Integer-like parameters** (stride, padding, dilation, kernel sizes, counts,
  indices, layer numbers, slider values) accept Python and NumPy integers only:
  ``2.0``, ``2.7``, ``"2"``, ``True`` and one-element arrays are refused with
  ``TypeError`` ("expected an integer (Python or NumPy int; not bool, float or
  str)"), values out of range with ``ValueError``. Pairs ``(h, w)`` follow the
  same rule for each entry.
- **Real parameters** (learning rates, fractions, steps) accept Python and
  NumPy integers and floats, not bools or strings, and must be finite.
- **NaN and inf in data.** The numerics (convolutions, pooling, activations,
  losses, gradients, the MLP and the layers) propagate them as IEEE arithmetic
  does, like NumPy and PyTorch: a NaN in gives NaN out where it reaches, never
  an error, so a reader can watch a bad value travel. Drawings and figure
  helpers refuse non-finite data with ``ValueError`` (a picture of NaN is no
  picture), and so do hyperparameters such as ``lr``.
- **Empty batches.** A batch with ``N = 0`` examples is refused with
  ``ValueError`` ("empty batch (N = 0)") by every function that takes a batch,
  forward and backward alike (conv, transposed conv, pooling, losses, layers,
  ``predict``, ``accuracy``, ``fit``): a layer with no examples has nothing to
  show, and a mean over none is undefined. Other empty axes (no channels, no
  rows) are refused too.
- **Labels** are integer arrays of shape ``(N,)`` (not ``(N, 1)``, not
  strings or floats), with values in ``0..K-1`` where the number of classes
  ``K`` is known.
"""

from __future__ import annotations

import numbers

import numpy as np

MODES = ("valid", "same", "full")


def as_numeric_array(value, name: str, kinds: str = "biuf",
                     what: str = "a real-valued numeric array") -> np.ndarray:
    """``np.asarray(value)`` if its dtype kind is one of ``kinds``, else ``TypeError``.

    Strings, ``None``, ragged lists and arrays of another kind (complex,
    strings, objects) are refused with a message naming ``name`` and saying
    ``what`` was expected. The dtype is kept (no conversion).
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name}: expected {what}, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise TypeError(
            f"{name}: expected {what}, could not convert {type(value).__name__} "
            f"({err})"
        ) from None
    if arr.dtype.kind not in kinds:
        raise TypeError(
            f"{name}: expected {what}, got dtype {arr.dtype} (shape {arr.shape})"
        )
    return arr


def as_float_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a float64 array, or raise ``TypeError``.

    Real numbers (bool, integer, float) are accepted and converted; strings,
    complex numbers, ``None``, ragged lists and other objects are refused.

    Parameters
    ----------
    value : array_like
        The input to convert.
    name : str
        The argument's name, used in the error message.

    Returns
    -------
    numpy.ndarray
        ``np.asarray(value, dtype=np.float64)``: the same object when it is
        already a float64 array, otherwise a new array.
    """
    return np.asarray(as_numeric_array(value, name), dtype=np.float64)


def check_ndim(arr: np.ndarray, ndim: int, name: str, dims: str) -> None:
    """Raise ``ValueError`` unless ``arr.ndim == ndim``.

    ``dims`` names the expected axes, e.g. ``"(F, C, KH, KW)"``, giving messages
    such as ``"w: expected 4 dims (F, C, KH, KW), got shape (3, 3)"``.
    """
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected {ndim} dims {dims}, got shape {arr.shape}")


def check_shape(arr: np.ndarray, shape: tuple, name: str, dims: str) -> None:
    """Raise ``ValueError`` unless ``arr.shape == shape`` (``dims`` names the axes)."""
    if tuple(arr.shape) != tuple(shape):
        raise ValueError(
            f"{name}: expected shape {dims} = {tuple(shape)}, got shape {arr.shape}"
        )


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools and everything else."""
    return isinstance(value, (numbers.Integral, np.integer)) and not isinstance(
        value, (bool, np.bool_)
    )


#: The words every integer-type error uses, so they read the same everywhere.
INT_RULE = "an integer (Python or NumPy int; not bool, float or str)"


def as_int(value, name: str, minimum: int | None = None,
           maximum: int | None = None) -> int:
    """Return ``value`` as a Python int, or raise naming ``name``.

    Accepts Python and NumPy integers only (``TypeError`` for bool, float, str,
    arrays and anything else); ``ValueError`` unless
    ``minimum <= value <= maximum`` (a bound of None is not checked).
    """
    if not is_int(value):
        raise TypeError(
            f"{name}: expected {INT_RULE}, got {type(value).__name__} {value!r}"
        )
    value = int(value)
    if (minimum is not None and value < minimum) or (
        maximum is not None and value > maximum
    ):
        if maximum is None:
            allowed = f">= {minimum}"
        elif minimum is None:
            allowed = f"<= {maximum}"
        else:
            allowed = f"in {minimum}..{maximum}"
        raise ValueError(f"{name}: expected a value {allowed}, got {value}")
    return value


def as_real(value, name: str, *, low: float | None = None,
            high: float | None = None, low_open: bool = False,
            high_open: bool = False) -> float:
    """Return ``value`` as a finite Python float in the range, or raise.

    Accepts Python and NumPy integers and floats (``TypeError`` for bool, str,
    None, arrays); ``ValueError`` for NaN, inf and values outside
    ``[low, high]`` (``(low, ...`` with ``low_open``, ``..., high)`` with
    ``high_open``).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, np.integer, np.floating)
    ):
        raise TypeError(
            f"{name}: expected a real number (int or float; not bool or str), got "
            f"{type(value).__name__} {value!r}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        interval = f"{'(' if low_open or low is None else '['}{lo}, {hi}" + (
            ")" if high_open or high is None else "]")
        raise ValueError(f"{name}: expected a value in {interval}, got {value}")
    return value


def as_finite_array(value, name: str) -> np.ndarray:
    """:func:`as_float_array`, and ``ValueError`` if any entry is NaN or inf."""
    arr = as_float_array(value, name)
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name}: expected finite values, got {arr[tuple(bad)]} at index "
            f"{tuple(int(i) for i in bad)} (shape {arr.shape})"
        )
    return arr


def check_batch(arr: np.ndarray, name: str) -> None:
    """``ValueError`` if the batch axis 0 of ``arr`` is empty (``N = 0``)."""
    if arr.ndim >= 1 and arr.shape[0] == 0:
        raise ValueError(
            f"{name}: empty batch (N = 0), expected at least one example, got shape "
            f"{arr.shape}"
        )


def as_labels(value, name: str, n: int, n_classes: int | None = None) -> np.ndarray:
    """Integer class labels of shape ``(n,)`` (values in 0..n_classes-1).

    ``TypeError`` for strings, floats, bools and objects; ``ValueError`` for
    another shape (e.g. ``(N, 1)``, which would broadcast) or a value out of
    range.
    """
    arr = as_numeric_array(value, name, "iu", "an integer array of class labels")
    if arr.shape != (n,):
        raise ValueError(
            f"{name}: expected shape (N,) = ({n},), one label per example, got "
            f"shape {arr.shape}"
        )
    too_big = n_classes is not None and arr.size and arr.max() >= n_classes
    if arr.size and (arr.min() < 0 or too_big):
        top = "K-1" if n_classes is None else n_classes - 1
        raise ValueError(f"{name}: expected values in 0..{top}, got values in "
                         f"{arr.min()}..{arr.max()}")
    return arr


def as_shape(value, name: str, ndim: int, dims: str, minimum: int = 1) -> tuple:
    """A shape: a tuple of ``ndim`` integers, each at least ``minimum``."""
    if isinstance(value, (str, bytes)) or not isinstance(
        value, (tuple, list, np.ndarray)
    ):
        raise TypeError(f"{name}: expected a tuple {dims} of integers, got "
                        f"{type(value).__name__} {value!r}")
    items = tuple(value.tolist() if isinstance(value, np.ndarray) else value)
    if len(items) != ndim:
        raise ValueError(f"{name}: expected {ndim} integers {dims}, got {items}")
    if not all(is_int(v) for v in items):
        raise TypeError(f"{name}: expected {ndim} integers {dims}, each {INT_RULE}, "
                        f"got {items!r}")
    if min(items) < minimum:
        raise ValueError(f"{name}: expected {dims} with values >= {minimum}, got "
                         f"{items}")
    return tuple(int(v) for v in items)


def check_choice(value, name: str, choices) -> None:
    """``ValueError`` unless ``value`` is one of ``choices`` (compared by type too)."""
    if not any(type(value) is type(c) and value == c for c in choices):
        raise ValueError(f"{name}: expected one of {tuple(choices)}, got {value!r}")


def as_pair(value, name: str, minimum: int) -> tuple[int, int]:
    """Parse an int or an ``(h, w)`` pair of ints, each at least ``minimum``.

    Parameters
    ----------
    value : int or tuple of two ints
        For example ``stride=2`` or ``stride=(2, 1)``.
    name : str
        The argument's name, used in the error message.
    minimum : int
        Smallest allowed value (1 for stride, dilation and kernel sizes, 0 for
        padding).

    Returns
    -------
    tuple of int
        ``(h, w)``.
    """
    if is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list, np.ndarray)):
        items = list(value.ravel()) if isinstance(value, np.ndarray) else value
        if len(items) != 2:
            raise ValueError(
                f"{name}: expected an int or a pair (h, w), got {len(items)} values "
                f"{tuple(items)}"
            )
        if not all(is_int(v) for v in items):
            raise TypeError(
                f"{name}: expected a pair of integers, each {INT_RULE}, got "
                f"{tuple(items)!r}"
            )
        pair = (int(items[0]), int(items[1]))
    else:
        raise TypeError(
            f"{name}: expected {INT_RULE} or a pair (h, w) of them, got "
            f"{type(value).__name__} {value!r}"
        )
    if min(pair) < minimum:
        raise ValueError(f"{name}: expected values >= {minimum}, got {pair}")
    return pair


def check_mode(mode, name: str = "mode") -> str:
    """Return ``mode`` if it is one of ``"valid"``, ``"same"``, ``"full"``."""
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"{name}: expected one of {MODES}, got {mode!r}")
    return mode


def conv_geometry(in_hw, kernel_hw, stride=1, padding=0, dilation=1, *,
                  kernel_name: str = "kernel_hw", where: str = ""):
    """The one validation path for a convolution's sizes and parameters.

    Parses ``stride`` (>= 1), ``padding`` (>= 0) and ``dilation`` (>= 1), and
    checks that the dilated kernel, spanning ``d (K - 1) + 1`` rows, fits in
    the padded input of ``H + 2p`` rows (likewise columns). Used by
    :func:`cnnlib.conv2d_output_shape`, the conv forward passes,
    :func:`cnnlib.conv_transpose2d`, :func:`cnnlib.conv2d_as_dense` and the
    rules of :mod:`cnnlib.rules`, so they all say the same thing in the same
    words; ``kernel_name`` is the argument blamed for a kernel that does not
    fit and ``where`` adds the caller's shapes to that message.

    Returns
    -------
    stride, padding, dilation : tuple of int
        ``(h, w)`` pairs.
    out_hw : tuple of int
        ``OH = floor((H + 2p - d (KH - 1) - 1) / s) + 1``, likewise OW.
    """
    h, w = in_hw
    kh, kw = kernel_hw
    s = as_pair(stride, "stride", 1)
    p = as_pair(padding, "padding", 0)
    d = as_pair(dilation, "dilation", 1)
    span = (d[0] * (kh - 1) + 1, d[1] * (kw - 1) + 1)
    padded = (h + 2 * p[0], w + 2 * p[1])
    if span[0] > padded[0] or span[1] > padded[1]:
        raise ValueError(
            f"{kernel_name}: kernel (KH, KW) = {(kh, kw)} with dilation {d} spans "
            f"{span}, larger than the padded input {padded} (input (H, W) = "
            f"{(h, w)}, padding {p}{where})"
        )
    out_hw = ((padded[0] - span[0]) // s[0] + 1, (padded[1] - span[1]) // s[1] + 1)
    return s, p, d, out_hw


def check_conv_tensors(x, w, x_name: str = "x", w_name: str = "w",
                       x_dims: str = "(N, C, H, W)", w_dims: str = "(F, C, KH, KW)",
                       channel_axis: int = 1):
    """Convert and check the input and kernel of a (transposed) convolution.

    ``x`` must be 4-D with a non-empty batch (``N >= 1``) and non-empty other
    axes, ``w`` 4-D and non-empty, and ``x``'s channel count must equal
    ``w.shape[channel_axis]`` (1 for a convolution, 0 for a transposed one).
    """
    x = as_float_array(x, x_name)
    w = as_float_array(w, w_name)
    check_ndim(x, 4, x_name, x_dims)
    check_ndim(w, 4, w_name, w_dims)
    cname = "C" if channel_axis == 1 else "C_in"
    if x.shape[1] != w.shape[channel_axis]:
        raise ValueError(
            f"{x_name} has {cname}={x.shape[1]} channels but {w_name} expects "
            f"{cname}={w.shape[channel_axis]} ({x_name} shape {x.shape}, {w_name} "
            f"shape {w.shape})"
        )
    check_batch(x, x_name)
    if 0 in w.shape or 0 in x.shape[1:]:
        raise ValueError(
            f"{x_name} and {w_name} must have non-empty axes, got {x_name} shape "
            f"{x.shape}, {w_name} shape {w.shape}"
        )
    return x, w


def as_rng(seed, name: str = "seed") -> np.random.Generator:
    """A NumPy Generator: ``seed`` itself if it is one, else ``default_rng(seed)``.

    ``seed`` is a Generator or an integer >= 0 (the rule of :func:`as_int`).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(as_int(seed, name, 0))


def as_map(value, name: str, ndim: int = 2, dims: str = "(H, W)") -> np.ndarray:
    """Finite, non-empty float64 data of ``ndim`` dims, for a drawing to show."""
    arr = as_finite_array(value, name)
    check_ndim(arr, ndim, name, dims)
    if 0 in arr.shape:
        raise ValueError(
            f"{name}: expected non-empty axes {dims}, got shape {arr.shape}"
        )
    return arr


def same_value(a, b) -> bool:
    """``a == b`` with the same type at every level (so ``True`` is not ``1``,
    ``1.0`` is not ``1`` and ``(1, 0)`` is not ``[1, 0]``); NumPy ints count as
    ints."""
    if is_int(a) and is_int(b):
        return int(a) == int(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(map(same_value, a, b))
    return type(a) is type(b) and not isinstance(a, np.ndarray) and a == b


def check_instance(value, name: str, cls, what: str) -> None:
    """``TypeError`` naming ``name`` unless ``value`` is an instance of ``cls``."""
    if not isinstance(value, cls):
        raise TypeError(f"{name}: expected {what}, got {type(value).__name__}")
