"""Computed numbers for the prose of the book: a thin driver over myst-nb's glue.

A chapter states a figure in a sentence only when code produced it. The
notebook computes the value, hands it to :func:`glue` under a name, and the
markdown shows it with the role ``{glue:text}`name:format```; the build fails
(``-W``) when a name has no value. Sets are glued as words, with :func:`words`:
``words([2, 5, 8]) == "2, 5 and 8"``.

Outside a book build (a plain kernel, or Python in the browser, where myst-nb
is not installed) :func:`glue` only returns its value. Only a notebook imports
this module.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["glue", "words"]


def glue(name, value):
    """Store ``value`` under ``name`` for the page's ``{glue:text}`` roles.

    NumPy scalars become Python numbers first (their text form,
    ``np.int64(5)``, would not format). Nothing is displayed.

    Parameters
    ----------
    name : str
        The key the markdown refers to.
    value : int, float, str or NumPy scalar
        The computed figure.

    Returns
    -------
    The value, as stored, so a cell can assert on what the page shows.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name: expected an identifier, got {name!r}")
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value: expected a finite number for the prose, got "
                             f"{value}")
    elif not isinstance(value, str):
        raise TypeError(f"value: expected a number or a str, got "
                        f"{type(value).__name__}")
    try:
        from myst_nb import glue as myst_glue
    except ImportError:      # no book build here: the value is all we need
        return value
    myst_glue(name, value, display=False)
    return value


def words(items, last="and"):
    """A list as a sentence does it: ``[2, 5, 8]`` -> ``"2, 5 and 8"``.

    ``[]`` gives ``"none"``, one item gives itself. ``items`` is a list, tuple,
    set or 1-D array (not a string, which would be spelled out letter by
    letter); ``last`` a str.
    """
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"items: expected a list of items, got {type(items).__name__}")
    if not isinstance(last, str):
        raise TypeError(f"last: expected a str, got {type(last).__name__}")
    items = [str(int(i)) if isinstance(i, numbers.Integral) else str(i)
             for i in items]
    if not items:
        return "none"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]
