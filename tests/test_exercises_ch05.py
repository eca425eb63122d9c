"""The exercise checkers of chapter 5 (gradients of the weights and biases): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

import numpy as np

from cnnlib import correlate2d, rot180
from cnnlib.exercises import ch05 as ex5


def test_ch05_weight_gradient_by_hand():
    dw = correlate2d(ex5.EXERCISE_ACTIVATIONS, ex5.EXERCISE_DELTA)
    assert ex5.check_weight_gradient_by_hand(dw, ex5.EXERCISE_DELTA.sum())
    assert not ex5.check_weight_gradient_by_hand(rot180(dw), ex5.EXERCISE_DELTA.sum())
    assert not ex5.check_weight_gradient_by_hand(dw, 0.0)
    assert not ex5.check_weight_gradient_by_hand("dw", None)


def test_ch05_tied_counts():
    assert ex5.check_tied_counts(36, 49)
    assert not ex5.check_tied_counts(36, 64)


def test_ch05_strided_weight_gradient():
    def right(a, delta, k_shape):
        oh, ow = delta.shape
        return np.array([[np.sum(delta * a[i:i + 2 * oh:2, j:j + 2 * ow:2])
                          for j in range(k_shape[1])] for i in range(k_shape[0])])

    def stride_one(a, delta, k_shape):
        oh, ow = delta.shape
        return np.array([[np.sum(delta * a[i:i + oh, j:j + ow])
                          for j in range(k_shape[1])] for i in range(k_shape[0])])

    assert ex5.check_strided_weight_gradient(right)
    assert not ex5.check_strided_weight_gradient(stride_one)
    assert not ex5.check_strided_weight_gradient(lambda a, d, k: 1 / 0)


def test_ch05_slip_shape():
    assert ex5.check_slip_shape((1, 1))
    assert not ex5.check_slip_shape((3, 3))
    assert not ex5.check_slip_shape("1x1")


def test_ch05_slip_messages_name_the_books_layer_pair(capsys):
    """Layer l feeds layer l+1: the slip puts a^{l+1} (the output's 6x6 shape, like
    delta^{l+1}) where the input a^l (8x8) belongs, and a^l gives the 3x3 kernel."""
    a_l, out = np.ones((8, 8)), np.ones((6, 6))
    assert correlate2d(a_l, out, "valid").shape == (3, 3)
    capsys.readouterr()
    assert not ex5.check_slip_shape((3, 3))
    assert not ex5.check_slip_shape((6, 6))
    said = " ".join(capsys.readouterr().out.split())
    assert "delta^{l+1} and a^{l+1}" in said
    key = next(k for k in ex5.answer_keys() if k.exercise == "5.4")
    assert "a^l, which is 8x8" in key.right
    for text in (said, key.right, key.hint):
        assert "l - 1" not in text and "l-1" not in text and "delta^l " not in text


def test_ch05_batch_weight_gradient():
    def right(x, delta, k_shape, padding):
        p = padding
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        oh, ow = delta.shape[2:]
        dw = np.array([[np.einsum("nfxy,ncxy->fc", delta, xp[:, :, i:i + oh, j:j + ow])
                        for j in range(k_shape[1])] for i in range(k_shape[0])])
        return dw.transpose(2, 3, 0, 1), delta.sum(axis=(0, 2, 3))

    def first_image_only(x, delta, k_shape, padding):
        dw, db = right(x[:1], delta[:1], k_shape, padding)
        return dw, db

    assert ex5.check_batch_weight_gradient(right)
    assert not ex5.check_batch_weight_gradient(first_image_only)
    assert not ex5.check_batch_weight_gradient(lambda *args: None)
