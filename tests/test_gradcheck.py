"""numerical_gradient and relative_error."""

import numpy as np
import pytest

from cnnlib import numerical_gradient, relative_error


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3, 2)])
def test_numerical_gradient_of_known_function(shape):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape)
    a = rng.normal(size=shape)
    # f(x) = sum(a * x**3), so df/dx = 3 a x**2
    g = numerical_gradient(lambda v: np.sum(a * v**3), x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, 3 * a * x**2, rtol=1e-6, atol=1e-8)


def test_numerical_gradient_restores_x_bit_for_bit():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 5)) * 1e3  # x + h - h would not round-trip exactly
    x0 = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_array_equal(x, x0)


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.arange(3.0)
    x0 = x.copy()
    calls = []

    def f(v):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return v.sum()

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, x0)


def test_numerical_gradient_works_through_a_closure_over_x():
    x = np.array([1.0, 2.0, -1.0])
    g = numerical_gradient(lambda _: float(np.sum(x**2)), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-8)


def test_numerical_gradient_on_a_non_contiguous_view_nudges_the_base():
    base = np.arange(12.0).reshape(3, 4)
    view = base[:, ::2]
    g = numerical_gradient(lambda _: float(np.sum(base**2)), view)
    np.testing.assert_allclose(g, 2 * view, rtol=1e-8)


@pytest.mark.parametrize(
    "x, error, fragment",
    [
        (np.arange(3), TypeError, "float64"),
        ([1.0, 2.0], TypeError, "list"),
        (np.zeros(3, dtype=np.float32), TypeError, "float32"),
    ],
)
def test_numerical_gradient_rejects_non_float64_arrays(x, error, fragment):
    with pytest.raises(error) as info:
        numerical_gradient(lambda v: 0.0, x)
    assert "x" in str(info.value) and fragment in str(info.value)


def test_numerical_gradient_rejects_non_scalar_f_and_bad_step():
    x = np.zeros(2)
    with pytest.raises(ValueError, match=r"f: expected a scalar.*\(2,\)"):
        numerical_gradient(lambda v: v * 2, x)
    with pytest.raises(ValueError, match="h"):
        numerical_gradient(lambda v: v.sum(), x, h=0.0)


def test_relative_error_formula():
    a = np.array([1.0, -2.0, 3.0])
    b = np.array([1.0, -2.5, 3.0])
    # max |a-b| / max(|a|+|b|) = 0.5 / 6
    assert relative_error(a, b) == pytest.approx(0.5 / 6.0, rel=1e-15)
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(4), np.zeros(4)) == 0.0
    assert relative_error(a, -a) == 1.0
    assert relative_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0


def test_relative_error_rejects_shape_mismatch_instead_of_broadcasting():
    with pytest.raises(ValueError) as info:
        relative_error(np.zeros((3, 1)), np.zeros(3))
    assert "(3, 1)" in str(info.value) and "(3,)" in str(info.value)
