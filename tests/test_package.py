"""The package as a whole: the contract's names, and an import with no side effects."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cnnlib
from cnnlib import rules

# Every name DESIGN.md promises at the top level.
CONTRACT = [
    "correlate2d", "convolve2d", "rot180",
    "conv2d_forward", "conv2d_backward",
    "conv2d_forward_naive", "conv2d_backward_naive",
    "conv_transpose2d", "conv2d_as_dense",
    "max_pool2d_forward", "max_pool2d_backward",
    "avg_pool2d_forward", "avg_pool2d_backward",
    "numerical_gradient", "relative_error",
]


def test_every_contract_name_is_importable_from_the_top_level():
    missing = [name for name in CONTRACT if not callable(getattr(cnnlib, name, None))]
    assert missing == []
    assert set(CONTRACT) <= set(cnnlib.__all__)


def test_import_loads_numerics_only_and_changes_no_global_state():
    code = (
        "import sys, numpy as np\n"
        "state = np.random.get_state()[1].copy()\n"
        "import cnnlib\n"
        "heavy = [m for m in ('matplotlib', 'scipy', 'ipywidgets', 'IPython',"
        " 'sklearn', 'torch', 'cnnlib.viz', 'cnnlib.widgets', 'cnnlib.animate',"
        " 'cnnlib.rules', 'cnnlib.exercises', 'cnnlib.lab', 'jupyter_server')"
        " if m in sys.modules]\n"
        "assert heavy == [], heavy\n"
        "assert (np.random.get_state()[1] == state).all(), 'global seed changed'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_function_has_a_docstring():
    undocumented = [n for n in cnnlib.__all__ if n != "__version__"
                    and not (getattr(cnnlib, n).__doc__ or "").strip()]
    assert undocumented == []


# The arrows of DESIGN.md: exercises, rules -> numerics; viz -> rules, numerics;
# widgets, animate -> viz. A module may import only what its layer allows.
LAYERS = {
    "numerics": set(),
    "rules": {"numerics"},
    "exercises": {"numerics", "rules"},
    "viz": {"numerics", "rules", "viz"},
    "drivers": {"numerics", "rules", "viz"},
}
NUMERICS = {"activations", "conv", "data", "gradcheck", "losses", "mlp", "nn",
            "pool", "validation"}


def _layer(module: str) -> str:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else ""
    if head in NUMERICS:
        return "numerics"
    if head in ("widgets", "animate", "glue", "lab"):
        return "drivers"
    if head in ("rules", "exercises", "viz"):
        return head
    raise AssertionError(f"{module}: no layer; add it to LAYERS in this test")


def _cnnlib_modules():
    root = Path(cnnlib.__file__).parent
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        if name != "cnnlib":
            yield name, path


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("cnnlib.")}


@pytest.mark.parametrize("module,path", list(_cnnlib_modules()),
                         ids=[m for m, _ in _cnnlib_modules()])
def test_imports_run_one_way_between_layers(module, path):
    own = _layer(module)
    allowed = LAYERS[own] | {own}
    wrong = sorted(m for m in _imports(path) if _layer(m) not in allowed)
    assert wrong == [], f"{module} ({own}) imports {wrong}"


def test_the_layer_test_would_catch_a_numerics_module_importing_viz(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from cnnlib.viz.core.base import Drawing\n")
    assert _layer("cnnlib.conv") == "numerics"
    assert {_layer(m) for m in _imports(bad)} - LAYERS["numerics"] == {"viz"}


def test_notebooks_import_numerics_from_cnnlib_or_rules_never_from_viz():
    numeric_names = set(cnnlib.__all__) | set(rules.__all__)
    found = []
    for nb_path in sorted((Path(__file__).parents[1] / "book").glob("*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            tree = ast.parse("".join(line for line in cell["source"]
                                     if not line.lstrip().startswith(("%", "!"))))
            for node in ast.walk(tree):
                if (isinstance(node, ast.ImportFrom) and node.module
                        and node.module.startswith("cnnlib.viz")):
                    found += [(nb_path.name, node.module, a.name) for a in node.names
                              if a.name in numeric_names]
    assert found == []
