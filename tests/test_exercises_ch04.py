"""The exercise checkers of chapter 4 (backpropagating deltas): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

import numpy as np
import pytest
from checker_tools import assert_grid_checker

from cnnlib import convolve2d, correlate2d, rot180
from cnnlib.exercises import ch04 as ex4


def _strided_delta(delta, w, in_shape):
    oh, ow = delta.shape
    dilated = np.zeros((2 * oh - 1, 2 * ow - 1))
    dilated[::2, ::2] = delta
    full = convolve2d(dilated, w, mode="full")
    out = np.zeros(in_shape)
    out[:full.shape[0], :full.shape[1]] = full
    return out


def test_ch04_input_gradient_by_hand(capsys):
    right = convolve2d(ex4.EXERCISE_DELTA, ex4.EXERCISE_KERNEL, mode="full")
    other_convention = convolve2d(ex4.EXERCISE_DELTA, rot180(ex4.EXERCISE_KERNEL),
                                  mode="full")
    assert_grid_checker(ex4.check_input_gradient_by_hand, right, other_convention,
                        "other convention", capsys)


def test_ch04_rule_choice():
    assert ex4.check_rule_for_true_convolution(" (B) ")
    assert not any(ex4.check_rule_for_true_convolution(c) for c in "acd")


def test_ch04_mixup_kernel():
    assert ex4.check_mixup_is_hidden([[1, 2, 3], [4, 5, 4], [3, 2, 1]])
    assert not ex4.check_mixup_is_hidden(np.ones((3, 3)))
    assert not ex4.check_mixup_is_hidden(np.arange(9).reshape(3, 3))
    assert not ex4.check_mixup_is_hidden([1, 2])


def test_ch04_strided_delta():
    assert ex4.check_strided_delta(_strided_delta)

    def stride_one_rule(delta, w, in_shape):
        full = convolve2d(delta, w, mode="full")
        out = np.zeros(in_shape)
        out[:full.shape[0], :full.shape[1]] = full
        return out

    assert not ex4.check_strided_delta(stride_one_rule)

    def crashes(delta, w, in_shape):
        raise IndexError("oops")

    assert not ex4.check_strided_delta(crashes)


def test_ch04_multichannel_delta():
    def right(delta, w):
        f_count, c_count = w.shape[:2]
        return np.stack([sum(correlate2d(delta[f], rot180(w[f, c]), mode="full")
                             for f in range(f_count)) for c in range(c_count)])

    def unrotated(delta, w):
        f_count, c_count = w.shape[:2]
        return np.stack([sum(correlate2d(delta[f], w[f, c], mode="full")
                             for f in range(f_count)) for c in range(c_count)])

    assert ex4.check_multichannel_delta(right)
    assert not ex4.check_multichannel_delta(unrotated)
    assert not ex4.check_multichannel_delta(lambda d, w: None)


@pytest.mark.parametrize("name", ex4.__all__)
def test_ch04_exports_exist(name):
    assert hasattr(ex4, name)
