"""Input checks shared by the numerical modules.

Every check raises ``TypeError`` or ``ValueError`` with a message that names the
argument, the shape (or value) it got and the shape (or value) it needs. Nothing
is broadcast, clipped or rounded silently. Arrays are converted to ``float64``
with :func:`numpy.asarray`, so an input is never changed in place.
"""

from __future__ import annotations

import numbers

import numpy as np

MODES = ("valid", "same", "full")


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
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name}: expected a real-valued numeric array, got {type(value).__name__}"
        )
    try:
        arr = np.asarray(value)
    except ValueError as err:  # ragged nested lists
        raise TypeError(
            f"{name}: expected a real-valued numeric array, could not convert "
            f"{type(value).__name__} ({err})"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(
            f"{name}: expected a real-valued numeric array, got dtype {arr.dtype} "
            f"(shape {arr.shape})"
        )
    return np.asarray(arr, dtype=np.float64)


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


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


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
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list, np.ndarray)):
        items = list(value.ravel()) if isinstance(value, np.ndarray) else value
        if len(items) != 2:
            raise ValueError(
                f"{name}: expected an int or a pair (h, w), got {len(items)} values "
                f"{tuple(items)}"
            )
        if not all(_is_int(v) for v in items):
            raise TypeError(f"{name}: expected integers, got {tuple(items)!r}")
        pair = (int(items[0]), int(items[1]))
    else:
        raise TypeError(
            f"{name}: expected an int or a pair of ints (h, w), got "
            f"{type(value).__name__} {value!r}"
        )
    if min(pair) < minimum:
        raise ValueError(f"{name}: expected values >= {minimum}, got {pair}")
    return pair


def check_mode(mode) -> str:
    """Return ``mode`` if it is one of ``"valid"``, ``"same"``, ``"full"``."""
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode: expected one of {MODES}, got {mode!r}")
    return mode
