"""The delta figures of chapter 4 (cnnlib.viz.deltas)."""

from cnnlib.rules import dense_weight_labels
from cnnlib.viz.deltas import plot_dense_transpose


def test_transpose_of_dense_matrix_lists_the_kernel_reversed():

    labels = dense_weight_labels((2, 2), (3, 3))
    assert labels.shape == (4, 9)
    assert list(labels.T[4]) == ["w11", "w10", "w01", "w00"]
    # every output row holds each weight exactly once
    assert all(sorted(r[r != ""]) == ["w00", "w01", "w10", "w11"] for r in labels)
    assert len(plot_dense_transpose().axes) == 2
