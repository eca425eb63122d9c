"""A small multilayer perceptron whose backprop returns every layer's delta.

Notation (the book's, chapter 1; the same in code and text, no shifted index):
layers ``l = 0..L``, layer 0 is the input and layer ``L`` the output; layer
``l`` has ``n_l`` neurons. The weights ``w^l`` (shape ``(n_l, n_{l-1})``) and
the bias ``b^l`` (shape ``(n_l,)``) lead INTO layer ``l``, for ``l = 1..L``::

    z^l = w^l a^{l-1} + b^l,    a^l = sigma(z^l),    a^0 = x,

and ``delta^l = dC/dz^l``. The cost is the quadratic cost
``C = 1/2 * sum_j (a^L_j - y_j)^2`` of one example. Every per-layer list in this
module has length ``L + 1`` and is indexed by the layer number ``l``, so
``weights[l]`` is ``w^l``; entries that do not exist (``w^0``, ``b^0``, ``z^0``,
``delta^0``) are ``None``.

The four equations :meth:`MLP.backprop` implements::

    (BP1)  delta^L = grad_a C ⊙ sigma'(z^L)
    (BP2)  delta^l = ((w^{l+1})^T delta^{l+1}) ⊙ sigma'(z^l)     for l = L-1..1
    (BP3)  dC/db^l = delta^l
    (BP4)  dC/dw^l = delta^l (a^{l-1})^T
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from cnnlib.activations import sigmoid, sigmoid_prime
from cnnlib.validation import (
    as_float_array,
    as_int,
    as_rng,
    check_ndim,
    check_shape,
    is_int,
)

__all__ = ["MLP", "Backprop", "Forward", "tiny_example"]


class Forward(NamedTuple):
    """The quantities of one forward pass, each a list indexed by layer ``l``.

    Attributes
    ----------
    zs : list
        ``zs[l]`` is ``z^l``, shape ``(n_l,)``, for l = 1..L; ``zs[0]`` is None.
    activations : list
        ``activations[l]`` is ``a^l``, shape ``(n_l,)``, for l = 0..L
        (``a^0`` is the input ``x``).
    """

    zs: list
    activations: list


class Backprop(NamedTuple):
    """What :meth:`MLP.backprop` returns; every list is indexed by layer ``l``.

    Attributes
    ----------
    grad_w : list
        ``grad_w[l]`` is dC/dw^l, shape ``(n_l, n_{l-1})``, for l = 1..L (BP4).
    grad_b : list
        ``grad_b[l]`` is dC/db^l, shape ``(n_l,)``, for l = 1..L (BP3).
    deltas : list
        ``deltas[l]`` is delta^l = dC/dz^l, shape ``(n_l,)``, for l = 1..L
        (BP1 for l = L, BP2 below it).
    zs, activations : list
        The forward pass, as in :class:`Forward`.
    cost : float
        The cost C of the example.
    """

    grad_w: list
    grad_b: list
    deltas: list
    zs: list
    activations: list
    cost: float


class MLP:
    """A fully connected network with sigmoid neurons and the quadratic cost.

    Parameters
    ----------
    weights : sequence
        ``weights[l]`` is ``w^l`` of shape ``(n_l, n_{l-1})`` for l = 1..L;
        ``weights[0]`` must be None (nothing leads into the input layer).
    biases : sequence
        ``biases[l]`` is ``b^l`` of shape ``(n_l,)`` for l = 1..L;
        ``biases[0]`` must be None.

    The arrays are copied to float64; use :meth:`random` for random weights.
    """

    def __init__(self, weights: Sequence, biases: Sequence):
        for name, seq in (("weights", weights), ("biases", biases)):
            if not isinstance(seq, (list, tuple)):
                raise TypeError(f"{name}: expected a list [None, ...] indexed by "
                                f"layer, got {type(seq).__name__}")
        if len(weights) != len(biases):
            raise ValueError(
                f"weights and biases: expected one entry per layer each, got "
                f"{len(weights)} weights and {len(biases)} biases"
            )
        if len(weights) < 2:
            raise ValueError(
                f"weights: expected at least 2 entries (None, w^1), got {len(weights)}"
            )
        if weights[0] is not None or biases[0] is not None:
            raise ValueError(
                "weights[0] and biases[0]: expected None (nothing leads into the "
                "input layer 0); weights[l] is w^l for l = 1..L"
            )
        self.weights: list = [None]
        self.biases: list = [None]
        for l in range(1, len(weights)):
            w = as_float_array(weights[l], f"weights[{l}]")
            check_ndim(w, 2, f"weights[{l}]", "(n_l, n_{l-1})")
            b = as_float_array(biases[l], f"biases[{l}]")
            check_shape(b, (w.shape[0],), f"biases[{l}]", "(n_l,)")
            if l > 1 and w.shape[1] != self.weights[l - 1].shape[0]:
                raise ValueError(
                    f"weights[{l}]: expected shape (n_{l}, n_{l - 1}) with "
                    f"n_{l - 1} = {self.weights[l - 1].shape[0]} (the rows of "
                    f"weights[{l - 1}] with shape {self.weights[l - 1].shape}), "
                    f"got shape {w.shape}"
                )
            self.weights.append(w.copy())
            self.biases.append(b.copy())

    @classmethod
    def random(cls, sizes: Sequence[int], seed: int = 0) -> MLP:
        """A network with layer sizes ``sizes = (n_0, ..., n_L)`` and standard
        normal weights and biases drawn from ``np.random.default_rng(seed)``."""
        if not isinstance(sizes, (list, tuple)):
            raise TypeError(f"sizes: expected a tuple (n_0, ..., n_L), got "
                            f"{type(sizes).__name__}")
        sizes = tuple(sizes)
        if len(sizes) < 2 or not all(
            is_int(n) and n >= 1 for n in sizes
        ):
            raise ValueError(
                f"sizes: expected at least two positive integers (n_0, ..., n_L), "
                f"each a Python or NumPy int (not bool, float or str), got {sizes!r}"
            )
        rng = as_rng(seed)
        weights = [None] + [rng.standard_normal((sizes[l], sizes[l - 1]))
                            for l in range(1, len(sizes))]
        biases = [None] + [rng.standard_normal(sizes[l]) for l in range(1, len(sizes))]
        return cls(weights, biases)

    @property
    def sizes(self) -> tuple[int, ...]:
        """``(n_0, n_1, ..., n_L)``."""
        return (self.weights[1].shape[1],) + tuple(w.shape[0] for w in self.weights[1:])

    @property
    def L(self) -> int:
        """The index of the output layer (the number of weight layers)."""
        return len(self.weights) - 1

    def _check_vector(self, v, name: str, l: int) -> np.ndarray:
        v = as_float_array(v, name)
        check_shape(v, (self.sizes[l],), name, f"(n_{l},)")
        return v

    def feedforward(self, x) -> Forward:
        """Run ``x`` (shape ``(n_0,)``) through the network.

        ``z^l = w^l a^{l-1} + b^l`` and ``a^l = sigma(z^l)`` for l = 1..L.
        """
        a = self._check_vector(x, "x", 0)
        zs, activations = [None], [a]
        for l in range(1, self.L + 1):
            z = self.weights[l] @ a + self.biases[l]
            a = sigmoid(z)
            zs.append(z)
            activations.append(a)
        return Forward(zs, activations)

    def cost(self, x, y) -> float:
        """The quadratic cost ``C = 1/2 * sum_j (a^L_j - y_j)^2`` of one example."""
        y = self._check_vector(y, "y", self.L)
        a_out = self.feedforward(x).activations[self.L]
        return 0.5 * float(np.sum((a_out - y) ** 2))

    def cost_from(self, l: int, z, y) -> float:
        """The cost when layer ``l``'s weighted input is set to ``z``.

        Runs the network from layer ``l`` upward: ``a^l = sigma(z)``, then
        layers l+1..L as usual. Its gradient with respect to ``z`` is, by
        definition, ``delta^l``; the book checks BP1 and BP2 against it.

        Parameters
        ----------
        l : int
            A layer, 1..L.
        z : array_like, shape (n_l,)
        y : array_like, shape (n_L,)
        """
        if not 1 <= as_int(l, "l") <= self.L:
            raise ValueError(f"l: expected a layer 1..{self.L}, got {l!r}")
        z = self._check_vector(z, "z", l)
        y = self._check_vector(y, "y", self.L)
        a = sigmoid(z)
        for m in range(l + 1, self.L + 1):
            a = sigmoid(self.weights[m] @ a + self.biases[m])
        return 0.5 * float(np.sum((a - y) ** 2))

    def backprop(self, x, y) -> Backprop:
        """Gradients of the cost of one example ``(x, y)``, and every delta.

        Parameters
        ----------
        x : array_like, shape (n_0,)
        y : array_like, shape (n_L,)

        Returns
        -------
        Backprop
            ``grad_w[l]`` (BP4), ``grad_b[l]`` (BP3), ``deltas[l]`` (BP1, BP2)
            for l = 1..L, the forward pass and the cost.
        """
        y = self._check_vector(y, "y", self.L)
        zs, a = self.feedforward(x)
        L = self.L
        deltas, grad_w, grad_b = ([None] * (L + 1) for _ in range(3))
        grad_a_cost = a[L] - y  # the quadratic cost's gradient
        deltas[L] = grad_a_cost * sigmoid_prime(zs[L])  # (BP1)
        for l in range(L - 1, 0, -1):
            weighted = self.weights[l + 1].T @ deltas[l + 1]
            deltas[l] = weighted * sigmoid_prime(zs[l])  # (BP2)
        for l in range(1, L + 1):
            grad_b[l] = deltas[l].copy()  # (BP3)
            grad_w[l] = np.outer(deltas[l], a[l - 1])  # (BP4)
        cost = 0.5 * float(np.sum(grad_a_cost ** 2))
        return Backprop(grad_w, grad_b, deltas, zs, a, cost)

    def parameters(self) -> list[np.ndarray]:
        """The arrays ``[w^1, b^1, ..., w^L, b^L]`` (the network's own, not copies)."""
        return [p for l in range(1, self.L + 1)
                for p in (self.weights[l], self.biases[l])]


def tiny_example() -> tuple[MLP, np.ndarray, np.ndarray]:
    """The network of chapter 1, small enough to follow by hand.

    Layer sizes (2, 3, 2); the weights are chosen so that two hidden neurons
    have ``z = 0``, where ``sigma'(0) = 1/4``.

    Returns
    -------
    net : MLP
    x : numpy.ndarray, shape (2,)
        The input ``a^0``.
    y : numpy.ndarray, shape (2,)
        The target.
    """
    w1 = np.array([[0.5, -1.0],
                   [1.0, 0.5],
                   [-0.5, 1.0]])
    b1 = np.array([0.0, 0.25, 0.0])
    w2 = np.array([[1.0, -0.5, 0.5],
                   [-1.0, 0.5, 1.0]])
    b2 = np.array([0.0, 0.0])
    x = np.array([1.0, 0.5])
    y = np.array([1.0, 0.0])
    return MLP([None, w1, w2], [None, b1, b2]), x, y
