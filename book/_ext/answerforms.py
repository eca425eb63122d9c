"""Ship ``book/_static/answers.js`` (the exercises' answer forms) without its
comments and indentation.

The answer forms may add at most 20 KiB to a page (issue 18). The script's
source keeps its comments for readers of the repository; the built book gets
:func:`strip_js` of it: blank lines, whole-line ``//`` comments and leading
spaces dropped. That changes no statement, because no string of the file spans
lines (tests/test_answer_forms.py runs both versions under node).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx


def strip_js(text: str) -> str:
    """``text`` without blank lines, whole-line ``//`` comments and indentation."""
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(s for s in lines if s and not s.startswith("//")) + "\n"


def shrink_answers_js(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / "_static" / "answers.js"
    if path.is_file():
        path.write_text(strip_js(path.read_text(encoding="utf-8")), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.connect("build-finished", shrink_answers_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
