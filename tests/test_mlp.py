"""cnnlib.mlp: BP1-BP4 against finite differences, shapes, and input errors."""

import numpy as np
import pytest

from cnnlib.gradcheck import numerical_gradient, relative_error
from cnnlib.mlp import MLP, Backprop

SIZES = [(2, 3, 2), (4, 5, 3, 2), (3, 1, 4), (1, 1)]


def _agree(analytic, numeric):
    # relative error for gradients of normal size; an absolute floor of 1e-9
    # covers tiny entries, where central differences only reach eps * C / h
    assert (relative_error(analytic, numeric) < 1e-7
            or np.max(np.abs(analytic - numeric)) < 1e-9)


def _example(sizes, seed):
    rng = np.random.default_rng(seed)
    net = MLP.random(sizes, seed=seed)
    x = rng.standard_normal(sizes[0])
    y = rng.uniform(0.0, 1.0, sizes[-1])
    return net, x, y


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("seed", [0, 1])
def test_weight_gradient_matches_finite_differences_bp4(sizes, seed):
    net, x, y = _example(sizes, seed)
    bp = net.backprop(x, y)
    for l in range(1, net.L + 1):
        num = numerical_gradient(lambda _: net.cost(x, y), net.weights[l])
        _agree(bp.grad_w[l], num)


@pytest.mark.parametrize("sizes", SIZES)
def test_bias_gradient_matches_finite_differences_bp3(sizes):
    net, x, y = _example(sizes, 2)
    bp = net.backprop(x, y)
    for l in range(1, net.L + 1):
        num = numerical_gradient(lambda _: net.cost(x, y), net.biases[l])
        _agree(bp.grad_b[l], num)
        np.testing.assert_array_equal(bp.grad_b[l], bp.deltas[l])


@pytest.mark.parametrize("sizes", SIZES)
def test_every_delta_is_the_derivative_of_the_cost_by_z_bp1_bp2(sizes):
    net, x, y = _example(sizes, 3)
    bp = net.backprop(x, y)
    for l in range(1, net.L + 1):
        z = bp.zs[l].copy()
        num = numerical_gradient(lambda zz, l=l: net.cost_from(l, zz, y), z)
        _agree(bp.deltas[l], num)


def test_delta_is_weighted_sum_of_next_deltas_bp2_written_as_a_loop():
    net, x, y = _example((3, 4, 2), 4)
    bp = net.backprop(x, y)
    s = bp.zs[1]
    sp = np.exp(-s) / (1 + np.exp(-s)) ** 2
    for j in range(4):
        total = sum(net.weights[2][k, j] * bp.deltas[2][k] for k in range(2))
        assert np.isclose(bp.deltas[1][j], total * sp[j])


def test_weight_gradient_is_outer_product_of_delta_and_previous_activation():
    net, x, y = _example((3, 4, 2), 5)
    bp = net.backprop(x, y)
    for l in range(1, net.L + 1):
        for j, k in np.ndindex(bp.grad_w[l].shape):
            assert bp.grad_w[l][j, k] == bp.deltas[l][j] * bp.activations[l - 1][k]


def test_backprop_shapes_and_layer_indexing():
    net, x, y = _example((4, 5, 3, 2), 6)
    bp = net.backprop(x, y)
    assert isinstance(bp, Backprop)
    assert net.L == 3 and net.sizes == (4, 5, 3, 2)
    for lst in (bp.grad_w, bp.grad_b, bp.deltas, bp.zs, bp.activations):
        assert len(lst) == net.L + 1
    assert bp.grad_w[0] is None and bp.deltas[0] is None and bp.zs[0] is None
    np.testing.assert_array_equal(bp.activations[0], x)
    for l in range(1, net.L + 1):
        assert bp.grad_w[l].shape == net.weights[l].shape == (net.sizes[l],
                                                              net.sizes[l - 1])
        assert bp.grad_b[l].shape == bp.deltas[l].shape == (net.sizes[l],)
    assert np.isclose(bp.cost, net.cost(x, y))


def test_feedforward_follows_z_equals_w_a_plus_b():
    net, x, _ = _example((3, 4, 2), 7)
    fw = net.feedforward(x)
    for l in range(1, net.L + 1):
        z = net.weights[l] @ fw.activations[l - 1] + net.biases[l]
        np.testing.assert_allclose(fw.zs[l], z)
        np.testing.assert_allclose(fw.activations[l], 1 / (1 + np.exp(-z)))


def test_backprop_does_not_change_inputs_or_weights():
    net, x, y = _example((3, 4, 2), 8)
    before = [p.copy() for p in net.parameters()]
    x0, y0 = x.copy(), y.copy()
    net.backprop(x, y)
    for p, q in zip(net.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)


def test_constructor_copies_arrays():
    w1 = np.ones((2, 3))
    net = MLP([None, w1], [None, np.zeros(2)])
    w1[0, 0] = 5.0
    assert net.weights[1][0, 0] == 1.0


def test_random_is_reproducible_by_seed():
    a, b = MLP.random((3, 4, 2), seed=11), MLP.random((3, 4, 2), seed=11)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize(
    "weights, biases, match",
    [
        ([None, np.ones((2, 3))], [None, np.ones(3)], r"biases\[1\].*\(2,\).*\(3,\)"),
        ([None, np.ones((2, 3)), np.ones((2, 4))],
         [None, np.ones(2), np.ones(2)], r"weights\[2\].*\(2, 4\)"),
        ([np.ones((2, 2)), np.ones((2, 3))], [None, np.ones(2)], r"weights\[0\]"),
        ([None, np.ones(3)], [None, np.ones(3)], r"weights\[1\].*2 dims.*\(3,\)"),
        ([None, np.ones((2, 3))], [None], "one entry per layer"),
    ],
)
def test_constructor_rejects_bad_shapes_naming_them(weights, biases, match):
    with pytest.raises(ValueError, match=match):
        MLP(weights, biases)


def test_backprop_rejects_wrong_input_and_target_shapes():
    net = MLP.random((3, 4, 2))
    with pytest.raises(ValueError, match=r"x: .*\(3,\).*\(4,\)"):
        net.backprop(np.ones(4), np.ones(2))
    with pytest.raises(ValueError, match=r"y: .*\(2,\).*\(2, 1\)"):
        net.backprop(np.ones(3), np.ones((2, 1)))
    with pytest.raises(TypeError, match="x"):
        net.backprop("abc", np.ones(2))


@pytest.mark.parametrize("sizes", [(3,), (3, 0, 2), (3, 2.5), ()])
def test_random_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes"):
        MLP.random(sizes)


def test_cost_from_rejects_bad_layer():
    net = MLP.random((3, 4, 2))
    with pytest.raises(ValueError, match="l: expected a layer 1..2"):
        net.cost_from(0, np.ones(3), np.ones(2))
