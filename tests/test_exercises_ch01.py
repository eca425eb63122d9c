"""The exercise checkers of chapter 1 (the deltas of a multilayer perceptron): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

import numpy as np
import pytest

from cnnlib.exercises import ch01 as ex1


def test_ch01_input_gradient(says):
    assert ex1.check_input_gradient([-0.0241, 0.0938])
    says("Right")
    for wrong in ([0.0241, 0.0938], [-0.0241], "abc", [[-0.0241, 0.0938]]):
        assert not ex1.check_input_gradient(wrong)
        says("Not yet")


def test_ch01_output_deltas(says):
    assert ex1.check_output_deltas([0.1419, -0.0957])
    says("Right")
    assert not ex1.check_output_deltas([-0.101, 0.144])  # the chapter's target
    says("Not yet")


def test_ch01_gradient_count(says):
    for right in (23860, 23860.0, np.int64(23860), np.float32(23860)):
        assert ex1.check_gradient_count(right)
        says("Right")
    for wrong in (23820, 23860.5, "23860"):
        assert not ex1.check_gradient_count(wrong)
        says("Not yet")


def test_ch01_cross_entropy_delta(says):
    assert ex1.check_cross_entropy_delta(lambda z, y: 1 / (1 + np.exp(-z)) - y)
    says("Right")

    def quadratic(z, y):  # the quadratic cost's delta, not the cross-entropy's
        return (1 / (1 + np.exp(-z)) - y) * np.exp(-z) / (1 + np.exp(-z)) ** 2

    assert not ex1.check_cross_entropy_delta(quadratic)
    says("Not yet")


def test_ch01_cross_entropy_delta_reports_a_crash(capsys):
    def broken(z, y):
        raise RuntimeError("boom")

    assert not ex1.check_cross_entropy_delta(broken)
    assert "RuntimeError: boom" in capsys.readouterr().out


@pytest.mark.parametrize(
    "fn, right",
    [
        (lambda w, d, z: (w.T @ d) * (1 - np.tanh(z) ** 2), True),
        (lambda w, d, z: (w.T @ d) * (1 - z ** 2), False),  # tanh' of the wrong thing
        (lambda w, d, z: (w @ d) if w.shape[0] == w.shape[1] else w[:1].T @ d[:1],
         False),
        (lambda w, d, z: (w.T @ d), False),  # forgot sigma'
    ],
)
def test_ch01_bp2_tanh(says, fn, right):
    assert ex1.check_bp2_tanh(fn) is right
    says("Right" if right else "Not yet")
