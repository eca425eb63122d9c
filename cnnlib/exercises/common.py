"""Helpers shared by the exercise checkers ``cnnlib.exercises.chNN``.

Every checker ends the same way: it prints "Right." with a short remark, or
"Not yet." with a hint (never the answer), and returns whether the reader's
answer was right. A checker judges, it never raises: the reader's answer
arrives as whatever they typed (a huge integer, NaN, a string, a ragged list, a
function that crashes), and anything the checker cannot show to be right is
"not yet", with what to fix.

Three pieces do this once for every checker:

- the readers (:func:`read_array`, :func:`read_count`, :func:`read_number`,
  :func:`read_shape`, :func:`read_option`) turn a typed value into a number, an
  array, a shape or an option, or into a sentence saying why they cannot;
- :func:`compare`, the one comparison of an answer with an expected value:
  entry-wise ``|given - expected| <= atol + rtol |expected|``, written so that
  NaN fails, with the report of where and by how much the two differ;
- :class:`AnswerKey`, the key of an exercise whose answer can be typed: the
  right answer computed by cnnlib, the tolerance, and the known wrong answers,
  each computed from the mistake it stands for, with the sentence that names
  it. The checker judges from the key; a page reads the same key as JSON.

:func:`call_reader` runs a reader's function and turns any exception into a
sentence; :func:`check_cases` runs a reader's function on a few trials
(:class:`Case`) and judges each result with :func:`judge_array`, which names a
known mistake (:class:`Mistake`) when the result is one.
"""

from __future__ import annotations

import json
import numbers
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "CONVOLVING_LAYER",
    "OTHER_CONVENTION",
    "STRIDE2_SHAPES",
    "TRANSPOSED",
    "WIDTH",
    "AnswerKey",
    "Case",
    "Comparison",
    "Mistake",
    "as_array",
    "call_reader",
    "check_cases",
    "check_keys",
    "compare",
    "is_int",
    "is_number",
    "judge_array",
    "judge_call",
    "keys_for",
    "read_array",
    "read_count",
    "read_number",
    "read_option",
    "read_shape",
    "report",
    "verdict",
]

#: Width of a checker's message: fits a notebook output cell and the book's page.
WIDTH = 76

#: Sentences that name a mistake several exercises share.
OTHER_CONVENTION = ("these are the numbers of the other convention (the kernel "
                    "rotated once more): the layer is a cross-correlation.")
TRANSPOSED = "this is the transpose of the answer: the first index is the row."
CONVOLVING_LAYER = ("this is the answer rotated by 180°, the gradient of a layer "
                    "that convolves; this layer is a cross-correlation.")

#: (input, kernel) shapes of the one-channel stride-2 layers on which the
#: exercises about strides (4.4, 5.3) are checked: square and not, and with a
#: last row or column that no window reads.
STRIDE2_SHAPES = (((7, 7), (3, 3)), ((8, 9), (2, 3)), ((6, 5), (3, 2)))


def report(ok: bool, right: str, wrong: str) -> bool:
    """Print "Right. <right>" if ``ok`` else "Not yet. <wrong>", wrapped to
    ``WIDTH`` (76) characters, and return ``ok``."""
    print(textwrap.fill(_message(ok, right if ok else wrong), WIDTH,
                        break_on_hyphens=False))
    return ok


def _message(ok: bool, text: str) -> str:
    """"Right. <text>" or "Not yet. <text>", unwrapped (a page's answer form
    shows the same sentence)."""
    return (("Right. " if ok else "Not yet. ") + _cap(text)).strip()


def _cap(text: str) -> str:
    """``text`` stripped, its first letter upper case unless its first word is
    a name from code (``output_size(...)``, ``dC/dw``)."""
    text = text.strip()
    first = text.split(" ", 1)[0]
    if first.endswith(":") or any(ch in first for ch in "_(/[^"):
        return text
    return text[:1].upper() + text[1:]


def is_int(v) -> bool:
    """True for an integer (Python or NumPy), False for a bool or anything else."""
    return isinstance(v, numbers.Integral) and not isinstance(v, bool | np.bool_)


def is_number(v) -> bool:
    """True for a real number (Python or NumPy), False for a bool or anything else."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_)


def _fmt(v) -> str:
    """A number for a message: 4 significant digits, or its size if it is huge."""
    if is_int(v) and abs(int(v)) >= 10**15:
        return f"A number with {len(str(abs(int(v))))} digits"
    if is_int(v):
        return str(int(v))
    return f"{float(v):.4g}"


def _index(idx) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


# ---- reading a typed value ------------------------------------------------------


def read_array(values, shape: tuple[int, ...] | None = None):
    """``(array, None)`` with ``values`` as a finite float64 array (of ``shape``
    when given), or ``(None, why)`` with a sentence saying what is wrong.

    Accepts lists, tuples, NumPy arrays and scalars of any real dtype; refuses
    text, bools, complex numbers, ragged lists, non-finite entries and values
    too large for a float, never raising."""
    if values is None or isinstance(values, str | bytes):
        what = "None" if values is None else "text"
        return None, f"Give numbers (a list, a tuple or an array), not {what}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = np.asarray(values)
            if raw.dtype.kind in "bUSc" or raw.dtype.kind in "mMV":
                names = {"b": "True/False", "U": "text", "S": "text",
                         "c": "complex numbers"}
                return None, (f"Give real numbers, not "
                              f"{names.get(raw.dtype.kind, raw.dtype.name)}.")
            if raw.dtype.kind == "O" and any(isinstance(v, bool | str | bytes)
                                             for v in raw.flat):
                return None, "Give real numbers only (no text, no True/False)."
            got = np.asarray(raw, dtype=np.float64)
    except Exception:  # a typed value can fail here in many ways (ragged, overflow)
        return None, ("Give numbers only, as a list of equally long rows, a tuple "
                      "or an array.")
    if shape is not None and got.shape != tuple(shape):
        return None, f"Expected shape {tuple(shape)}, given {got.shape}."
    finite = np.isfinite(got)
    if not np.all(finite):
        bad = np.argwhere(~finite)[0]
        where = f"Entry {_index(bad)}" if got.ndim else "The value"
        return None, f"{where} is {got[tuple(bad)]}: give finite numbers."
    return got, None


def as_array(values, shape: tuple[int, ...] | None = None) -> np.ndarray | None:
    """``values`` as a finite float64 array, or None if :func:`read_array`
    refuses it (not numeric, not finite, or not of ``shape`` when given)."""
    return read_array(values, shape)[0]


def read_number(value):
    """``(float, None)`` for a finite real number (Python or NumPy scalar, or a
    0-d array), or ``(None, why)``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if not is_number(value):
        if isinstance(value, str | bytes):
            return None, "Give the number itself, not text."
        return None, f"Give one number, not {type(value).__name__}."
    try:
        v = float(value)
    except Exception:  # e.g. OverflowError for 10**400
        return None, f"{_fmt(value)} is far too large."
    if not np.isfinite(v):
        return None, f"The value is {v}: give a finite number."
    return v, None


def read_count(value):
    """``(int, None)`` for a whole number: a Python or NumPy integer, or a
    float that is a whole number (``23860.0``), or ``(None, why)``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if is_int(value):
        return int(value), None
    v, why = read_number(value)
    if why is not None:
        return None, why.replace("Give one number", "Give a whole number")
    if not v.is_integer():
        return None, f"{_fmt(v)} is not a whole number: a count is."
    return int(v), None


def read_shape(value):
    """``(tuple of ints, None)`` for a shape typed as a tuple, list or 1-d array
    of whole numbers >= 0, or ``(None, why)``."""
    if isinstance(value, str | bytes) or value is None:
        return None, "Give a shape as a tuple of whole numbers, e.g. (2, 3)."
    try:
        items = list(value)
    except Exception:  # not iterable: a single number, a function ...
        return None, "Give a shape as a tuple of whole numbers, e.g. (2, 3)."
    sizes = []
    for item in items:
        n, why = read_count(item)
        if why is not None or n < 0:
            return None, ("Each size of a shape is a whole number >= 0; "
                          f"{item!r:.40} is not.")
        sizes.append(n)
    return tuple(sizes), None


def read_option(value, options: tuple[str, ...]):
    """``(letter, None)`` for one of ``options`` typed as ``"b"``, ``"(b)"`` or
    ``" B "``, or ``(None, why)``."""
    letters = ", ".join(f'"{o}"' for o in options)
    if not isinstance(value, str):
        return None, f"Give one of {letters} as text."
    letter = value.strip().lower().strip("().").strip()
    if letter not in options:
        return None, f"Give one of {letters}."
    return letter, None


# ---- the one comparison ---------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """How a given array compares with the expected one (see :func:`compare`)."""

    shape_ok: bool
    close: bool
    exact: bool = False
    n_differ: int = 0
    size: int = 0
    largest: float = float("nan")
    where: tuple[int, ...] = ()
    given_shape: tuple[int, ...] = ()
    expected_shape: tuple[int, ...] = ()

    def describe(self) -> str:
        """The comparison report: the shapes when they differ, else exact or
        close, or how many entries differ, the largest difference and where."""
        if not self.shape_ok:
            return (f"Expected shape {self.expected_shape}, given "
                    f"{self.given_shape}.")
        if self.exact:
            return "Exact."
        if self.close:
            return f"Close (largest difference {self.largest:.1e})."
        if self.size == 1 and not self.where:
            return f"It differs from the right value by {self.largest:.4g}."
        return (f"{self.n_differ} of {self.size} entries differ; the largest "
                f"difference, {self.largest:.4g}, is at {_index(self.where)}.")


def compare(given, expected, atol: float = 1e-8, rtol: float = 1e-5) -> Comparison:
    """Compare ``given`` with ``expected`` entry by entry.

    An entry is close when ``|given - expected| <= atol + rtol |expected|``;
    the test is written so that a NaN or infinite entry is never close, and
    arrays of different shapes are never close (nothing is broadcast)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = np.asarray(given, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
        if g.shape != e.shape:
            return Comparison(False, False, given_shape=g.shape,
                              expected_shape=e.shape)
        diff = np.abs(g - e)
        within = diff <= atol + rtol * np.abs(e)  # NaN <= x is False: NaN fails
    diff = np.where(np.isnan(diff), np.inf, diff)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
    return Comparison(True, bool(np.all(within)), bool(np.array_equal(g, e)),
                      int(np.count_nonzero(~within)), int(e.size),
                      float(diff.max(initial=0.0)), tuple(int(i) for i in where),
                      g.shape, e.shape)


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer, computed from the mistake it stands for, and the
    sentence that names that mistake."""

    answer: object
    says: str


def judge_array(given, expected, mistakes=(), atol: float = 1e-8,
                rtol: float = 1e-5, hint: str = "", shape_hint: str = ""):
    """``(True, report)`` if ``given`` is close to ``expected`` (see
    :func:`compare`), else ``(False, why)``: the sentence of the first of
    ``mistakes`` that ``given`` matches, or the comparison report followed by
    ``shape_hint`` when the shape is wrong and by ``hint`` when it is right.
    ``given`` is read with :func:`read_array`, so junk gives ``(False, why)``."""
    got, why = read_array(given)
    if why is not None:
        return False, why
    c = compare(got, expected, atol, rtol)
    if c.close:
        return True, c.describe()
    for m in mistakes:
        if compare(got, m.answer, atol, rtol).close:
            return False, m.says
    return False, (c.describe() + " " + (hint if c.shape_ok else shape_hint)).strip()


def call_reader(fn, *args, name: str = "Your function"):
    """``(result, None)`` from ``fn(*args)``, or ``(None, why)`` if ``fn`` is not
    callable or raises anything: a reader's code may fail in any way, and the
    checker reports it instead of stopping with a traceback."""
    if not callable(fn):
        return None, f"Give a function (or class), not {type(fn).__name__}."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args), None
    except Exception as err:  # the reader's code: report, do not crash
        return None, f"{name} raised {type(err).__name__}: {str(err)[:300]}"


def judge_call(fn, args, expected, mistakes=(), atol: float = 1e-8,
               rtol: float = 1e-5, hint: str = "", shape_hint: str = "",
               name: str = "Your function"):
    """``(ok, why)`` for the result of a reader's ``fn(*args)``: :func:`call_reader`
    then :func:`judge_array` (a crash, junk or a wrong result is ``(False, why)``)."""
    got, why = call_reader(fn, *args, name=name)
    if why is not None:
        return False, why
    return judge_array(got, expected, mistakes, atol, rtol, hint, shape_hint)


@dataclass(frozen=True)
class Case:
    """One trial of a reader's function: ``fn(*args)`` should be ``expected``;
    ``where`` names the trial in a message; ``mistakes`` are known wrong
    results, each with its sentence."""

    where: str
    args: tuple
    expected: object
    mistakes: tuple = ()


def check_cases(fn, cases, right: str, hint: str = "", shape_hint: str = "",
                name: str = "Your function", atol: float = 1e-8,
                rtol: float = 1e-5) -> bool:
    """Run a reader's ``fn`` on each :class:`Case` of ``cases`` and judge it with
    :func:`judge_call`; print "Right. <right>" if all pass, else "Not yet." with
    the first failing case's ``where`` and why, and return whether all passed."""
    for case in cases:
        ok, why = judge_call(fn, case.args, case.expected, case.mistakes, atol, rtol,
                             hint, shape_hint, name)
        if not ok:
            return report(False, "", f"{case.where}: {why}")
    return report(True, right, "")


# ---- answer keys ----------------------------------------------------------------

KINDS = ("count", "number", "array", "shape", "shapes", "option")


def _plain(v):
    """``v`` as JSON-ready lists, floats, ints and strings."""
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


@dataclass(frozen=True)
class AnswerKey:
    """The key of one typed answer of an exercise (one input of its form).

    Attributes
    ----------
    exercise : str
        The exercise's number in the book, e.g. ``"4.1"``.
    checker : str
        The checker's qualified name, e.g. ``"cnnlib.exercises.ch04.check_..."``.
    argument : str
        The checker's argument that receives this answer.
    kind : str
        ``"count"`` (a whole number), ``"number"``, ``"array"``, ``"shape"``,
        ``"shapes"`` (a list of shapes) or ``"option"`` (one letter).
    answer
        The right answer, computed by cnnlib.
    right : str
        The remark printed with "Right.".
    hint : str
        What to think about when the answer is wrong and no mistake is known.
    mistakes : tuple of Mistake
        Known wrong answers, each computed from its mistake, with its sentence.
    atol, rtol : float
        The tolerance of "number" and "array" answers (see :func:`compare`).
    options : tuple of str
        The letters of an "option" answer.
    label : str
        How a message names this part of a several-part answer (default: the
        argument's name).
    """

    exercise: str
    checker: str
    argument: str
    kind: str
    answer: object
    right: str
    hint: str
    mistakes: tuple[Mistake, ...] = ()
    atol: float = 0.0
    rtol: float = 0.0
    options: tuple[str, ...] = field(default=())
    label: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        # a key whose mistakes coincide with the answer or with each other could
        # not name them: refuse it when it is built
        seen = [self.answer]
        for m in self.mistakes:
            value, why = self.read(m.answer)
            if why is not None:
                raise ValueError(f"key {self.exercise}: mistake {m.says!r} is not "
                                 f"a valid answer: {why}")
            if any(self._same(value, s) for s in seen):
                raise ValueError(f"key {self.exercise} {self.argument}: mistake "
                                 f"{m.says!r} coincides with an earlier answer")
            seen.append(value)

    def read(self, value):
        """``(value in canonical form, None)`` or ``(None, why)``."""
        if self.kind == "count":
            return read_count(value)
        if self.kind == "number":
            return read_number(value)
        if self.kind == "array":
            return read_array(value)
        if self.kind == "shape":
            return read_shape(value)
        if self.kind == "option":
            return read_option(value, self.options)
        # "shapes": a sequence of shapes
        if isinstance(value, str | bytes) or value is None:
            return None, "Give a list of shapes, one tuple per layer."
        try:
            items = list(value)
        except Exception:  # not iterable
            return None, "Give a list of shapes, one tuple per layer."
        shapes = []
        for item in items:
            s, why = read_shape(item)
            if why is not None:
                return None, why
            shapes.append(s)
        return tuple(shapes), None

    def _same(self, a, b) -> bool:
        if self.kind in ("number", "array"):
            return compare(a, b, self.atol, self.rtol).close
        return a == b

    def judge(self, value) -> tuple[bool, str]:
        """``(True, right)`` if ``value`` is the key's answer (within the
        tolerance), else ``(False, why)``: the named mistake when ``value`` is a
        known wrong answer, else what differs and the hint. Never raises."""
        got, why = self.read(value)
        if why is not None:
            return False, why
        if self.kind in ("number", "array"):
            ok, why = judge_array(got, self.answer, self.mistakes, self.atol,
                                  self.rtol, self.hint)
            return ok, self.right if ok else why
        if got == self.answer:
            return True, self.right
        for m in self.mistakes:
            if got == self.read(m.answer)[0]:
                return False, m.says
        return False, (self._differs(got) + " " + self.hint).strip()

    def _differs(self, got) -> str:
        if self.kind == "count":
            return "Too large." if got > self.answer else "Too small."
        if self.kind == "shape" and len(got) != len(self.answer):
            return f"Give {len(self.answer)} sizes, given {len(got)}."
        if self.kind == "shapes":
            if len(got) != len(self.answer):
                return f"Give {len(self.answer)} shapes, given {len(got)}."
            first = next(i for i, (g, e) in enumerate(zip(got, self.answer,
                                                          strict=True)) if g != e)
            return f"Shape {first} (counting from 0) is not right."
        return ""

    def to_json(self) -> str:
        """The key as JSON, for a page's answer form."""
        return json.dumps({
            "exercise": self.exercise, "checker": self.checker,
            "argument": self.argument, "kind": self.kind,
            "answer": _plain(self.answer), "atol": self.atol, "rtol": self.rtol,
            "options": list(self.options), "label": self.label or self.argument,
            "right": self.right, "hint": self.hint,
            "mistakes": [{"answer": _plain(m.answer), "says": m.says}
                         for m in self.mistakes]}, ensure_ascii=False)


def check_keys(keys, checker: str, values, right: str | None = None) -> bool:
    """Judge each of ``values`` by the key of ``keys`` for the argument in its
    place of the checker named ``checker``, print one verdict (see
    :func:`verdict`) and return whether all were right."""
    ok, message = verdict(keys_for(keys, checker), values, right)
    print(textwrap.fill(message, WIDTH, break_on_hyphens=False))
    return ok


def verdict(keys, values, right: str | None = None) -> tuple[bool, str]:
    """``(ok, message)`` for ``values``, one a key of ``keys`` (the keys of
    one checker, in the order of its arguments): "Right. <the keys' remarks>"
    when every part is right, else "Not yet. <why>"; with several keys, each
    wrong part's reason is named by its label. ``right`` replaces the keys'
    own remarks. The message is unwrapped; ``book/_static/answers.js`` builds
    the same sentence in a page's answer form."""
    verdicts = [k.judge(v) for k, v in zip(keys, values, strict=True)]
    if all(good for good, _ in verdicts):
        return True, _message(True, right if right is not None else
                              " ".join(dict.fromkeys(k.right for k in keys)))
    if len(keys) == 1:
        return False, _message(False, verdicts[0][1])
    return False, _message(False, " ".join(
        f"{k.label or k.argument}: {_cap(why)}"
        for k, (good, why) in zip(keys, verdicts, strict=True) if not good))


def keys_for(keys, checker: str) -> list[AnswerKey]:
    """The keys of ``keys`` judged by the checker named ``checker``, in the
    order of its arguments."""
    return [k for k in keys if k.checker.rsplit(".", 1)[-1] == checker]
