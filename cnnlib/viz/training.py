"""Chapter 6: static figures of a training run.

Plain functions, each returning a detached :class:`matplotlib.figure.Figure`
(no pyplot state): the learning curve, the learned kernels, and a gallery of
misclassified digits. Meaning never rests on colour alone: curves differ in
line style and marker as well, and every panel is labelled in words.
"""

from __future__ import annotations

import numpy as np

from cnnlib.validation import (
    as_finite_array,
    as_int,
    as_labels,
    as_map,
    check_batch,
    check_ndim,
)
from cnnlib.viz.core.style import DIVERGING_CMAP, OKABE_ITO, new_figure
from cnnlib.viz.core.text import num

__all__ = ["plot_digits", "plot_kernels", "plot_learning_curve", "plot_misclassified"]


def _images(x):
    """Grey images (N, 1, H, W), N >= 1: one channel, as every gallery draws it."""
    x = as_finite_array(x, "x")
    check_ndim(x, 4, "x", "(N, 1, H, W)")
    check_batch(x, "x")
    x = as_map(x, "x", ndim=4, dims="(N, 1, H, W)")
    if x.shape[1] != 1:
        raise ValueError(f"x: expected shape (N, 1, H, W), one grey channel, got "
                         f"shape {x.shape}")
    return x


def plot_learning_curve(history: dict, *, dpi: int = 90):
    """The training cost (left) and the accuracies (right) after each epoch.

    Parameters
    ----------
    history : dict
        As returned by :func:`cnnlib.nn.fit`: ``"loss"`` and ``"train_acc"``,
        optionally ``"test_acc"``, one number per epoch.
    """
    if not isinstance(history, dict):
        raise TypeError(f"history: expected the dict returned by fit, got "
                        f"{type(history).__name__}")
    for key in ("loss", "train_acc"):
        if key not in history:
            raise ValueError(f"history: expected a key {key!r}, got {sorted(history)}")
    n_epochs = None
    for key in ("loss", "train_acc", "test_acc"):
        if key in history:
            values = as_map(history[key], f"history[{key!r}]", ndim=1,
                            dims="(epochs,)")
            if n_epochs is not None and len(values) != n_epochs:
                raise ValueError(f"history[{key!r}]: expected {n_epochs} values, one "
                                 f"per epoch, got {len(values)}")
            n_epochs = len(values)
    if np.min(history["loss"]) <= 0:
        raise ValueError("history['loss']: expected positive costs (drawn on a log "
                         f"scale), got a minimum of {np.min(history['loss'])}")
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig = new_figure(8.0, 3.0, dpi=dpi)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(epochs, history["loss"], "-o", color=OKABE_ITO["blue"], markersize=4)
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("mean training cost C")
    ax1.set_yscale("log")
    ax1.set_title("Cost on the training set")
    ax2.plot(epochs, 100 * np.asarray(history["train_acc"]), "-o",
             color=OKABE_ITO["blue"], markersize=4, label="training set")
    if "test_acc" in history:
        ax2.plot(epochs, 100 * np.asarray(history["test_acc"]), "--s",
                 color=OKABE_ITO["vermillion"], markersize=4, label="test set")
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("accuracy (%)")
    ax2.set_title("Accuracy")
    ax2.legend(loc="lower right")
    ax2.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


def plot_kernels(w, *, dpi: int = 90):
    """Every kernel of a first conv layer, ``w`` of shape (F, 1, KH, KW).

    Drawn with a diverging colour map centred on zero (shared by all panels),
    the numbers written in the cells, and each panel titled with its filter index.
    """
    w = as_map(w, "w", ndim=4, dims="(F, 1, KH, KW)")
    if w.shape[1] != 1:
        raise ValueError(f"w: expected shape (F, 1, KH, KW), got shape {w.shape}")
    f, _, kh, kw = w.shape
    cols = min(f, 8)
    rows = int(np.ceil(f / cols))
    fig = new_figure(1.15 * cols, 1.35 * rows, dpi=dpi)
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    lim = float(np.max(np.abs(w))) or 1.0
    for k, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= f:
            ax.set_visible(False)
            continue
        ax.imshow(w[k, 0], cmap=DIVERGING_CMAP, vmin=-lim, vmax=lim)
        for (r, c), v in np.ndenumerate(w[k, 0]):
            ax.text(c, r, num(v, ".1f"), ha="center", va="center", fontsize=6,
                    color="white" if abs(v) > 0.6 * lim else "black")
        ax.set_title(f"filter {k}", fontsize=8)
    fig.tight_layout()
    return fig


def plot_misclassified(x, labels, predicted, *, max_items: int = 8, dpi: int = 90):
    """A gallery of images whose predicted class differs from their label.

    Parameters
    ----------
    x : ndarray of shape (N, 1, H, W)
    labels, predicted : ndarray of shape (N,)
    max_items : int
        At most this many images, the first ones in ``x`` order.
    """
    x = _images(x)
    labels = as_labels(labels, "labels", len(x))
    predicted = as_labels(predicted, "predicted", len(x))
    max_items = as_int(max_items, "max_items", 1)
    wrong = np.flatnonzero(labels != predicted)[:max_items]
    n = max(len(wrong), 1)
    fig = new_figure(1.2 * n, 1.55, dpi=dpi)
    axes = np.atleast_1d(fig.subplots(1, n))
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    if len(wrong) == 0:
        axes[0].text(0.5, 0.5, "no mistakes", ha="center", va="center")
    for ax, k in zip(axes, wrong, strict=False):
        ax.imshow(x[k, 0], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"true {labels[k]}\nsaid {predicted[k]}", fontsize=8)
    fig.tight_layout()
    return fig


def plot_digits(x, labels, *, n: int = 10, dpi: int = 90):
    """The first ``n`` images of ``x`` (shape (N, 1, H, W)), titled with their labels."""
    x = _images(x)
    labels = as_labels(labels, "labels", len(x))
    n = min(as_int(n, "n", 1), len(x))
    fig = new_figure(1.0 * n, 1.3, dpi=dpi)
    axes = np.atleast_1d(fig.subplots(1, n))
    for k, ax in enumerate(axes):
        ax.imshow(x[k, 0], cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"label {labels[k]}", fontsize=8)
    fig.tight_layout()
    return fig
