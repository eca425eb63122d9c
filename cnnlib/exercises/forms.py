"""Answer forms: an exercise's answer keys as a form in the rendered book.

A chapter notebook shows the form with a cell tagged ``remove-input``::

    from cnnlib.exercises import answer_form
    answer_form("4.1")

The cell's output is a small piece of HTML: the exercise's keys as JSON
(:meth:`~cnnlib.exercises.common.AnswerKey.to_json`) inside an element that
``book/_static/answers.js`` turns into the form (one input per number, Check,
a verdict) and judges with the same decisions and words as
:func:`cnnlib.exercises.common.verdict`. Without that script, in JupyterLab,
the form stays hidden and a line points to the Python checker instead.

Code exercises (write a function) keep their Python checker; :func:`run_pointer`
puts a line in the page that says where the notebook can be run.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

__all__ = ["AnswerForm", "answer_form", "run_pointer"]


def _keys_of(exercise: str) -> list:
    from cnnlib.exercises import answer_keys

    return [k for k in answer_keys() if k.exercise == exercise]


def _whole(v):
    """``v`` with whole floats as ints (2.0 -> 2): the same numbers in JSON."""
    if isinstance(v, list):
        return [_whole(x) for x in v]
    if isinstance(v, dict):
        return {k: _whole(x) for k, x in v.items()}
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def _json_for_script(keys) -> str:
    """The keys (``to_json``, less the checker's name) as one compact JSON
    list that cannot end its <script> element early."""
    plain = [json.loads(k.to_json()) for k in keys]
    for key in plain:
        del key["checker"]  # the note beside the form names it; the page needs it not
    body = json.dumps([_whole(key) for key in plain],
                      ensure_ascii=False, separators=(",", ":"))
    return body.replace("<", "\\u003c").replace(">", "\\u003e")


@dataclass(frozen=True)
class AnswerForm:
    """HTML for a notebook output; ``_repr_html_`` is what the page shows."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the text/plain output: nothing to read there
        return ""


def answer_form(exercise: str) -> AnswerForm:
    """The answer form of ``exercise`` (e.g. ``"4.1"``): its keys, all judged
    by one checker, as JSON in a ``<div class="answer-form">`` that
    ``answers.js`` fills in, and a note (hidden in the book by its CSS) that
    names the checker for a notebook's reader.

    Raises ValueError if ``exercise`` has no answer key (a code exercise:
    see :func:`run_pointer`)."""
    if not isinstance(exercise, str):
        raise TypeError(f"exercise must be a string like '4.1', got "
                        f"{type(exercise).__name__}")
    keys = _keys_of(exercise)
    if not keys:
        raise ValueError(f"exercise {exercise!r} has no answer key; a code "
                         f"exercise gets run_pointer({exercise!r}, checker)")
    checkers = {k.checker for k in keys}
    if len(checkers) != 1:  # one form, one verdict: one checker
        raise ValueError(f"exercise {exercise!r} has keys of several checkers: "
                         f"{sorted(checkers)}")
    name = keys[0].checker.rsplit(".", 1)[-1]
    args = ", ".join(k.argument for k in keys)
    return AnswerForm(
        f'<div class="answer-form" data-exercise="{html.escape(exercise)}" hidden>'
        f'<script type="application/json">{_json_for_script(keys)}</script></div>'
        f'<p class="answer-note">Check with <code>{name}({args})</code>.</p>')


def run_pointer(exercise: str, checker: str) -> AnswerForm:
    """A line for the page of an exercise whose answer cannot be typed in a
    form (a function, a kernel of some property): its ``checker`` (a
    ``check_*`` name) runs in the chapter's notebook, and this says where that
    notebook can be run."""
    for name, value in (("exercise", exercise), ("checker", checker)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty string, got {value!r}")
    if _keys_of(exercise):
        raise ValueError(f"exercise {exercise!r} has an answer key: use "
                         f"answer_form({exercise!r})")
    name = html.escape(checker)
    return AnswerForm(
        f'<p class="run-pointer">'
        f'Exercise {html.escape(exercise)} is checked by <code>{name}(...)</code> '
        f'in this chapter\'s notebook: run it live (top of the page), download it '
        f'(.ipynb) or use <code>make lab</code>.</p>')
