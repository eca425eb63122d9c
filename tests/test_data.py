"""cnnlib.data: the bundled digits and the stratified split."""

import subprocess
import sys

import numpy as np
import pytest

from cnnlib.data import load_digits, train_test_split


def test_digits_are_nchw_float64_in_unit_range():
    x, labels = load_digits()
    assert x.shape == (1797, 1, 8, 8) and x.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert set(np.unique(labels)) == set(range(10))


def test_importing_cnnlib_data_does_not_import_sklearn():
    code = "import sys, cnnlib.data; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_split_is_a_partition_with_the_class_proportions():
    x, labels = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(x, labels, test_fraction=0.25, seed=0)
    assert len(x_tr) + len(x_te) == len(x) and len(y_tr) == len(x_tr)
    for c in range(10):
        n = np.sum(labels == c)
        assert np.sum(y_te == c) == round(0.25 * n)
    # every image lands in exactly one part, with its own label
    index = {x[k].tobytes(): k for k in range(len(x))}
    seen = [index[img.tobytes()] for img in np.concatenate([x_tr, x_te])]
    assert sorted(seen) == list(range(len(x)))
    assert np.array_equal(np.concatenate([y_tr, y_te]), labels[seen])


def test_split_depends_on_the_seed_only():
    x = np.arange(100.0).reshape(100, 1)
    labels = np.arange(100) % 4
    a = train_test_split(x, labels, seed=3)
    b = train_test_split(x, labels, seed=3)
    c = train_test_split(x, labels, seed=4)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[1], c[1])


def test_split_rejects_bad_arguments():
    x = np.zeros((10, 2))
    with pytest.raises(ValueError, match="labels"):
        train_test_split(x, np.zeros(9, dtype=int))
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(x, np.zeros(10, dtype=int), test_fraction=1.0)
