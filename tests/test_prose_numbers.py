"""Every number a page states in its prose comes from code.

The scan reads the markdown of each notebook in ``book/`` (and the ``.md``
pages) and finds the figures a sentence states: runs of digits that stand as a
word of their own. It skips what is not prose:

- math: ``$...$``, ``$$...$$``, ``\\begin...\\end`` and the ``{math}`` role;
- code: fenced blocks (also directives written with backticks, such as
  ``{literalinclude}``) and code spans, which covers every role (``{glue:text}``,
  ``{eq}``, ``{ref}``, ...); link targets; MyST labels ``(name)=``; headings;
- exercise statements: from a paragraph that starts with ``**Exercise`` to the
  ``Solution`` admonition that follows it (the solution is prose and is scanned);
- the allow-list below: numbers that name something rather than state a
  result: chapter, exercise, section, step and part numbers; the 180 of "180
  degrees"; a year; a Python version; the 0 of "indices start at 0"; an ordered
  list's item number; "stride 1" (the plain layer); the 4 of "4-D";
- the sections called "References" (volumes and pages).

A percentage is read as the fraction it stands for: "97 percent" is 0.97.

A figure that remains is *bound* when either

1. it is rendered with myst-nb ``glue`` (then it is inside a ``{glue:...}`` role
   and the scan never sees a digit), or
2. the same number (as a value: ``1,797`` and ``1797.0`` are 1797) appears in an
   ``assert`` statement of a code cell in the same section of the notebook, a
   section running from one heading (any level) to the next.

The ``.md`` pages have no code cells, so they may state no figure outside the
allow-list: what they need is computed in a notebook and linked.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "book").glob("*.ipynb"))
PAGES = sorted((REPO / "book").glob("*.md"))

#: Stripped before the scan, in order: each pattern is replaced by a space.
NOT_PROSE = [
    r"```.*?```",                                   # fenced code and directives
    r"~~~.*?~~~",
    r"<!--.*?-->",                                  # comments
    r"\$\$.*?\$\$",                                 # display math
    r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}",
    r"(?<!\\)\$(?:\\.|[^$\\])+?\$",                 # inline math
    r"\{[\w:-]+\}`[^`]*`",                          # roles: glue, math, eq, ...
    r"``[^`]+``|`[^`\n]+`",                         # code spans
    r"\]\([^)]*\)",                                 # link targets
    r"<https?://[^>]*>|https?://\S+",               # bare links
    r"^\(\S+\)=[ \t]*$",                             # labels
    r"^#+ [^\n]*$",                                 # headings
    r"^:::\{[^}]*\}[^\n]*$|^:[\w-]+:[^\n]*$",       # directive heads, options
]

#: Numbers that name a thing rather than state a result.
ALLOWED = [
    r"(?i)\b(?:chapters?|exercises?|sections?|parts?|steps?|BP)\s*"
    r"\d+(?:\.\d+)?(?:\s*(?:[-–,]|and|or|to)\s*\d+(?:\.\d+)?)*",
    r"\b180\s*(?:°|degrees?|-degree)",
    r"\b[01]-based\b",
    r"(?i)\b(?:start(?:s|ing)?|indexed|numbered|counted|renumbering them)"
    r"\s+(?:at|from)\s+0\b",
    r"\bat index 0\b",
    r"\bPython \d+\.\d+",                           # a version
    r"\b(?:19[5-9]\d|20[0-2]\d)[a-z]?\b",           # a year
    r"^[ \t]*\d+\.[ \t]",                            # an ordered list's item
    r"\b(?:stride|dilation) 1\b|\bpadding 0\b",     # the plain layer's settings
    r"[\w.-]+/[\w.-]+#\d+|\b[\w.-]+#\d+",             # a cited issue: owner/repo#N
    r"\b\w+\[\d+\]",                                # an index in code: dilation[0]
    r"\b\d-D\b",                                   # a number of dimensions
]

#: "97 percent" and "97%" are the fraction 0.97, as code computes it.
PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:percent\b|%)")

#: Sections whose numbers are bibliographic (volume, pages), never results.
SKIPPED_SECTIONS = {"References"}

#: A figure: digits standing alone (not part of a word like ``BP1`` or
#: ``rot180``), with an optional decimal part or thousands separators.
FIGURE = re.compile(r"(?<![\w.\-\\])\d+(?:[.,]\d+)*(?![\w]|\.\d)")

EXERCISE = re.compile(r"^\*\*Exercise.*?(?=^:::\{admonition\}\s*Solution)",
                      re.M | re.S)


@dataclass
class Unbound:
    page: str
    section: str
    figure: str
    context: str

    def __str__(self):
        return (f"{self.page} [{self.section}]: {self.figure!r} in "
                f"...{self.context}...")


def value(text: str):
    """The number a figure stands for: ``1,797`` -> 1797, ``0.39`` -> 0.39."""
    text = text.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", text) \
        else text
    try:
        return float(text)
    except ValueError:
        return None


def prose(markdown: str) -> str:
    """The markdown with everything that is not a sentence blanked out."""
    text = EXERCISE.sub(" ", markdown)
    for pattern in NOT_PROSE:
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text, flags=re.M)
    return PERCENT.sub(lambda m: repr(float(m.group(1)) / 100), text)


def figures(markdown: str) -> list[tuple[str, str]]:
    """(figure, its context) for each figure the prose states."""
    text = prose(markdown)
    found = []
    for m in FIGURE.finditer(text):
        if "," in m.group() and not re.fullmatch(r"\d{1,3}(,\d{3})+", m.group()):
            for part in m.group().split(","):       # "2,5" is a list, not 25
                found.append((part, text[max(0, m.start() - 40):m.end() + 40]))
            continue
        found.append((m.group(), text[max(0, m.start() - 40):m.end() + 40]))
    return [(f, " ".join(c.split())) for f, c in found]


def asserted_numbers(code: str) -> set[float]:
    """Every numeric literal inside an ``assert`` statement of ``code``."""
    try:
        tree = ast.parse(code)
    except SyntaxError:                              # IPython magics
        tree = ast.parse("\n".join(line for line in code.splitlines()
                                   if not line.lstrip().startswith(("%", "!"))))
    numbers = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Constant) and isinstance(
                        sub.value, (int, float)) and not isinstance(sub.value, bool):
                    numbers.add(float(sub.value))
    return numbers


def sections(cells: list[dict]) -> list[tuple[str, list[str], set[float]]]:
    """Split a notebook at its headings: (heading, markdown chunks, asserted)."""
    out = [["(top)", [], set()]]
    for cell in cells:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code":
            out[-1][2] |= asserted_numbers(src)
            continue
        if cell["cell_type"] != "markdown":
            continue
        chunk, fence = [], False
        for line in src.splitlines(keepends=True):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            if not fence and re.match(r"#+ ", line):
                out[-1][1].append("".join(chunk))
                out.append([line.strip("# \n"), [], set()])
                chunk = []
            chunk.append(line)
        out[-1][1].append("".join(chunk))
    return [tuple(s) for s in out]


def unbound_in_notebook(path: Path) -> list[Unbound]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = []
    for heading, chunks, asserted in sections(nb["cells"]):
        if heading in SKIPPED_SECTIONS:
            continue
        for chunk in chunks:
            for fig, context in figures(chunk):
                if value(fig) not in asserted:
                    missing.append(Unbound(path.name, heading, fig, context))
    return missing


def unbound_in_page(path: Path) -> list[Unbound]:
    text = path.read_text(encoding="utf-8")
    return [Unbound(path.name, "page", f, c) for f, c in figures(text)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_in_a_notebook_is_glued_or_asserted(path):
    missing = unbound_in_notebook(path)
    assert not missing, (
        f"{len(missing)} figure(s) in the prose of {path.name} come from no code; "
        "render each with glue or assert it in a code cell of its section:\n"
        + "\n".join(map(str, missing)))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_a_markdown_page_states_no_computed_figure(path):
    missing = unbound_in_page(path)
    assert not missing, "\n".join(map(str, missing))


# ---------------------------------------------------------------------------
# The scan itself: what it must catch and what it must leave alone.

def test_scan_finds_a_typed_figure_and_skips_math_code_and_names():
    md = ("Rows 2, 5 and 8 are never read; see chapter 4 and Exercise 3.4. "
          "$s = 3$ and `w[0]` and {eq}`ch7-stride` and a 180° turn "
          "(Odena, 2016), 0.39 of the gradient.")
    assert [f for f, _ in figures(md)] == ["2", "5", "8", "0.39"]


def test_scan_skips_exercise_statements_but_not_their_solutions():
    md = ("**Exercise 1.3 (counting).** A network of 784 inputs.\n\n"
          ":::{admonition} Solution\n:class: dropdown\nIt has 23860 weights.\n:::\n")
    assert [f for f, _ in figures(md)] == ["23860"]


def test_a_figure_is_bound_by_an_assert_in_its_section_only():
    cells = [
        {"cell_type": "markdown", "source": ["## A\n", "It has 23860 weights.\n"]},
        {"cell_type": "code", "source": ["n = count()\n", "assert n == 23_860\n"]},
        {"cell_type": "markdown", "source": ["## B\n", "And 42 more.\n"]},
        {"cell_type": "code", "source": ["print(42)\n"]},
    ]
    (a, _, bound_a), (b, _, bound_b) = sections(cells)[1:]
    assert 23860.0 in bound_a and 42.0 not in bound_b
    assert value("1,797") == 1797.0 and value("0.39") == 0.39
