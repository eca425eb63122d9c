"""The exercise checkers of chapters 1-3 accept right answers and refuse wrong
ones, with a message either way."""

import numpy as np
import pytest

from cnnlib import correlate2d
from cnnlib.exercises import ch01 as ex1
from cnnlib.exercises import ch02 as ex2
from cnnlib.exercises import ch03 as ex3


def _says(capsys, word):
    out = capsys.readouterr().out
    assert out.startswith(word), out


# ---- chapter 1 --------------------------------------------------------------


def test_ch01_input_gradient(capsys):
    assert ex1.check_input_gradient([-0.0241, 0.0938])
    _says(capsys, "Right")
    for wrong in ([0.0241, 0.0938], [-0.0241], "abc", [[-0.0241, 0.0938]]):
        assert not ex1.check_input_gradient(wrong)
        _says(capsys, "Not yet")


def test_ch01_output_deltas(capsys):
    assert ex1.check_output_deltas([0.1419, -0.0957])
    _says(capsys, "Right")
    assert not ex1.check_output_deltas([-0.101, 0.144])  # the chapter's target
    _says(capsys, "Not yet")


def test_ch01_gradient_count(capsys):
    for right in (23860, 23860.0, np.int64(23860), np.float32(23860)):
        assert ex1.check_gradient_count(right)
        _says(capsys, "Right")
    for wrong in (23820, 23860.5, "23860"):
        assert not ex1.check_gradient_count(wrong)
        _says(capsys, "Not yet")


def test_ch01_cross_entropy_delta(capsys):
    assert ex1.check_cross_entropy_delta(lambda z, y: 1 / (1 + np.exp(-z)) - y)
    _says(capsys, "Right")

    def quadratic(z, y):  # the quadratic cost's delta, not the cross-entropy's
        return (1 / (1 + np.exp(-z)) - y) * np.exp(-z) / (1 + np.exp(-z)) ** 2

    assert not ex1.check_cross_entropy_delta(quadratic)
    _says(capsys, "Not yet")


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
def test_ch01_bp2_tanh(capsys, fn, right):
    assert ex1.check_bp2_tanh(fn) is right
    _says(capsys, "Right" if right else "Not yet")


# ---- chapter 2 --------------------------------------------------------------


def test_ch02_parameter_counts(capsys):
    assert ex2.check_parameter_counts(38_535_168, 940_800, 1_200)
    _says(capsys, "Right")
    assert not ex2.check_parameter_counts(38_535_168, 940_800, 75)
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and "shared" in out and "dense:" not in out
    assert not ex2.check_parameter_counts(1.5, 2, 3)
    _says(capsys, "Not yet")


def _kernel_entry(r, c):
    (x, y), (xp, yp) = divmod(r, 3), divmod(c, 4)
    i, j = xp - x, yp - y
    return (i, j) if 0 <= i <= 1 and 0 <= j <= 1 else None


def test_ch02_kernel_entry(capsys):
    assert ex2.check_kernel_entry(_kernel_entry)
    _says(capsys, "Right")
    transposed = lambda r, c: None if _kernel_entry(r, c) is None else (  # noqa: E731
        _kernel_entry(r, c)[::-1])
    assert not ex2.check_kernel_entry(transposed)
    _says(capsys, "Not yet")
    assert not ex2.check_kernel_entry(lambda r, c: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_ch02_nonzero_counts(capsys):
    assert ex2.check_nonzeros(3888)
    _says(capsys, "Right")
    assert not ex2.check_nonzeros(27648)
    _says(capsys, "Not yet")
    assert ex2.check_padded_nonzeros(64)
    _says(capsys, "Right")
    assert not ex2.check_padded_nonzeros(100)
    _says(capsys, "Not yet")


# ---- chapter 3 --------------------------------------------------------------


def test_ch03_output_size(capsys):
    assert ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - d * (K - 1) - 1)
                                 // s + 1)
    _says(capsys, "Right")
    assert not ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - K) // s + 1)
    _says(capsys, "Not yet")
    assert not ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - d * (K - 1)
                                                            - 1) / s + 1)
    _says(capsys, "Not yet")


def test_ch03_by_hand(capsys):
    assert ex3.check_by_hand(3, 2)
    _says(capsys, "Right")
    assert not ex3.check_by_hand(3, 5)
    assert "valid cross-correlation" in capsys.readouterr().out
    assert not ex3.check_by_hand("3", 2)
    _says(capsys, "Not yet")


def test_ch03_symmetric_kernel(capsys):
    assert ex3.check_symmetric_kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    _says(capsys, "Right")
    for wrong in ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], np.ones((3, 3)),
                  np.eye(2), "abc"):
        assert not ex3.check_symmetric_kernel(wrong)
        _says(capsys, "Not yet")


def test_ch03_strided(capsys):
    assert ex3.check_strided(lambda a, k, s: correlate2d(a, k)[::s, ::s])
    _says(capsys, "Right")
    assert not ex3.check_strided(lambda a, k, s: correlate2d(a, k)[s - 1::s, ::s])
    _says(capsys, "Not yet")
