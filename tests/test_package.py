"""The package as a whole: the contract's names, and an import with no side effects."""

import subprocess
import sys

import cnnlib

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
        " 'sklearn', 'torch') if m in sys.modules]\n"
        "assert heavy == [], heavy\n"
        "assert (np.random.get_state()[1] == state).all(), 'global seed changed'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_function_has_a_docstring():
    undocumented = [n for n in cnnlib.__all__ if n != "__version__"
                    and not (getattr(cnnlib, n).__doc__ or "").strip()]
    assert undocumented == []
