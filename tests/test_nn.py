"""cnnlib.nn: every layer's backward against finite differences, the whole
network's gradient, the optimiser, training, and the errors."""

import numpy as np
import pytest

from cnnlib import numerical_gradient, relative_error
from cnnlib.nn import (
    SGD,
    Conv2D,
    Dense,
    Flatten,
    Layer,
    MaxPool2D,
    ReLU,
    Sequential,
    Sigmoid,
    SoftmaxCrossEntropy,
    Tanh,
    accuracy,
    backprop,
    digits_cnn,
    fit,
    predict,
)

TOL = 1e-7


def _check_layer(layer, x, rng, params=()):
    """dC/dx and dC/dparam of C = <layer(x), g> for a random upstream g."""
    g = rng.normal(size=layer.forward(x).shape)
    dx = layer.backward(g)
    num_dx = numerical_gradient(lambda v: np.sum(layer.forward(v) * g), x)
    assert relative_error(dx, num_dx) < TOL
    layer.forward(x)
    layer.backward(g)
    for name in params:
        p = layer.params[name]
        num = numerical_gradient(lambda _: np.sum(layer.forward(x) * g), p)
        assert relative_error(layer.grads[name], num) < TOL, name


@pytest.mark.parametrize("stride,padding", [(1, 0), (1, 1), (2, 1)])
def test_conv2d_layer_gradients_match_finite_differences(stride, padding):
    rng = np.random.default_rng(0)
    layer = Conv2D(2, 3, 3, stride=stride, padding=padding, seed=1)
    layer.params["b"][:] = rng.normal(size=3)
    x = rng.normal(size=(2, 2, 5, 6))
    _check_layer(layer, x, rng, params=("w", "b"))


@pytest.mark.parametrize("layer_cls", [Sigmoid, Tanh, ReLU])
def test_activation_layer_gradient_is_delta_times_sigma_prime(layer_cls):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2, 4, 4))
    x[np.abs(x) < 1e-2] = 0.5  # keep ReLU away from its kink
    _check_layer(layer_cls(), x, rng)


def test_maxpool_layer_gradient_goes_to_each_window_max():
    rng = np.random.default_rng(2)
    x = rng.permutation(np.arange(2 * 2 * 6 * 6, dtype=np.float64)).reshape(2, 2, 6, 6)
    _check_layer(MaxPool2D(2), x / 10.0, rng)


def test_flatten_layer_backward_restores_the_shape():
    rng = np.random.default_rng(3)
    _check_layer(Flatten(), rng.normal(size=(2, 3, 2, 2)), rng)


def test_dense_layer_gradients_match_finite_differences():
    rng = np.random.default_rng(4)
    layer = Dense(7, 4, seed=5)
    layer.params["b"][:] = rng.normal(size=4)
    _check_layer(layer, rng.normal(size=(3, 7)), rng, params=("w", "b"))


def test_softmax_cross_entropy_output_error_matches_finite_differences():
    rng = np.random.default_rng(6)
    logits = rng.normal(size=(5, 10))
    labels = rng.integers(0, 10, size=5)
    loss = SoftmaxCrossEntropy()
    loss.forward(logits, labels)
    num = numerical_gradient(lambda z: SoftmaxCrossEntropy().forward(z, labels), logits)
    assert relative_error(loss.backward(), num) < TOL


def _small_net(seed=0):
    return Sequential(
        Conv2D(1, 3, 3, padding=1, seed=seed), Tanh(), MaxPool2D(2),
        Conv2D(3, 2, 2, seed=seed + 1), Sigmoid(), Flatten(), Dense(8, 4, seed=seed + 2),
    )


def test_whole_network_gradient_matches_finite_differences():
    rng = np.random.default_rng(7)
    model = _small_net()
    for p in model.params().values():
        p += 0.1 * rng.normal(size=p.shape)  # biases away from zero too
    x = rng.normal(size=(3, 1, 6, 6))
    labels = np.array([0, 3, 1])
    loss = SoftmaxCrossEntropy()
    _, grads = backprop(model, loss, x, labels)
    grads = {k: v.copy() for k, v in grads.items()}
    for name, p in model.params().items():
        num = numerical_gradient(lambda _: loss.forward(model.forward(x), labels), p)
        assert relative_error(grads[name], num) < TOL, name


def test_backprop_input_delta_matches_finite_differences():
    rng = np.random.default_rng(8)
    model = _small_net(3)
    x = rng.normal(size=(2, 1, 6, 6))
    labels = np.array([2, 1])
    loss = SoftmaxCrossEntropy()
    loss.forward(model.forward(x), labels)
    dx = model.backward(loss.backward())
    num = numerical_gradient(lambda v: loss.forward(model.forward(v), labels), x)
    assert relative_error(dx, num) < TOL


def test_params_and_grads_share_keys_and_shapes():
    model = _small_net()
    x = np.random.default_rng(9).normal(size=(2, 1, 6, 6))
    _, grads = backprop(model, SoftmaxCrossEntropy(), x, np.array([0, 1]))
    params = model.params()
    assert list(params) == list(grads) == ["0.w", "0.b", "3.w", "3.b", "6.w", "6.b"]
    assert all(params[k].shape == grads[k].shape for k in params)


def test_initialisation_is_seeded():
    a, b = Conv2D(2, 4, 3, seed=11), Conv2D(2, 4, 3, seed=11)
    c = Conv2D(2, 4, 3, seed=12)
    assert np.array_equal(a.params["w"], b.params["w"])
    assert not np.array_equal(a.params["w"], c.params["w"])
    assert np.all(a.params["b"] == 0)
    # He initialisation: variance 2 / fan_in
    big = Conv2D(8, 64, 3, seed=0).params["w"]
    assert abs(big.var() - 2 / 72) < 0.1 * 2 / 72


def test_sgd_without_momentum_steps_against_the_gradient():
    rng = np.random.default_rng(10)
    p = {"w": rng.normal(size=(3, 2))}
    g = {"w": rng.normal(size=(3, 2))}
    before = p["w"].copy()
    SGD(p, lr=0.5).step(g)
    assert np.allclose(p["w"], before - 0.5 * g["w"])


def test_sgd_momentum_accumulates_velocity():
    p = {"w": np.zeros(2)}
    opt = SGD(p, lr=0.1, momentum=0.9)
    g = {"w": np.array([1.0, -2.0])}
    opt.step(g)
    opt.step(g)
    # v1 = -0.1 g, v2 = 0.9 v1 - 0.1 g: p = v1 + v2 = -0.29 g
    assert np.allclose(p["w"], -0.29 * g["w"])


def test_training_on_a_digit_subset_learns_quickly():
    from cnnlib.data import load_digits, train_test_split

    x, labels = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(x, labels, test_fraction=0.3, seed=1)
    model = Sequential(Conv2D(1, 4, 3, padding=1, seed=0), ReLU(), MaxPool2D(2),
                       Flatten(), Dense(64, 10, seed=1))
    history = fit(model, x_tr[:400], y_tr[:400], epochs=6, batch_size=16, lr=0.05,
                  seed=0, x_test=x_te[:200], labels_test=y_te[:200])
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["test_acc"][-1] >= 0.85
    assert accuracy(model, x_te[:200], y_te[:200]) == history["test_acc"][-1]
    assert predict(model, x_te[:5]).shape == (5,)


def test_training_is_reproducible_with_the_same_seed():
    rng = np.random.default_rng(12)
    x = rng.random((40, 1, 6, 6))
    labels = rng.integers(0, 3, 40)

    def run():
        model = Sequential(Conv2D(1, 2, 3, seed=0), ReLU(), Flatten(),
                           Dense(32, 3, seed=1))
        return fit(model, x, labels, epochs=2, batch_size=8, seed=5)["loss"]

    assert run() == run()


def test_backward_before_forward_raises():
    for layer in (Conv2D(1, 1, 2), Dense(2, 2), ReLU(), MaxPool2D(2), Flatten()):
        with pytest.raises(RuntimeError, match="forward first"):
            layer.backward(np.zeros((1, 1)))
    with pytest.raises(RuntimeError, match="forward first"):
        SoftmaxCrossEntropy().backward()


def test_bad_shapes_raise_errors_naming_the_argument():
    dense = Dense(3, 2)
    with pytest.raises(ValueError, match=r"x: expected shape .*got shape \(4, 5\)"):
        dense.forward(np.zeros((4, 5)))
    dense.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"delta: expected shape \(4, 2\)"):
        dense.backward(np.zeros((4, 3)))
    relu = ReLU()
    relu.forward(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="delta"):
        relu.backward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="x: expected 4 dims"):
        Conv2D(1, 1, 2).forward(np.zeros((3, 3)))
    with pytest.raises(ValueError, match="kernel_size"):
        Conv2D(1, 1, 0)
    with pytest.raises(ValueError, match="in_features"):
        Dense(0, 3)


def test_bad_model_and_optimiser_arguments_raise():
    with pytest.raises(TypeError, match=r"layers\[1\]"):
        Sequential(ReLU(), "not a layer")
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential()
    with pytest.raises(ValueError, match="lr"):
        SGD({}, lr=0.0)
    with pytest.raises(ValueError, match="momentum"):
        SGD({}, momentum=1.0)
    p = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match="grads"):
        SGD(p).step({"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"grads\['w'\]"):
        SGD(p).step({"w": np.zeros(3)})
    model = Sequential(Flatten(), Dense(4, 2))
    with pytest.raises(RuntimeError, match="call backward first"):
        model.grads()
    x = np.zeros((3, 1, 2, 2))
    with pytest.raises(ValueError, match="labels"):
        fit(model, x, np.zeros(2, dtype=int))
    with pytest.raises(ValueError, match="lr_decay"):
        fit(model, x, np.zeros(3, dtype=int), lr_decay=0.0)
    with pytest.raises(ValueError, match="labels"):
        accuracy(model, x, np.zeros(2, dtype=int))


def test_layers_describe_themselves():
    model = Sequential(Conv2D(1, 8, 3, padding=1), ReLU(), MaxPool2D(2), Flatten(),
                       Dense(128, 10))
    text = repr(model)
    assert "Conv2D(1, 8, kernel_size=(3, 3)" in text and "Dense(128, 10)" in text
    assert isinstance(model.layers[1], Layer)


def test_digits_cnn_is_the_chapter_6_network():
    model = digits_cnn(seed=3)
    assert sum(p.size for p in model.params().values()) == 160 + 2570
    assert model.forward(np.zeros((2, 1, 8, 8))).shape == (2, 10)
    assert np.array_equal(model.layers[0].params["w"],
                          digits_cnn(seed=3).layers[0].params["w"])
