"""Activations: derivatives by finite differences, numerical stability."""

import numpy as np
import pytest

from cnnlib import (
    ACTIVATIONS,
    numerical_gradient,
    relative_error,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    tanh,
    tanh_prime,
)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name):
    f, f_prime = ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4)) * 3
    z[np.abs(z) < 1e-3] = 0.5  # keep away from relu's kink
    upstream = rng.normal(size=z.shape)
    num = numerical_gradient(lambda v: np.sum(f(v) * upstream), z)
    assert relative_error(f_prime(z) * upstream, num) < 1e-8


def test_activations_registry_names_the_pairs():
    assert ACTIVATIONS == {
        "sigmoid": (sigmoid, sigmoid_prime),
        "tanh": (tanh, tanh_prime),
        "relu": (relu, relu_prime),
    }


def test_sigmoid_is_stable_for_large_inputs():
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = sigmoid(z)
        sigmoid_prime(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    np.testing.assert_allclose(s[1], np.exp(-50.0) / (1 + np.exp(-50.0)), rtol=1e-14)


def test_sigmoid_symmetry_and_values():
    z = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)


def test_relu_prime_is_zero_at_zero_like_pytorch():
    np.testing.assert_array_equal(relu_prime(np.array([-1.0, 0.0, 2.0])), [0, 0, 1])
    np.testing.assert_array_equal(relu(np.array([-1.0, 0.0, 2.0])), [0, 0, 2])


def test_activations_accept_ints_return_float64_and_do_not_mutate():
    z = np.array([[-2, 0, 3]])
    for f, fp in ACTIVATIONS.values():
        assert f(z).dtype == np.float64 and fp(z).dtype == np.float64
    zf = np.array([-1.0, 2.0])
    for f, fp in ACTIVATIONS.values():
        f(zf), fp(zf)
    np.testing.assert_array_equal(zf, [-1.0, 2.0])


def test_activations_reject_non_numeric_input():
    with pytest.raises(TypeError, match="z"):
        sigmoid("1.0")
