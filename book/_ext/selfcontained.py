"""Make the built book self-contained: nothing is fetched from third parties.

A default Jupyter Book 1 page loads MathJax from a CDN and, on pages whose
notebook ran ipywidgets, require.js and the widget manager as well. Offline
(on a plane, in CI) the maths then shows as raw LaTeX. This extension:

* serves MathJax 3 from the book itself: at build time it copies the copy of
  MathJax that ships inside the installed ``sphinx-mathjax-offline`` package
  (a PyPI package; nothing is downloaded) into ``_static/mathjax`` and points
  ``mathjax_path`` at it;
* drops the saved widget state from every page: the book publishes no live
  widget output (widget cells are tagged ``remove-output``), so the state is
  dead weight (``nb_ipywidgets_js = {}`` in ``_config.yml`` drops the manager);
* removes duplicated inline scripts (sphinx-thebe's config is added twice,
  and its second ``const`` declaration is a JavaScript error on every page);
* warns, and so fails a ``-W`` build, if a page would still load a script or
  stylesheet from another host;
* drops the theme's ``fontawesome.js`` (1.5 MB, the heaviest file of every
  page): it only swaps icons for SVGs, and the theme's stylesheet already
  draws every icon with the Font Awesome web font it ships.
"""

from __future__ import annotations

import re
import shutil
from importlib import metadata
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The MathJax combined component the book loads (TeX input, CommonHTML output).
MATHJAX_BUNDLE = "tex-chtml.js"

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def mathjax_source() -> Path:
    """The MathJax 3 folder inside the installed sphinx-mathjax-offline package."""
    dist = metadata.distribution("sphinx-mathjax-offline")
    folder = Path(str(dist.locate_file("sphinx-mathjax-offline/static/mathjax")))
    if not (folder / MATHJAX_BUNDLE).is_file():
        raise RuntimeError(f"MathJax bundle {MATHJAX_BUNDLE} not found in {folder}")
    return folder


def copy_mathjax(app: Sphinx, exc: Exception | None) -> None:
    if exc is not None or app.builder.format != "html":
        return
    src = mathjax_source()
    dest = Path(app.outdir) / "_static" / "mathjax"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    # Of the top-level files only the bundle is copied: the others are unused
    # bundles and ``latest.js``, which looks MathJax up on a CDN. The folders
    # are copied: MathJax loads fonts and TeX extensions from them on demand.
    for item in src.iterdir():
        if item.is_dir():
            shutil.copytree(item, dest / item.name,
                            ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(src / MATHJAX_BUNDLE, dest / MATHJAX_BUNDLE)


_FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def drop_fontawesome_js(app: Sphinx, exc: Exception | None) -> None:
    """Remove the Font Awesome script tag from every built page."""
    if exc is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _FONTAWESOME_JS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def clean_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict,
                      doctree) -> None:
    """Deduplicate scripts, drop widget state, and flag third-party assets."""
    scripts = context.get("script_files")
    if scripts is None:
        return
    seen, kept = set(), []
    for js in scripts:
        attrs = dict(getattr(js, "attributes", {}))
        if attrs.get("type") == WIDGET_STATE:
            continue
        # Sphinx re-adds registered inline scripts with filename "" besides the
        # original None, so both spellings of "no file" are one key.
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted(attrs.items())))
        if key in seen:
            continue
        seen.add(key)
        kept.append(js)
    scripts[:] = kept  # the builder restores its own list after each page
    for asset in list(kept) + list(context.get("css_files", [])):
        url = str(getattr(asset, "filename", asset) or "")
        if _is_external(url):
            logger.warning("page %s would load %s from another host", pagename, url,
                           type="selfcontained", subtype="external")


def use_local_mathjax(app: Sphinx, config) -> None:
    """Point ``mathjax_path`` at the copy in ``_static`` (a relative path is
    resolved against ``_static`` by ``sphinx.ext.mathjax``)."""
    if _is_external(str(config.mathjax_path)):
        config.mathjax_path = f"mathjax/{MATHJAX_BUNDLE}"


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_local_mathjax)
    app.connect("html-page-context", clean_page_assets, priority=900)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", drop_fontawesome_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
