"""Adjustments that let the API reference page (book/api.md) build clean with
``-W -n`` from docstrings written for readers of the source.

Docstrings are valid reStructuredText as written (formulas are literal blocks
introduced by ``::``, bars ``|x|`` stand in literal text); nothing here rewrites
them. What it does:

* ``cnnlib`` returns caches as ``NamedTuple`` classes whose docstrings list the
  fields under "Attributes". autodoc would document every field a second time,
  as "Alias for field number N"; those entries are skipped.
* napoleon reads an attribute's docstring "Alt text: what it shows" as
  type "Alt text" plus a description. cnnlib gives attribute types as
  annotations, never that way, so the split is undone.
* Docstrings refer to re-exported names (``cnnlib.conv2d_forward``,
  ``cnnlib.viz.Drawing``). autodoc documents each object once, under the module
  that defines it; a reference to a re-export is resolved to that entry. A
  reference to something that exists but has no entry (a module constant, an
  undocumented method) is shown as code; only a name that does not exist at
  all is reported.
* NumPy, SciPy, matplotlib, ipywidgets and PyTorch are named in docstrings but
  not documented here (there is no intersphinx: the build downloads nothing),
  so references into them are not reported as missing.

Two directives keep the page in step with the package without hand-kept lists:

``.. toplevel-summary:: cnnlib``
    an autosummary table of every name in ``cnnlib.__all__``, grouped by the
    module that defines it;
``.. automodules:: cnnlib.viz``
    ``automodule`` with ``:members:`` for every public submodule, optionally
    restricted with ``:include:`` (glob patterns) and ``:exclude:`` (names).
"""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
import sys

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

#: Packages whose objects docstrings mention but this book does not document.
EXTERNAL = ("numpy", "scipy", "matplotlib", "ipywidgets", "IPython", "torch",
            "sklearn", "PIL")



def skip_namedtuple_aliases(app, what, name, obj, skip, options):
    doc = getattr(obj, "__doc__", None) or ""
    if doc.startswith("Alias for field number"):
        return True
    return None


def rejoin_attribute_type(app, what, name, obj, options, lines):
    """Undo napoleon's "type: description" split of an attribute docstring.

    napoleon turns ``T: text`` into ``text`` followed by a blank line and
    ``:type: T``; this puts ``T: `` back in front of the text.
    """
    if what not in ("attribute", "data", "property"):
        return
    for j in range(len(lines) - 1, 0, -1):
        if lines[j].startswith(":type: ") and not lines[j - 1].strip():
            kind = lines[j][len(":type: "):]
            del lines[j - 1:j + 1]
            first = next((i for i, line in enumerate(lines) if line.strip()), None)
            if first is None:
                lines.insert(0, kind)
            else:
                lines[first] = f"{kind}: {lines[first]}"
            return


_MISSING = object()


def _lookup(target: str):
    """The object a dotted name like ``cnnlib.viz.Drawing.update`` names."""
    head, rest = target, []
    while head:
        try:
            obj = importlib.import_module(head)
            break
        except ImportError:
            head, _, part = head.rpartition(".")
            rest.insert(0, part)
    else:
        return _MISSING
    for part in rest:
        obj = getattr(obj, part, _MISSING)
        if obj is _MISSING:
            return _MISSING
    return obj


def resolve_reexport(app: Sphinx, env, node, contnode):
    """Resolve a reference to a cnnlib object that has no entry under that name.

    A re-exported name (``cnnlib.conv2d_forward``, or ``Drawing`` inside
    ``cnnlib.viz``) is resolved to the entry of the module that defines it.
    A name that exists but is documented nowhere (a constant, an
    undocumented method) is shown as plain code. Only a name that does not
    exist at all is left to Sphinx, which reports it.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip("~.")
    module = node.get("py:module") or ""
    klass = node.get("py:class") or ""
    candidates = [target] if target.startswith("cnnlib.") else []
    if module.startswith("cnnlib") and not target.startswith("cnnlib."):
        if klass:
            candidates.append(f"{module}.{klass}.{target}")
        candidates.append(f"{module}.{target}")
    domain = env.get_domain("py")
    for name in candidates:
        obj = _lookup(name)
        if obj is _MISSING:
            continue
        real = (f"{obj.__module__}.{obj.__qualname__}"
                if isinstance(getattr(obj, "__module__", None), str)
                and hasattr(obj, "__qualname__") else None)
        if real and real != node.get("reftarget"):
            new = node.deepcopy()
            new["reftarget"] = real
            for reftype in (node["reftype"], "obj"):
                found = domain.resolve_xref(env, node["refdoc"], app.builder,
                                            reftype, real, new, contnode)
                if found is not None:
                    return found
        return contnode  # it exists, but has no entry of its own
    return None


def ignore_external(app: Sphinx, env, node, contnode):
    """Accept references into undocumented third-party packages as plain text."""
    target = node.get("reftarget", "")
    if node.get("refdomain") == "py" and target.split(".")[0] in EXTERNAL:
        return contnode if isinstance(contnode, nodes.Node) else None
    return None


def _defining_module(package: str, name: str, obj) -> str:
    """The module of ``package`` that defines ``obj`` (exported as ``name``)."""
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and module.startswith(package + "."):
        return module
    for modname, mod in sorted(sys.modules.items()):  # plain data, e.g. a dict
        if (modname.startswith(package + ".") and mod is not None
                and name in getattr(mod, "__all__", ())
                and getattr(mod, name, None) is obj):
            return modname
    raise ValueError(f"{package}.{name}: cannot tell which module defines it")


def _public_submodules(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    return sorted(info.name for info in pkgutil.iter_modules(pkg.__path__)
                  if not info.name.startswith("_"))


class _RstDirective(SphinxDirective):
    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.container()
        source = self.get_source_info()[0]
        self.state.nested_parse(StringList(lines, source=source), self.content_offset,
                                node)
        return node.children


class ToplevelSummary(_RstDirective):
    """Autosummary tables of a package's ``__all__``, one per defining module."""

    required_arguments = 1

    def run(self):
        package = self.arguments[0]
        pkg = importlib.import_module(package)
        groups: dict[str, list[str]] = {}
        for name in pkg.__all__:
            if name.startswith("__"):
                continue
            module = _defining_module(package, name, getattr(pkg, name))
            groups.setdefault(module, []).append(name)
        lines = []
        for module, names in groups.items():
            lines += [f".. currentmodule:: {module}", "", ".. autosummary::",
                      "   :nosignatures:", ""]
            lines += [f"   {name}" for name in names] + [""]
        return self._parse(lines)


class AutoModules(_RstDirective):
    """``automodule :members:`` for every public submodule of a package."""

    required_arguments = 1
    option_spec = {"include": directives.unchanged, "exclude": directives.unchanged}

    def run(self):
        package = self.arguments[0]
        include = (self.options.get("include") or "*").split()
        exclude = set((self.options.get("exclude") or "").split())
        lines = []
        for name in _public_submodules(package):
            if name in exclude or not any(fnmatch.fnmatch(name, p) for p in include):
                continue
            lines += [f".. automodule:: {package}.{name}", "   :members:", ""]
        return self._parse(lines)


def setup(app: Sphinx) -> dict:
    app.add_directive("toplevel-summary", ToplevelSummary)
    app.add_directive("automodules", AutoModules)
    app.connect("autodoc-skip-member", skip_namedtuple_aliases)
    app.connect("autodoc-process-docstring", rejoin_attribute_type, priority=600)
    app.connect("missing-reference", resolve_reexport)
    app.connect("missing-reference", ignore_external, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
