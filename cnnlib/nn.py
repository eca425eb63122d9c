"""Layer objects for a small CNN trained from scratch (chapter 6).

Every layer has ``forward(x)``, which remembers what its backward pass needs,
and ``backward(delta)``, which takes dC/d(output) and returns dC/d(input),
storing the gradients of its own parameters in ``layer.grads``. The
convolution and pooling layers are thin wrappers around the verified
functions of :mod:`cnnlib.conv` and :mod:`cnnlib.pool`, so the code the
network runs is the code chapters 4 and 5 check against finite differences.

Shapes follow PyTorch: images are ``(N, C, H, W)``, kernels ``(F, C, KH, KW)``,
dense weights ``(out_features, in_features)``.
"""

from __future__ import annotations

import numpy as np

from cnnlib.activations import ACTIVATIONS
from cnnlib.conv import conv2d_backward, conv2d_forward
from cnnlib.losses import softmax, softmax_cross_entropy
from cnnlib.pool import max_pool2d_backward, max_pool2d_forward
from cnnlib.validation import (
    as_float_array,
    as_int,
    as_labels,
    as_pair,
    as_real,
    as_rng,
    check_batch,
    check_ndim,
)

__all__ = [
    "SGD",
    "Conv2D",
    "Dense",
    "Flatten",
    "Layer",
    "MaxPool2D",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "accuracy",
    "backprop",
    "digits_cnn",
    "fit",
    "predict",
]


def _batch(x, name: str = "x") -> np.ndarray:
    """``x`` as float64 with a batch axis 0 holding at least one example."""
    x = as_float_array(x, name)
    if x.ndim < 1:
        raise ValueError(f"{name}: expected at least 1 dim (N, ...), got a 0-d array")
    check_batch(x, name)
    return x


def _check_model(model, name: str = "model") -> None:
    if not isinstance(model, Sequential):
        raise TypeError(f"{name}: expected a cnnlib.nn.Sequential, got "
                        f"{type(model).__name__}")


class Layer:
    """Base class: a layer without parameters passes nothing to the optimiser.

    Attributes
    ----------
    params : dict of str to ndarray
        The layer's trainable arrays (changed in place by the optimiser).
    grads : dict of str to ndarray
        dC/d(param) for each entry of ``params``, set by :meth:`backward`.
    """

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self._cache = None

    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, delta: np.ndarray) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _need_cache(self):
        if self._cache is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward: call forward first (no cache)"
            )
        return self._cache

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Conv2D(Layer):
    """A convolution layer: z^{l+1} = corr(a^l, w^{l+1}) + b^{l+1} (cross-correlation,
    as in PyTorch).

    ``backward`` applies (ch4-bp-channels) for the input, with stride and
    dilation 1 ∂C/∂a^l[c] = Σ_f conv_full(δ^{l+1}[f], w^{l+1}[f, c]) summed over
    the filters (the padding cropped), and (ch5-dw-batch) for the weights and
    biases; both come from :func:`cnnlib.conv2d_backward`.

    Parameters
    ----------
    in_channels, out_channels : int
        C and F.
    kernel_size : int or (int, int)
    stride, padding : int or (int, int)
    seed : int or numpy.random.Generator
        Seeds the He initialisation w ~ N(0, 2 / (C·KH·KW)); b starts at 0.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size,
                 stride=1, padding=0, seed=0):
        super().__init__()
        in_channels = as_int(in_channels, "in_channels", 1)
        out_channels = as_int(out_channels, "out_channels", 1)
        kh, kw = as_pair(kernel_size, "kernel_size", 1)
        as_pair(stride, "stride", 1)  # checked now, not at the first forward
        as_pair(padding, "padding", 0)
        fan_in = in_channels * kh * kw
        w = as_rng(seed).normal(0.0, np.sqrt(2.0 / fan_in),
                              size=(out_channels, in_channels, kh, kw))
        self.params = {"w": w, "b": np.zeros(out_channels)}
        self.stride = stride
        self.padding = padding

    def forward(self, x):
        y, self._cache = conv2d_forward(x, self.params["w"], self.params["b"],
                                        stride=self.stride, padding=self.padding)
        return y

    def backward(self, delta):
        dx, dw, db = conv2d_backward(delta, self._need_cache())
        self.grads = {"w": dw, "b": db}
        return dx

    def __repr__(self) -> str:
        f, c, kh, kw = self.params["w"].shape
        return (f"Conv2D({c}, {f}, kernel_size={(kh, kw)}, stride={self.stride}, "
                f"padding={self.padding})")


class _Activation(Layer):
    """An elementwise activation a = σ(z); backward is delta ⊙ σ′(z) (BP2).

    A subclass names its pair (σ, σ′) in :data:`cnnlib.activations.ACTIVATIONS`.
    """

    kind: str

    def forward(self, x):
        z = _batch(x)
        self._cache = z
        return ACTIVATIONS[self.kind][0](z)

    def backward(self, delta):
        z = self._need_cache()
        delta = as_float_array(delta, "delta")
        if delta.shape != z.shape:
            raise ValueError(
                f"delta: expected the shape of the forward input {z.shape}, "
                f"got shape {delta.shape}"
            )
        return delta * ACTIVATIONS[self.kind][1](z)


class ReLU(_Activation):
    """a = max(z, 0); σ′(z) = 1 where z > 0, else 0."""

    kind = "relu"


class Sigmoid(_Activation):
    """a = 1 / (1 + exp(−z)); σ′(z) = σ(z)(1 − σ(z))."""

    kind = "sigmoid"


class Tanh(_Activation):
    """a = tanh(z); σ′(z) = 1 − tanh(z)²."""

    kind = "tanh"


class MaxPool2D(Layer):
    """Max pooling over ``kernel_size`` windows; the delta goes to each window's max.

    Wraps :func:`cnnlib.max_pool2d_forward` / :func:`cnnlib.max_pool2d_backward`.
    """

    def __init__(self, kernel_size, stride=None):
        super().__init__()
        as_pair(kernel_size, "kernel_size", 1)  # checked now, not at the first forward
        if stride is not None:
            as_pair(stride, "stride", 1)
        self.kernel_size = kernel_size
        self.stride = stride

    def forward(self, x):
        y, self._cache = max_pool2d_forward(x, self.kernel_size, stride=self.stride)
        return y

    def backward(self, delta):
        return max_pool2d_backward(delta, self._need_cache())

    def __repr__(self) -> str:
        return f"MaxPool2D({self.kernel_size}, stride={self.stride})"


class Flatten(Layer):
    """(N, C, H, W) -> (N, C·H·W); backward reshapes the delta back."""

    def forward(self, x):
        x = _batch(x)
        if x.ndim < 2:
            raise ValueError(
                f"x: expected at least 2 dims (N, ...), got shape {x.shape}"
            )
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, delta):
        shape = self._need_cache()
        delta = as_float_array(delta, "delta")
        expected = (shape[0], int(np.prod(shape[1:])))
        if delta.shape != expected:
            raise ValueError(
                f"delta: expected shape {expected}, got shape {delta.shape}"
            )
        return delta.reshape(shape)


class Dense(Layer):
    """A fully connected layer: z = a wᵀ + b, w of shape (out_features, in_features).

    Backward (BP2, BP3, BP4 for a batch): dC/da = delta w, dC/dw = deltaᵀ a,
    dC/db = Σ_n delta[n].
    """

    def __init__(self, in_features: int, out_features: int, seed=0):
        super().__init__()
        in_features = as_int(in_features, "in_features", 1)
        out_features = as_int(out_features, "out_features", 1)
        w = as_rng(seed).normal(0.0, np.sqrt(1.0 / in_features),
                              size=(out_features, in_features))
        self.params = {"w": w, "b": np.zeros(out_features)}

    def forward(self, x):
        x = as_float_array(x, "x")
        check_ndim(x, 2, "x", "(N, in_features)")
        check_batch(x, "x")
        w = self.params["w"]
        if x.shape[1] != w.shape[1]:
            raise ValueError(
                f"x: expected shape (N, in_features) = (N, {w.shape[1]}), got shape "
                f"{x.shape}"
            )
        self._cache = x
        return x @ w.T + self.params["b"]

    def backward(self, delta):
        x = self._need_cache()
        delta = as_float_array(delta, "delta")
        expected = (x.shape[0], self.params["w"].shape[0])
        if delta.shape != expected:
            raise ValueError(
                f"delta: expected shape {expected}, got shape {delta.shape}"
            )
        self.grads = {"w": delta.T @ x, "b": delta.sum(axis=0)}
        return delta @ self.params["w"]

    def __repr__(self) -> str:
        out_f, in_f = self.params["w"].shape
        return f"Dense({in_f}, {out_f})"


class SoftmaxCrossEntropy:
    """The mean cross-entropy of softmax(logits) against integer labels.

    ``forward(logits, labels)`` returns the loss C; ``backward()`` returns the
    output error δᴸ = dC/dz = (softmax(z) − onehot(labels)) / N, that is
    δᴸ = Jᵀ∇ₐC through the softmax Jacobian J (eq. ch6-softmax-delta), with the
    mean's 1/N; not BP1, since softmax is not applied entry by entry.
    """

    def __init__(self):
        self._cache = None

    def forward(self, logits, labels) -> float:
        loss, _ = softmax_cross_entropy(logits, labels)      # checks both arguments
        z = as_float_array(logits, "logits")
        self._cache = (z, as_labels(labels, "labels", *z.shape))
        return float(loss)

    def backward(self) -> np.ndarray:
        if self._cache is None:
            raise RuntimeError("SoftmaxCrossEntropy.backward: call forward first")
        z, labels = self._cache
        n, k = z.shape
        y = np.eye(k)[labels]                 # one-hot labels, one row per image
        return (softmax(z) - y) / n           # step 3: (softmax(z^L) - y) / N

    def __repr__(self) -> str:
        return "SoftmaxCrossEntropy()"


class Sequential:
    """Layers applied in order: forward runs them first to last, backward last
    to first, each backward handing the delta of its input to the layer below.
    """

    def __init__(self, *layers: Layer):
        if not layers:
            raise ValueError("Sequential: expected at least one layer, got none")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layers[{i}]: expected a cnnlib.nn.Layer, got "
                    f"{type(layer).__name__}"
                )
        self.layers = list(layers)

    def forward(self, x):
        a = _batch(x)
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def backward(self, delta):
        for layer in reversed(self.layers):
            delta = layer.backward(delta)
        return delta

    def params(self) -> dict[str, np.ndarray]:
        """Every trainable array, keyed "<layer index>.<name>" (e.g. "0.w")."""
        return {f"{i}.{k}": v for i, layer in enumerate(self.layers)
                for k, v in layer.params.items()}

    def grads(self) -> dict[str, np.ndarray]:
        """The gradients from the last backward, keyed like :meth:`params`."""
        out = {}
        for i, layer in enumerate(self.layers):
            for k in layer.params:
                if k not in layer.grads:
                    raise RuntimeError(
                        f"Sequential.grads: layer {i} ({layer!r}) has no gradient "
                        f"for {k!r}; call backward first"
                    )
                out[f"{i}.{k}"] = layer.grads[k]
        return out

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


class SGD:
    """Stochastic gradient descent, optionally with momentum.

    ``step(grads)`` updates every array of ``params`` in place:
    v ← μ v − η g, p ← p + v (with μ = 0 this is p ← p − η g).
    """

    def __init__(self, params: dict[str, np.ndarray], lr: float = 0.1,
                 momentum: float = 0.0):
        lr = as_real(lr, "lr", low=0.0, low_open=True)
        momentum = as_real(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        if not isinstance(params, dict) or not all(
            isinstance(v, np.ndarray) and v.dtype == np.float64 for v in params.values()
        ):
            raise TypeError(
                "params: expected a dict of float64 numpy arrays (updated in place), "
                f"got {type(params).__name__}"
            )
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.velocity = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        if not isinstance(grads, dict):
            raise TypeError(f"grads: expected a dict like params, got "
                            f"{type(grads).__name__}")
        if set(grads) != set(self.params):
            raise ValueError(
                f"grads: expected the keys {sorted(self.params)}, got {sorted(grads)}"
            )
        for k, p in self.params.items():
            g = as_float_array(grads[k], f"grads[{k!r}]")
            if g.shape != p.shape:
                raise ValueError(
                    f"grads[{k!r}]: expected shape {p.shape}, got shape {g.shape}"
                )
            v = self.velocity[k]
            v *= self.momentum
            v -= self.lr * g
            p += v


def digits_cnn(seed: int = 0, padding: int = 1) -> Sequential:
    """The network of chapter 6 for 8x8 digits, input (N, 1, 8, 8), output the
    scores (N, 10): a 3x3 convolution with 16 filters and padding 1, ReLU, 2x2
    max pooling, flatten, and a dense layer 16·4·4 = 256 -> 10.

    Its 2730 parameters are the kernels and biases 16·9 + 16 = 160 and the dense
    layer's 256·10 + 10 = 2570. ``seed`` seeds the convolution and ``seed + 1``
    the dense layer. ``padding=0`` gives the network without the padding (6x6
    maps, pooled to 3x3, dense 144 -> 10), the mistake one exercise names. The
    chapter trains this model and its exercises are graded against it, so the
    two cannot differ.
    """
    seed = as_int(seed, "seed", 0)
    padding = as_int(padding, "padding", 0, 3)
    side = (8 + 2 * padding - 2) // 2  # after the 3x3 convolution and 2x2 pooling
    return Sequential(
        Conv2D(1, 16, 3, padding=padding, seed=seed), ReLU(), MaxPool2D(2),
        Flatten(), Dense(16 * side * side, 10, seed=seed + 1),
    )


def backprop(model: Sequential, loss: SoftmaxCrossEntropy, x, labels):
    """The five steps of backpropagation for one mini-batch.

    Returns ``(C, grads)``: the cost and dC/dp for every parameter p of
    ``model`` (keyed as in :meth:`Sequential.params`).
    """
    _check_model(model)
    if not isinstance(loss, SoftmaxCrossEntropy):
        raise TypeError(f"loss: expected a SoftmaxCrossEntropy, got "
                        f"{type(loss).__name__}")
    a = _batch(x)                   # 1. load the input: a⁰ = x
    z_out = model.forward(a)        # 2. forwards: zˡ, aˡ, l = 1..L
    cost = loss.forward(z_out, labels)
    delta = loss.backward()         # 3. the output delta δᴸ
    model.backward(delta)           # 4. carry δˡ down, l = L-1..1,
    return cost, model.grads()      # 5. and read off dC/dw, dC/db


def predict(model: Sequential, x, batch_size: int = 256) -> np.ndarray:
    """The predicted class (argmax of the logits) of every image in ``x``.

    ``x`` (N, ...) with N >= 1 runs through ``model`` ``batch_size`` examples at a
    time (an integer >= 1); returns the N class indices.
    """
    _check_model(model)
    x = _batch(x)
    batch_size = as_int(batch_size, "batch_size", 1)
    out = [np.argmax(model.forward(x[i:i + batch_size]), axis=1)
           for i in range(0, len(x), batch_size)]
    return np.concatenate(out)


def accuracy(model: Sequential, x, labels) -> float:
    """The fraction of ``x`` that ``model`` classifies as ``labels``.

    ``labels`` are integer class indices of shape (N,), one per example of ``x``
    (N, ...); an (N, 1) column or string labels are refused, not broadcast.
    """
    _check_model(model)
    x = _batch(x)
    labels = as_labels(labels, "labels", len(x))
    return float(np.mean(predict(model, x) == labels))


def fit(model: Sequential, x, labels, *, epochs: int = 10, batch_size: int = 32,
        lr: float = 0.1, momentum: float = 0.9, lr_decay: float = 1.0, seed=0,
        x_test=None, labels_test=None) -> dict[str, list[float]]:
    """Train ``model`` with mini-batch SGD on softmax cross-entropy.

    Each epoch visits the training set once in an order drawn from
    ``np.random.default_rng(seed)``; after each epoch the learning rate is
    multiplied by ``lr_decay``.

    Returns
    -------
    dict
        ``"loss"``: the mean training cost of each epoch; ``"train_acc"`` and,
        when test data are given, ``"test_acc"``: accuracies after each epoch.
    """
    _check_model(model)
    x = _batch(x)
    labels = as_labels(labels, "labels", len(x))
    epochs = as_int(epochs, "epochs", 1)
    batch_size = as_int(batch_size, "batch_size", 1)
    lr_decay = as_real(lr_decay, "lr_decay", low=0.0, high=1.0, low_open=True)
    if (x_test is None) != (labels_test is None):
        raise ValueError("x_test, labels_test: expected both or neither, got "
                         f"{'x_test' if labels_test is None else 'labels_test'} "
                         "alone")
    if x_test is not None:
        x_test = _batch(x_test, "x_test")
        labels_test = as_labels(labels_test, "labels_test", len(x_test))
    rng = as_rng(seed)
    loss = SoftmaxCrossEntropy()
    opt = SGD(model.params(), lr=lr, momentum=momentum)
    history: dict[str, list[float]] = {"loss": [], "train_acc": []}
    if x_test is not None:
        history["test_acc"] = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            cost, grads = backprop(model, loss, x[idx], labels[idx])
            opt.step(grads)
            total += cost * len(idx)
        opt.lr *= lr_decay
        history["loss"].append(total / len(x))
        history["train_acc"].append(accuracy(model, x, labels))
        if x_test is not None:
            history["test_acc"].append(accuracy(model, x_test, labels_test))
    return history
