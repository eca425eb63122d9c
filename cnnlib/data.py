"""A small real data set: scikit-learn's bundled 8×8 handwritten digits.

:func:`load_digits` reads the copy of the UCI "Optical Recognition of
Handwritten Digits" test set (1797 images, 10 classes) that ships inside the
scikit-learn package, so nothing is downloaded. scikit-learn is imported inside
the function, so ``import cnnlib`` does not need it.
"""

from __future__ import annotations

import numpy as np

from cnnlib.validation import (
    as_labels,
    as_numeric_array,
    as_real,
    as_rng,
    check_batch,
)

__all__ = ["load_digits", "train_test_split"]


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 digits as images and labels.

    Returns
    -------
    x : ndarray of shape (1797, 1, 8, 8), float64
        Pixel intensities scaled from 0..16 to [0, 1], NCHW with one channel.
    labels : ndarray of shape (1797,), int64
        The digit 0..9 drawn in each image.
    """
    from sklearn.datasets import load_digits as _sk_load_digits

    bunch = _sk_load_digits()
    x = bunch.images.astype(np.float64)[:, None, :, :] / 16.0
    return x, bunch.target.astype(np.int64)


def train_test_split(x, labels, test_fraction: float = 0.25, seed=0):
    """Split ``(x, labels)`` at random, class by class (stratified).

    From each class, ``round(test_fraction · count)`` examples go to the test set,
    chosen with ``np.random.default_rng(seed)``; both parts keep the
    class proportions of the whole.

    Parameters
    ----------
    x : ndarray of shape (N, ...)
    labels : ndarray of shape (N,)
    test_fraction : float
        Strictly between 0 and 1.
    seed : int or numpy.random.Generator

    Returns
    -------
    x_train, x_test, labels_train, labels_test : ndarrays
        Train and test parts, each in a shuffled order.
    """
    x = as_numeric_array(x, "x")
    if x.ndim == 0:
        raise ValueError("x: expected at least 1 dim (N, ...), got a 0-d array")
    check_batch(x, "x")
    labels = as_labels(labels, "labels", len(x))
    as_real(test_fraction, "test_fraction", low=0.0, high=1.0, low_open=True,
            high_open=True)
    rng = as_rng(seed)
    test_idx = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        n_test = int(round(test_fraction * len(members)))
        test_idx.append(rng.permutation(members)[:n_test])
    test = np.concatenate(test_idx)
    is_test = np.zeros(len(labels), dtype=bool)
    is_test[test] = True
    train = rng.permutation(np.flatnonzero(~is_test))
    test = rng.permutation(test)
    return x[train], x[test], labels[train], labels[test]
