"""The book's two Sphinx extensions (book/_ext), function by function."""

import importlib
import inspect
import pkgutil
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


def _cnnlib_docstrings():
    import cnnlib

    names = ["cnnlib"] + [m.name for m in pkgutil.walk_packages(cnnlib.__path__,
                                                                "cnnlib.")]
    for name in names:
        module = importlib.import_module(name)
        yield name, module
        for attr, obj in vars(module).items():
            if getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{name}.{attr}", obj
            if inspect.isclass(obj):
                for meth, fn in vars(obj).items():
                    if inspect.isfunction(getattr(fn, "__func__", fn)):
                        yield f"{name}.{attr}.{meth}", getattr(fn, "__func__", fn)


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def test_docstring_formulas_are_literal_blocks_introduced_by_two_colons():
    """An indented block after a blank line is a block quote in rST (and a
    formula with a continuation line a definition list): the API page would
    set formulas in prose type. Each must be a literal block (``::``)."""
    bad = []
    for name, obj in _cnnlib_docstrings():
        lines = (inspect.getdoc(obj) or "").splitlines()
        prev = None
        for k, line in enumerate(lines):
            if (line.strip() and prev is not None and not lines[k - 1].strip()
                    and _indent(line) > _indent(prev)
                    and not prev.rstrip().endswith("::")
                    and not prev.lstrip().startswith(".. ")):
                bad.append(f"{name}: {prev.strip()!r} then {line.strip()!r}")
            if line.strip():
                prev = line
    assert not bad, "\n".join(bad)


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
