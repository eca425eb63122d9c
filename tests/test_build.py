"""The book builds with jupyter-book, every notebook executed, with no warning."""

import html.parser
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
#: <link rel=...> kinds that make the browser fetch something.
FETCHING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch",
                 "manifest", "apple-touch-icon"}


class _Assets(html.parser.HTMLParser):
    """URLs a page fetches by itself: script src, link href, img src."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and set((a.get("rel") or "").split()) & FETCHING_RELS:
            self.urls.append(a.get("href") or "")
        elif tag in ("img", "iframe", "source", "video", "audio") and a.get("src"):
            self.urls.append(a["src"])


def test_book_builds_with_zero_warnings(book_build):
    assert book_build.returncode == 0, book_build.log[-3000:]
    assert book_build.warnings == [], "\n".join(book_build.warnings)


def test_every_page_of_the_toc_is_built(book_build):
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]] + [ch["file"] for part in toc.get("parts", [])
                             for ch in part.get("chapters", [])]
    missing = [f for f in files if not (book_build.html / f"{f}.html").is_file()]
    assert not missing, f"pages missing from the build: {missing}"


def test_no_page_fetches_anything_from_another_host(book_build):
    offenders = {}
    for page in sorted(book_build.html.rglob("*.html")):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in parser.urls if u.startswith(("http:", "https:", "//"))]
        if remote:
            offenders[str(page.relative_to(book_build.html))] = remote
    assert not offenders, f"pages loading from other hosts: {offenders}"


def test_mathjax_is_served_from_the_book(book_build):
    mathjax = book_build.html / "_static" / "mathjax"
    assert (mathjax / "tex-chtml.js").is_file()
    assert list(mathjax.rglob("*.woff")), "MathJax's CommonHTML fonts were not copied"
    assert not (mathjax / "latest.js").exists(), "latest.js looks MathJax up on a CDN"


def test_no_published_page_carries_widget_state(book_build):
    # widget outputs are not published, so neither is their saved state
    state = "application/vnd.jupyter.widget-state+json"
    carrying = [str(p.relative_to(book_build.html))
                for p in book_build.html.rglob("*.html")
                if state in p.read_text(encoding="utf-8")]
    assert not carrying, f"pages with saved widget state: {carrying}"
