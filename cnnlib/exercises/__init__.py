"""The exercise checkers of the book: one module a chapter.

``cnnlib.exercises.ch04`` holds chapter 4's checkers, and so on;
:mod:`cnnlib.exercises.common` the conversions, the comparison and the answer
keys they share. A checker judges a reader's answer and prints "Right." or
"Not yet." with a hint; it returns whether the answer was right, and it never
raises. Import a chapter's module explicitly
(``from cnnlib.exercises.ch04 import check_strided_delta``).

Every exercise whose answer can be typed (a count, a number, a shape, a small
array or an option) has an answer key in its chapter's module; the checker
judges from it, and :func:`answer_keys` lists them all, e.g. for a page's
answer forms (``key.to_json()``): :func:`answer_form` puts one in a page.
"""

from __future__ import annotations

import importlib

from cnnlib.exercises.forms import answer_form, run_pointer

__all__ = ["CHAPTERS", "answer_form", "answer_keys", "chapter_modules", "run_pointer"]

#: The chapter modules, in book order.
CHAPTERS = ("ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07")


def chapter_modules() -> list:
    """The chapter modules ``cnnlib.exercises.ch01`` ... ``ch07``, imported."""
    return [importlib.import_module(f"{__name__}.{name}") for name in CHAPTERS]


def answer_keys() -> list:
    """Every :class:`~cnnlib.exercises.common.AnswerKey` of the book, in
    exercise order (a several-part answer has one key a part, in the order of
    its checker's arguments)."""
    return [key for module in chapter_modules() for key in module.answer_keys()]
