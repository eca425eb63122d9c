"""The book's two Sphinx extensions (book/_ext), function by function."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("sphinx")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))

import apiref  # noqa: E402
import selfcontained  # noqa: E402
from sphinx.builders.html._assets import _JavaScript  # noqa: E402

# -- apiref ------------------------------------------------------------------


def test_bars_are_escaped_outside_code_and_roles():
    line = "eps·|f|/h, ``|x|`` and :math:`|y|` and `|z|`"
    assert apiref.escape_bars(line) == "eps·\\|f\\|/h, ``|x|`` and :math:`|y|` and `|z|`"


def test_bars_in_literal_blocks_are_left_alone():
    lines = ["Text |a|::", "", "    |b| stays", "", "after |c|"]
    assert apiref.escape_docstring_bars(lines) == [
        "Text \\|a\\|::", "", "    |b| stays", "", "after \\|c\\|"]


def test_an_indented_formula_becomes_a_text_code_block():
    lines = ["Computes", "", "    z[x] = b", "           + sum_i a[x+i] w[i]", "",
             "for x = 0..3."]
    out = apiref.literal_formula_blocks(lines)
    assert out[:3] == ["Computes", "", ".. code-block:: text"]
    assert "    z[x] = b" in out and "           + sum_i a[x+i] w[i]" in out
    assert out[-1] == "for x = 0..3." and out[-2] == ""


def test_numpydoc_parameter_descriptions_are_not_code_blocks():
    lines = ["Parameters", "----------", "x : array", "    The input.", "",
             "    A second paragraph."]
    assert apiref.literal_formula_blocks(lines) == lines


def test_napoleon_attribute_type_split_is_undone():
    lines = ["what the figure shows.", "", ":type: Alt text"]
    apiref.rejoin_attribute_type(None, "attribute", "x", None, None, lines)
    assert lines == ["Alt text: what the figure shows."]
    other = ["Text.", "", ":type: int"]
    apiref.rejoin_attribute_type(None, "function", "f", None, None, other)
    assert other == ["Text.", "", ":type: int"]


def test_lookup_finds_reexports_and_misses_typos():
    import cnnlib
    from cnnlib.conv import conv2d_forward

    assert apiref._lookup("cnnlib.conv2d_forward") is conv2d_forward
    assert apiref._lookup("cnnlib") is cnnlib
    assert apiref._lookup("cnnlib.conv2d_froward") is apiref._MISSING
    assert apiref._lookup("cnnlib.nope.thing") is apiref._MISSING


def test_toplevel_names_map_to_their_defining_modules():
    import cnnlib

    for name in cnnlib.__all__:
        if not name.startswith("__"):
            module = apiref._defining_module("cnnlib", name, getattr(cnnlib, name))
            assert module.startswith("cnnlib.")


# -- selfcontained --------------------------------------------------------------


def _page(scripts, css=()):
    return {"script_files": list(scripts), "css_files": list(css)}


def test_duplicate_inline_scripts_and_widget_state_are_dropped():
    thebe = "const THEBE_JS_URL = 'x'"
    ctx = _page([
        _JavaScript(None, body=thebe),
        _JavaScript("", body=thebe),  # Sphinx's second spelling of "no file"
        _JavaScript(None, type=selfcontained.WIDGET_STATE, body="{}"),
        _JavaScript("_static/doctools.js"),
    ])
    app = SimpleNamespace()
    selfcontained.clean_page_assets(app, "p", "page.html", ctx, None)
    kept = [(js.filename, js.attributes.get("body")) for js in ctx["script_files"]]
    assert kept == [(None, thebe), ("_static/doctools.js", None)]


def test_a_third_party_script_is_a_build_warning(caplog):
    ctx = _page([_JavaScript("https://cdn.example.org/x.js")])
    with caplog.at_level("WARNING"):
        selfcontained.clean_page_assets(SimpleNamespace(), "p", "page.html", ctx, None)
    assert "would load https://cdn.example.org/x.js" in caplog.text


def test_mathjax_comes_from_an_installed_package():
    folder = selfcontained.mathjax_source()
    assert (folder / selfcontained.MATHJAX_BUNDLE).is_file()
    assert list((folder / "output" / "chtml" / "fonts").rglob("*.woff"))


def test_the_fontawesome_script_tag_is_recognised():
    tag = ('\n  <script defer src="../_static/scripts/fontawesome.js?digest=55c2">'
           '</script>')
    assert selfcontained._FONTAWESOME_JS.sub("", "<head>" + tag + "</head>") == (
        "<head></head>")
