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
from dataclasses import dataclass

__all__ = ["AnswerForm", "answer_form", "run_pointer"]


def _keys_of(exercise: str) -> list:
    from cnnlib.exercises import answer_keys

    return [k for k in answer_keys() if k.exercise == exercise]


def _json_for_script(keys) -> str:
    """The keys as a JSON list that cannot end its <script> element early."""
    body = "[" + ",".join(k.to_json() for k in keys) + "]"
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
        f'<p class="answer-note">Check your answer with <code>{name}({args})'
        f'</code> in a code cell.</p>')


def run_pointer(exercise: str, checker: str) -> AnswerForm:
    """A line for a code exercise's page: its answer is a function, checked
    by ``checker`` (a ``check_*`` name) in the chapter's notebook, and where
    that notebook can be run. Hidden in a notebook (nothing to point to)."""
    for name, value in (("exercise", exercise), ("checker", checker)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty string, got {value!r}")
    if _keys_of(exercise):
        raise ValueError(f"exercise {exercise!r} has an answer key: use "
                         f"answer_form({exercise!r})")
    return AnswerForm(
        f'<p class="run-pointer" data-exercise="{html.escape(exercise)}">'
        f'Exercise {html.escape(exercise)} asks for code: write it in this '
        f'chapter\'s notebook and check it there with '
        f'<code>{html.escape(checker)}(...)</code>. Get the notebook with the '
        f'download button (.ipynb) at the top of this page, or run '
        f'<code>make lab</code> in a clone of the book.</p>')
