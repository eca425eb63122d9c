"""The exercise checkers of chapter 3 (the forward convolution): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

import numpy as np

from cnnlib import correlate2d
from cnnlib.exercises import ch03 as ex3


def test_ch03_output_size(says):
    assert ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - d * (K - 1) - 1)
                                 // s + 1)
    says("Right")
    assert not ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - K) // s + 1)
    says("Not yet")
    assert not ex3.check_output_size(lambda H, K, p, s, d: (H + 2 * p - d * (K - 1)
                                                            - 1) / s + 1)
    says("Not yet")


def test_ch03_by_hand(capsys, says):
    assert ex3.check_by_hand(3, 2)
    says("Right")
    assert not ex3.check_by_hand(3, 5)
    assert "valid cross-correlation" in capsys.readouterr().out
    assert not ex3.check_by_hand("3", 2)
    says("Not yet")


def test_ch03_symmetric_kernel(says):
    assert ex3.check_symmetric_kernel([[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    says("Right")
    for wrong in ([[1, 0, -1], [2, 0, -2], [1, 0, -1]], np.ones((3, 3)),
                  np.eye(2), "abc"):
        assert not ex3.check_symmetric_kernel(wrong)
        says("Not yet")


def test_ch03_strided(says):
    assert ex3.check_strided(lambda a, k, s: correlate2d(a, k)[::s, ::s])
    says("Right")
    assert not ex3.check_strided(lambda a, k, s: correlate2d(a, k)[s - 1::s, ::s])
    says("Not yet")
