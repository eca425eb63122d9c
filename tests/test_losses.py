"""Costs: values, gradients by finite differences, stability, validation."""

import numpy as np
import pytest

from cnnlib import (
    numerical_gradient,
    quadratic_cost,
    quadratic_cost_grad,
    relative_error,
    softmax,
    softmax_cross_entropy,
)


def test_quadratic_cost_is_batch_mean_of_half_squared_norms():
    a = np.array([[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]])
    y = np.array([[0.0, 2.0], [1.0, 1.0], [3.0, 1.0]])
    # per example: 0.5*1, 0.5*2, 0.5*4 -> mean 3.5 / 3
    assert quadratic_cost(a, y) == pytest.approx(3.5 / 3, rel=1e-15)


def test_quadratic_cost_grad_matches_finite_differences():
    rng = np.random.default_rng(0)
    a, y = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, 3, 2))
    num = numerical_gradient(lambda v: quadratic_cost(v, y), a)
    assert relative_error(quadratic_cost_grad(a, y), num) < 1e-8


def test_quadratic_cost_single_example_gradient_is_a_minus_y():
    a, y = np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]])
    np.testing.assert_allclose(quadratic_cost_grad(a, y), a - y)


def test_quadratic_cost_rejects_mismatched_shapes():
    with pytest.raises(ValueError) as info:
        quadratic_cost(np.zeros((2, 3)), np.zeros((3, 2)))
    assert "y" in str(info.value) and "(2, 3)" in str(info.value)
    assert "(3, 2)" in str(info.value)


def test_softmax_is_stable_and_sums_to_one():
    z = np.array([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        p = softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [0.5, 0.5, 0.0])
    e = np.exp([0.0, 1.0, 2.0])
    np.testing.assert_allclose(p[1], e / e.sum(), rtol=1e-14)
    np.testing.assert_allclose(softmax(z.T, axis=0), p.T)


def test_softmax_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 4)) * 3
    labels = np.array([0, 3, 1, 1, 2])
    loss, dz = softmax_cross_entropy(z, labels)
    p = softmax(z)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), labels])), rel=1e-13)
    num = numerical_gradient(lambda v: softmax_cross_entropy(v, labels)[0], z)
    assert relative_error(dz, num) < 1e-8
    np.testing.assert_allclose(dz.sum(axis=1), 0.0, atol=1e-15)


def test_softmax_cross_entropy_is_finite_for_huge_logits():
    z = np.array([[1e4, -1e4], [-1e4, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss, dz = softmax_cross_entropy(z, np.array([1, 1]))
    assert loss == pytest.approx(1e4)  # (2e4 + 0) / 2
    assert np.all(np.isfinite(dz))


@pytest.mark.parametrize(
    "logits, labels, error, fragments",
    [
        (np.zeros((2, 3)), np.array([0, 3]), ValueError, ["labels", "0..2", "0..3"]),
        (np.zeros((2, 3)), np.array([-1, 0]), ValueError, ["labels", "0..2"]),
        (np.zeros((2, 3)), np.array([0.0, 1.0]), TypeError, ["labels", "float64"]),
        (np.zeros((2, 3)), np.array([0, 1, 2]), ValueError,
         ["labels", "(N,) = (2,)", "(3,)"]),
        (np.zeros(3), np.array([0]), ValueError,
         ["logits: expected 2 dims (N, K), got shape (3,)"]),
    ],
)
def test_softmax_cross_entropy_rejects_bad_input(logits, labels, error, fragments):
    with pytest.raises(error) as info:
        softmax_cross_entropy(logits, labels)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_losses_do_not_mutate_inputs():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 4))
    labels = np.array([0, 1, 2])
    z0 = z.copy()
    softmax_cross_entropy(z, labels)
    softmax(z)
    quadratic_cost(z, z0 + 1)
    quadratic_cost_grad(z, z0 + 1)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(labels, [0, 1, 2])
