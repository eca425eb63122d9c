"""Checkers of the exercises of chapter 7: right answers pass, typical wrong
answers fail, and nothing the reader passes in can crash a checker."""

import numpy as np
from checker_tools import assert_grid_checker

from cnnlib import convolve2d
from cnnlib.exercises import ch07 as ex7
from cnnlib.rules import dilate_kernel


def _strided_by_hand():
    out = np.zeros((5, 5))
    for x in range(2):
        for y in range(2):
            out[2 * x:2 * x + 2, 2 * y:2 * y + 2] += ex7.EXERCISE_DELTA[x, y] * \
                ex7.EXERCISE_KERNEL
    return out


def test_ch07_strided_by_hand_accepts_the_scatter_and_rejects_a_filled_last_row(
        capsys):
    right = _strided_by_hand()
    wrong = right.copy()
    wrong[4] = 1.0
    assert_grid_checker(ex7.check_strided_by_hand, right, wrong, "never read", capsys)


def test_ch07_output_padding_needs_both_numbers():
    assert ex7.check_output_padding(4, 1)
    assert not ex7.check_output_padding(4, 0)
    assert not ex7.check_output_padding(3, 1)
    assert not ex7.check_output_padding("four", None)


def test_ch07_dilated_input_gradient_needs_the_kernel_with_holes():
    def right(delta, w, in_shape, d):
        return convolve2d(delta, dilate_kernel(w, d), mode="full")

    def no_holes(delta, w, in_shape, d):
        full = convolve2d(delta, w, mode="full")
        out = np.zeros(in_shape)
        out[:full.shape[0], :full.shape[1]] = full
        return out

    def crashes(delta, w, in_shape, d):
        raise IndexError("oops")

    assert ex7.check_dilated_input_gradient(right)
    assert not ex7.check_dilated_input_gradient(no_holes)
    assert not ex7.check_dilated_input_gradient(crashes)


def _max_pool_backward(delta, a, k, last=False):
    out = np.zeros_like(a)
    for x in range(delta.shape[0]):
        for y in range(delta.shape[1]):
            win = a[k * x:k * x + k, k * y:k * y + k]
            flat = win.ravel()
            idx = (len(flat) - 1 - np.argmax(flat[::-1])) if last else np.argmax(flat)
            i, j = divmod(int(idx), k)
            out[k * x + i, k * y + j] += delta[x, y]
    return out


def test_ch07_max_pool_backward_routes_ties_to_the_first_maximum(capsys):
    assert ex7.check_max_pool_backward(_max_pool_backward)
    capsys.readouterr()
    assert not ex7.check_max_pool_backward(
        lambda d, a, k: _max_pool_backward(d, a, k, last=True))
    assert "first maximum" in capsys.readouterr().out
    assert not ex7.check_max_pool_backward(lambda d, a, k: None)


def test_ch07_transpose_backward_choice():
    assert ex7.check_transpose_backward(" (A) ")
    assert not any(ex7.check_transpose_backward(c) for c in "bcd")


def test_ch07_avg_pool_kernel_is_diagonal_in_channels():
    w = np.zeros((3, 3, 2, 2))
    for c in range(3):
        w[c, c] = 0.25
    assert ex7.check_avg_pool_kernel(w)
    assert not ex7.check_avg_pool_kernel(np.full((3, 3, 2, 2), 0.25))
    assert not ex7.check_avg_pool_kernel(np.full((3, 3, 2, 2), 1 / 12))
    assert not ex7.check_avg_pool_kernel([[1]])
