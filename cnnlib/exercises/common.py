"""Helpers shared by the exercise checkers ``cnnlib.exercises.chNN``.

Every checker ends the same way: it prints "Right." with a short remark, or
"Not yet." with a hint (never the answer), and returns whether the reader's
answer was right. The reader's answer arrives as whatever they typed, so the
checkers also share the conversions that turn it into a number or an array
without raising.
"""

from __future__ import annotations

import numbers
import textwrap

import numpy as np

__all__ = ["as_array", "is_int", "is_number", "report"]

#: Width of a checker's message: fits a notebook output cell and the book's page.
WIDTH = 76


def report(ok: bool, right: str, wrong: str) -> bool:
    """Print "Right. <right>" if ``ok`` else "Not yet. <wrong>", wrapped to
    ``WIDTH`` (76) characters, and return ``ok``."""
    message = ("Right. " + right) if ok else ("Not yet. " + wrong)
    print(textwrap.fill(message.strip(), WIDTH))
    return ok


def as_array(values, shape: tuple[int, ...] | None = None) -> np.ndarray | None:
    """``values`` as a float64 array, or None if it is not numeric or (when
    ``shape`` is given) does not have that shape."""
    try:
        got = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return got if shape is None or got.shape == tuple(shape) else None


def is_int(v) -> bool:
    """True for an integer (Python or NumPy), False for a bool or anything else."""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def is_number(v) -> bool:
    """True for a real number (Python or NumPy), False for a bool or anything else."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)
