"""The exercise checkers of the book: one module a chapter.

``cnnlib.exercises.ch04`` holds chapter 4's checkers, and so on;
:mod:`cnnlib.exercises.common` the conversions and the report they share.
A checker judges a reader's answer and prints "Right." or "Not yet." with a
hint; it returns whether the answer was right. Import a chapter's module
explicitly (``from cnnlib.exercises.ch04 import check_strided_delta``).
"""
