"""The errata of issue 10, section 1: each wrong statement is gone, and what
replaced it is bound to code (a glue role) or checked here."""

import json
from pathlib import Path

import numpy as np
import pytest

from cnnlib import MLP, convolve2d, relative_error, rot180, softmax, tiny_example
from cnnlib.rules import leftover, unread

BOOK = Path(__file__).resolve().parents[1] / "book"


def markdown(name: str) -> str:
    nb = json.loads((BOOK / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"]
                     if c["cell_type"] == "markdown")


def code(name: str) -> str:
    nb = json.loads((BOOK / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"]
                     if c["cell_type"] == "code")


def test_stride_section_names_every_unread_column_not_only_rhos():
    text = markdown("07-beyond.ipynb")
    assert "column 8 alone" not in text
    assert "{glue:text}`unread_cols_s3`" in text
    assert 'glue(f"unread_cols_s{s}", words(cols))' in code("07-beyond.ipynb")
    # kernel 2 wide, stride 3, 9 columns: windows {0,1}, {3,4}, {6,7}
    assert unread(9, 2, 3) == [2, 5, 8] and leftover(9, 2, 3) == 1


def test_whole_layer_check_names_its_unread_rows_and_columns():
    text = markdown("07b-channels-pooling.ipynb")
    assert "leave one row and\none column unread" not in text
    assert "{glue:text}`unread_rows_all`" in text
    assert "{glue:text}`unread_cols_all`" in text
    assert unread(10, 3, 2, 1, 2) == [0, 2, 4, 6, 8]
    assert unread(11, 2, 3, 2, 1) == [0, 3, 6, 9]


def test_chapter_4_defines_the_relative_error_that_cnnlib_computes():
    text = markdown("04-backprop-deltas.ipynb")
    assert "divided by the\nlargest entry-wise size" not in text
    assert "a fifth of the size" not in text
    assert r"$\max_k |a_k - b_k| \,/\, \max_k \big(|a_k| + |b_k|\big)$" in text
    rng = np.random.default_rng(10)
    a, b = rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    stated = np.max(np.abs(a - b)) / np.max(np.abs(a) + np.abs(b))
    assert relative_error(a, b) == stated
    # "about half of the largest difference against the largest entry of b"
    close = b + 1e-3 * rng.normal(size=b.shape)
    half = 0.5 * np.max(np.abs(close - b)) / np.max(np.abs(b))
    assert relative_error(close, b) == pytest.approx(half, rel=1e-2)


def test_softmax_delta_is_jacobian_transpose_times_gradient_not_hadamard():
    text = markdown("06-training-a-cnn.ipynb")
    assert "the two factors\n   combine into" not in text
    assert "$\\delta^L = J^T \\nabla_a C$" in text
    z = np.random.default_rng(6).normal(size=7)
    y = np.eye(7)[2]
    a = softmax(z)
    jac = np.diag(a) - np.outer(a, a)
    grad_a = -y / a
    assert np.allclose(jac.T @ grad_a, a - y)
    assert not np.allclose(grad_a * np.diag(jac), a - y)   # BP1's form is wrong


def test_exercise_3_4_rotates_both_inputs_of_the_full_convolution():
    text = markdown("03-forward-convolution.ipynb")
    assert "rotating an input rotates a full\nconvolution's output" not in text
    assert "Rotating *both* inputs" in text
    rng = np.random.default_rng(34)
    u, v = rng.normal(size=(3, 4)), rng.normal(size=(2, 3))
    assert np.allclose(convolve2d(rot180(u), rot180(v), "full"),
                       rot180(convolve2d(u, v, "full")))
    assert not np.allclose(convolve2d(u, rot180(v), "full"),
                           rot180(convolve2d(u, v, "full")))


def test_exercise_4_2_solution_says_a_and_d_agree_and_only_c_has_wrong_mode():
    text = markdown("04-backprop-deltas.ipynb")
    assert "(c) has the wrong mode" in text
    assert "(a) and (d) are the same numbers" in text


def test_notation_page_names_the_attribute_that_holds_w_l():
    text = (BOOK / "notation.md").read_text(encoding="utf-8")
    assert "`w[l]`" not in text and "`MLP.weights[l]`" in text
    net = tiny_example()[0]
    assert isinstance(net, MLP) and not hasattr(net, "w")
    assert all(net.weights[l].shape == (net.sizes[l], net.sizes[l - 1])
               for l in range(1, len(net.weights)))


def test_exercise_1_3_gives_chapter_2s_counts_not_billions():
    text = markdown("01-mlp-deltas.ipynb")
    assert "would need billions" not in text
    assert "{glue:text}`dense_32:,d`" in text
    assert "{glue:text}`dense_224_billion:,.0f`" in text
