"""Every kind of bad input gets a clear error naming the argument and the shapes."""

import numpy as np
import pytest

from cnnlib import (
    avg_pool2d_forward,
    conv2d_as_dense,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv2d_output_shape,
    conv_transpose2d,
    convolve2d,
    correlate2d,
    max_pool2d_backward,
    max_pool2d_forward,
    rot180,
)

X = np.zeros((2, 3, 6, 5))
W = np.zeros((4, 3, 3, 2))

# (call, error type, fragments the message must contain)
BAD_CONV_CALLS = [
    ("x wrong ndim", lambda f: f(np.zeros((3, 6, 5)), W), ValueError,
     ["x", "4 dims", "(N, C, H, W)", "(3, 6, 5)"]),
    ("w wrong ndim", lambda f: f(X, np.zeros((3, 3))), ValueError,
     ["w: expected 4 dims (F, C, KH, KW), got shape (3, 3)"]),
    ("channel mismatch", lambda f: f(X, np.zeros((4, 2, 3, 3))), ValueError,
     ["x has C=3 channels but w expects C=2", "(4, 2, 3, 3)", "(2, 3, 6, 5)"]),
    ("bias shape", lambda f: f(X, W, np.zeros(3)), ValueError,
     ["b", "(F,)", "(4,)", "(3,)"]),
    ("kernel larger than padded input", lambda f: f(X, np.zeros((4, 3, 7, 2))),
     ValueError, ["w", "(7, 2)", "(6, 5)", "padding"]),
    ("dilated kernel larger than input", lambda f: f(X, W, dilation=(3, 1)),
     ValueError, ["w", "dilation (3, 1)", "(7, 2)", "(6, 5)"]),
    ("stride zero", lambda f: f(X, W, stride=0), ValueError,
     ["stride", ">= 1", "(0, 0)"]),
    ("stride pair with zero", lambda f: f(X, W, stride=(1, 0)), ValueError,
     ["stride", ">= 1", "(1, 0)"]),
    ("dilation zero", lambda f: f(X, W, dilation=0), ValueError,
     ["dilation", ">= 1", "(0, 0)"]),
    ("negative padding", lambda f: f(X, W, padding=-1), ValueError,
     ["padding", ">= 0", "(-1, -1)"]),
    ("padding triple", lambda f: f(X, W, padding=(1, 1, 1)), ValueError,
     ["padding", "pair", "3 values"]),
    ("float stride", lambda f: f(X, W, stride=1.5), TypeError, ["stride", "1.5"]),
    ("bool stride", lambda f: f(X, W, stride=True), TypeError, ["stride", "True"]),
    ("string input", lambda f: f("abc", W), TypeError, ["x", "str"]),
    ("None kernel", lambda f: f(X, None), TypeError, ["w", "NoneType"]),
    ("complex input", lambda f: f(X.astype(complex), W), TypeError,
     ["x", "complex128", "(2, 3, 6, 5)"]),
    ("ragged list", lambda f: f([[1.0, 2.0], [3.0]], W), TypeError, ["x"]),
]


@pytest.mark.parametrize("forward", [conv2d_forward, conv2d_forward_naive])
@pytest.mark.parametrize(
    "call, error, fragments",
    [c[1:] for c in BAD_CONV_CALLS],
    ids=[c[0] for c in BAD_CONV_CALLS],
)
def test_conv2d_forward_rejects_bad_input_with_clear_message(forward, call, error,
                                                             fragments):
    with pytest.raises(error) as info:
        call(forward)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("forward, backward", [(conv2d_forward, conv2d_backward),
                                               (conv2d_forward_naive,
                                                conv2d_backward_naive)])
def test_conv2d_backward_rejects_dy_of_wrong_shape(forward, backward):
    _, cache = forward(X, W, stride=(2, 1))
    with pytest.raises(ValueError) as info:
        backward(np.zeros((2, 4, 4, 4)), cache)
    msg = str(info.value)
    assert "dy" in msg and "(N, F, OH, OW)" in msg
    assert "(2, 4, 2, 4)" in msg and "(2, 4, 4, 4)" in msg


def test_conv2d_backward_rejects_a_foreign_cache():
    with pytest.raises(TypeError, match="cache"):
        conv2d_backward(np.zeros((2, 4, 4, 4)), (X, W))


@pytest.mark.parametrize(
    "call, error, fragments",
    [
        (lambda: correlate2d(np.zeros((3, 3)), np.zeros((2, 2)), "bogus"), ValueError,
         ["mode", "'valid', 'same', 'full'", "'bogus'"]),
        (lambda: convolve2d(np.zeros((3, 3)), np.zeros((2, 2)), mode=None), ValueError,
         ["mode", "None"]),
        (lambda: correlate2d(np.zeros((3, 3, 1)), np.zeros((2, 2))), ValueError,
         ["a: expected 2 dims (H, W), got shape (3, 3, 1)"]),
        (lambda: convolve2d(np.zeros((3, 3)), np.zeros(2)), ValueError,
         ["w: expected 2 dims (KH, KW), got shape (2,)"]),
        (lambda: correlate2d(np.zeros((3, 4)), np.zeros((2, 5))), ValueError,
         ["w", "(2, 5)", "(3, 4)", "valid"]),
        (lambda: convolve2d(np.zeros((3, 4)), np.zeros((4, 1))), ValueError,
         ["w", "(4, 1)", "(3, 4)", "valid"]),
        (lambda: correlate2d(np.zeros((3, 3), dtype=complex), np.ones((2, 2))),
         TypeError, ["a", "complex"]),
        (lambda: rot180(np.zeros(3)), ValueError, ["w", "at least 2 dims", "(3,)"]),
        (lambda: conv2d_output_shape((4, 4), (5, 3)), ValueError,
         ["(5, 3)", "(4, 4)"]),
        (lambda: conv_transpose2d(X, W), ValueError,
         ["x has C_in=3 channels but w expects C_in=4", "(4, 3, 3, 2)"]),
        (lambda: conv_transpose2d(X[0], W), ValueError,
         ["x: expected 4 dims (N, C_in, H, W), got shape (3, 6, 5)"]),
        (lambda: conv_transpose2d(X, np.zeros((3, 2, 2, 2)), stride=2,
                                  output_padding=2), ValueError,
         ["output_padding", "(2, 2)", "stride (2, 2)"]),
        (lambda: conv_transpose2d(np.zeros((1, 1, 1, 1)), np.zeros((1, 1, 1, 1)),
                                  padding=1), ValueError, ["padding", "(1, 1)"]),
        (lambda: conv2d_as_dense(W, (2, 6, 5)), ValueError,
         ["C=2", "C=3", "(4, 3, 3, 2)"]),
        (lambda: conv2d_as_dense(W, (3, 6)), ValueError, ["in_shape", "(C, H, W)"]),
        (lambda: conv2d_as_dense(W, (3, 6.5, 5)), TypeError,
         ["in_shape", "(3, 6.5, 5)"]),
        (lambda: max_pool2d_forward(X[0], 2), ValueError,
         ["x: expected 4 dims (N, C, H, W), got shape (3, 6, 5)"]),
        (lambda: avg_pool2d_forward(X, 7), ValueError,
         ["kernel_size", "(7, 7)", "(6, 5)"]),
        (lambda: max_pool2d_forward(X, 2, stride=0), ValueError, ["stride", ">= 1"]),
        (lambda: max_pool2d_forward(X, 0), ValueError, ["kernel_size", ">= 1"]),
        (lambda: max_pool2d_backward(np.zeros((2, 3, 2, 2)),
                                     max_pool2d_forward(X, 2)[1]), ValueError,
         ["dy", "(2, 3, 3, 2)", "(2, 3, 2, 2)"]),
    ],
    ids=["unknown mode", "mode None", "a ndim", "k ndim", "valid kernel too wide",
         "valid kernel too tall", "complex a", "rot180 1-d", "output_shape too big",
         "transpose channels", "transpose ndim", "output_padding too big",
         "transpose crops all", "dense channels", "dense in_shape", "dense float size",
         "pool ndim", "pool window too big", "pool stride zero", "pool kernel zero",
         "pool dy"],
)
def test_other_functions_reject_bad_input_with_clear_message(call, error, fragments):
    with pytest.raises(error) as info:
        call()
    for fragment in fragments:
        assert fragment in str(info.value)
