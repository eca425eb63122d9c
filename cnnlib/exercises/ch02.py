"""Checkers for the exercises of chapter 2 (cut the connections, share the weights).

Each ``check_*`` function takes the reader's answer, prints whether it is right
(with a hint when it is not, never the answer itself) and returns ``True`` or
``False``. Expected values come from :mod:`cnnlib` where they can.
"""

from __future__ import annotations

import functools

import numpy as np

from cnnlib.conv import conv2d_as_dense, conv2d_output_shape
from cnnlib.exercises import common as ex

__all__ = [
    "answer_keys",
    "check_parameter_counts",
    "check_kernel_entry",
    "check_nonzeros",
    "check_padded_nonzeros",
]

_HERE = __name__ + "."


@functools.cache
def answer_keys() -> tuple[ex.AnswerKey, ...]:
    """The answer keys of chapter 2's exercises whose answer can be typed."""
    # Exercise 2.1: 32 x 32 RGB image -> 16 channels, 5 x 5 kernels, valid
    c, h, w, f, k = 3, 32, 32, 16, 5
    oh, ow = conv2d_output_shape((h, w), (k, k))
    n_in, n_out = c * h * w, f * oh * ow
    dense, local, shared = n_in * n_out, n_out * c * k * k, f * c * k * k
    counts = ("dense", "local", "shared")
    right = (f"dense {dense:,}, locally connected {local:,}, shared {shared:,}.")
    # Exercise 2.3: a (4, 3, 3, 3) bank without zeros on a (3, 8, 8) input
    bank = np.random.default_rng(3).uniform(0.5, 1.5, (4, 3, 3, 3))
    m = conv2d_as_dense(bank, (3, 8, 8))
    nonzeros = int(np.count_nonzero(m))
    one_channel = int(np.count_nonzero(conv2d_as_dense(bank[:, :1], (1, 8, 8))))
    # Exercise 2.4: a 2 x 2 kernel without zeros, 4 x 4 image, padding 1
    k2 = np.array([[1.0, -1.0], [2.0, 0.5]])[None, None]
    padded = int(np.count_nonzero(conv2d_as_dense(k2, (1, 4, 4), padding=1)))
    taps_with_padding = int(np.prod(conv2d_output_shape((4, 4), (2, 2), padding=1)))
    no_padding = int(np.count_nonzero(conv2d_as_dense(k2, (1, 4, 4))))
    return (
        ex.AnswerKey(
            "2.1", _HERE + "check_parameter_counts", counts[0], "count", dense,
            right, "Every output neuron is connected to every input value: how "
            f"many outputs does a valid 5 x 5 window give on {h} x {w}?",
            (ex.Mistake(n_in * f * h * w, f"this counts {h} x {w} outputs per "
                        f"channel; a valid 5 x 5 window gives {oh} x {ow}."),
             ex.Mistake(n_in * n_out + n_out, "biases are not counted here."))),
        ex.AnswerKey(
            "2.1", _HERE + "check_parameter_counts", counts[1], "count", local,
            right, "Each output neuron keeps one window of its own.",
            (ex.Mistake(n_out * k * k, "each window spans all 3 input channels."),
             ex.Mistake(n_in * k * k, "there is one window per output neuron, not "
                        "per input value."))),
        ex.AnswerKey(
            "2.1", _HERE + "check_parameter_counts", counts[2], "count", shared,
            right, "Each output channel has one kernel per input channel.",
            (ex.Mistake(f * k * k, "each output channel has one 5 x 5 kernel per "
                        "input channel, 3 of them."),
             ex.Mistake(c * k * k, "that is one filter; the layer has 16."),
             ex.Mistake(shared + f, "biases are not counted here."))),
        ex.AnswerKey(
            "2.3", _HERE + "check_nonzeros", "n", "count", nonzeros,
            f"{nonzeros}: each of the F x OH x OW rows holds one entry per kernel "
            "weight, C x KH x KW of them.",
            "Count the rows of the matrix (output values) and the nonzeros in one "
            "row (how many input values one output reads).",
            (ex.Mistake(m.size, "that counts every entry of the matrix, zeros too."),
             ex.Mistake(one_channel, "each row reads all 3 input channels: "
                        "C x KH x KW entries, not KH x KW."),
             ex.Mistake(m.shape[0], "that is the number of rows; each row holds "
                        "several nonzeros."))),
        ex.AnswerKey(
            "2.4", _HERE + "check_padded_nonzeros", "n", "count", padded,
            f"{padded}: the output is 5 x 5, but taps that land on the padding "
            "read a zero and have no column in the matrix.",
            "The output grows to 5 x 5, but a tap that lands on a padded zero has "
            "no input column. Count, for each of the 4 taps, the outputs whose "
            "tap lands inside the image.",
            (ex.Mistake(taps_with_padding * 4, "this counts the taps that land on "
                        "padding zeros too: they have no column in the matrix."),
             ex.Mistake(no_padding, "that is the count without padding (a 3 x 3 "
                        "output)."))),
    )


def check_parameter_counts(dense, local, shared) -> bool:
    """Exercise 2.1: the number of weights (biases not counted) of a layer from
    a 32 x 32 RGB image (3 channels) to 16 channels with 5 x 5 kernels, stride
    1, no padding, when it is dense, locally connected, and shared."""
    return ex.check_keys(answer_keys(), "check_parameter_counts", [dense, local, shared])


def check_kernel_entry(kernel_entry) -> bool:
    """Exercise 2.2: ``kernel_entry(r, c)`` returns the kernel entry ``(i, j)``
    that sits at row ``r`` (output z[r // 3, r % 3]) and column ``c`` (input
    a[c // 4, c % 4]) of the matrix of a valid 2 x 2 cross-correlation on a
    4 x 4 image, or None where the connection is cut."""
    k = np.array([[1.0, 2.0], [3.0, 4.0]])  # distinct entries name the taps
    m = conv2d_as_dense(k[None, None], (1, 4, 4))
    for r in range(9):
        for c in range(16):
            want = None if m[r, c] == 0 else tuple(
                int(v) for v in np.argwhere(k == m[r, c])[0])
            got, why = ex.call_reader(kernel_entry, r, c, name=f"kernel_entry({r}, {c})")
            if why is not None:
                return ex.report(False, "", why)
            if got is not None:
                pair, bad = ex.read_shape(got)
                got = pair if bad is None and len(pair) == 2 else "not a pair (i, j)"
            if got != want:
                x, y, xp, yp = r // 3, r % 3, c // 4, c % 4
                swapped = want is not None and got == want[::-1]
                return ex.report(False, "",
                                 f"row {r} is z[{x},{y}] and column {c} is "
                                 f"a[{xp},{yp}]; kernel_entry gives {got!r:.40}. " + (
                                  "That is (j, i): the first index is the row. "
                                  if swapped else "") +
                                 "Output z[x, y] reads a[x+i, y+j] through w[i, j], "
                                 "for i, j in 0..1.")
    return ex.report(True, "Entry (r, c), with r = 3x + y and c = 4p + q, is "
                     "w[p-x, q-y] inside the window, 0 outside: it depends only "
                     "on the offset between output and input, which is what "
                     "makes the matrix (block) Toeplitz.", "")


def check_nonzeros(n) -> bool:
    """Exercise 2.3: the number of nonzero entries of ``conv2d_as_dense(w,
    (3, 8, 8))`` for a kernel bank ``w`` of shape (4, 3, 3, 3) with no zero
    entries (stride 1, no padding)."""
    return ex.check_keys(answer_keys(), "check_nonzeros", [n])


def check_padded_nonzeros(n) -> bool:
    """Exercise 2.4: the number of nonzero entries of the matrix of a 2 x 2
    kernel (no zero entries) on a 4 x 4 image with padding 1, stride 1."""
    return ex.check_keys(answer_keys(), "check_padded_nonzeros", [n])
