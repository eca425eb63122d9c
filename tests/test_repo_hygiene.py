"""Conventions of the repository that a contributor could break without noticing."""

import json
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "book").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert dirty == [], f"{path.name}: cells {dirty} carry outputs; clear them"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_every_page_in_book_is_in_the_toc_and_every_toc_entry_exists():
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    listed = {toc["root"]} | {ch["file"] for part in toc["parts"]
                              for ch in part["chapters"]}
    pages = {f"book/{p.stem}" for p in (REPO / "book").iterdir()
             if p.suffix in (".md", ".ipynb")}
    assert pages - listed == set(), "pages in book/ that the toc leaves out"
    assert listed - pages == set(), "toc entries with no page"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_ends_with_a_bare_glue_call(path):
    """glue() returns its value; as a cell's last expression Jupyter would print
    it as a stray number on the page."""
    import ast

    nb = json.loads(path.read_text(encoding="utf-8"))
    bare = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        body = ast.parse("".join(cell["source"])).body
        last = body[-1] if body else None
        if (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                and getattr(last.value.func, "id", None) == "glue"):
            bare.append(cell.get("id"))
    assert bare == [], f"{path.name}: cells {bare} end with glue(...): _ = glue(...)"
