"""The training figures of chapter 6 (cnnlib.viz.training)."""

import numpy as np
import pytest

from cnnlib.viz.training import (
    plot_digits,
    plot_kernels,
    plot_learning_curve,
    plot_misclassified,
)


def test_training_figures_have_one_panel_per_item():
    history = {"loss": [1.0, 0.5], "train_acc": [0.5, 0.9], "test_acc": [0.4, 0.8]}
    assert len(plot_learning_curve(history).axes) == 2
    w = np.random.default_rng(3).normal(size=(16, 1, 3, 3))
    fig = plot_kernels(w)
    assert sum(ax.get_visible() for ax in fig.axes) == 16
    x = np.zeros((5, 1, 8, 8))
    labels = np.array([0, 1, 2, 3, 4])
    fig = plot_misclassified(x, labels, np.array([0, 2, 2, 1, 4]))
    assert len(fig.axes) == 2
    assert len(plot_digits(x, labels, n=3).axes) == 3
    empty = plot_misclassified(x, labels, labels)
    assert "no mistakes" in empty.axes[0].texts[0].get_text()


def test_training_figures_reject_bad_input():
    with pytest.raises(ValueError, match="history"):
        plot_learning_curve({"loss": [1.0]})
    with pytest.raises(ValueError, match="w: expected shape"):
        plot_kernels(np.zeros((4, 2, 3, 3)))
    with pytest.raises(ValueError, match="labels"):
        plot_misclassified(np.zeros((3, 1, 8, 8)), np.zeros(2, int), np.zeros(3, int))
    with pytest.raises(ValueError, match="labels"):
        plot_digits(np.zeros((3, 1, 8, 8)), np.zeros(2, int))
