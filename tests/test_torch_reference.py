"""PyTorch as a further reference (float64, CPU); skipped when torch is missing."""

import numpy as np
import pytest

from cnnlib import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    conv2d_backward,
    conv2d_forward,
    conv2d_forward_naive,
    conv_transpose2d,
    max_pool2d_backward,
    max_pool2d_forward,
    softmax_cross_entropy,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional

CONV_CONFIGS = [
    ((2, 3, 7, 6), (4, 3, 2), 1, 0, 1),
    ((2, 2, 9, 8), (3, 3, 3), 2, 1, 1),
    ((1, 3, 9, 7), (2, 2, 3), (2, 1), (1, 2), (2, 1)),
    ((2, 2, 11, 10), (3, 3, 2), (3, 2), (2, 0), (1, 3)),
]


def _t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


@pytest.mark.parametrize("xshape, fk, stride, padding, dilation", CONV_CONFIGS)
def test_conv2d_forward_and_gradients_equal_torch(xshape, fk, stride, padding,
                                                  dilation):
    rng = np.random.default_rng(0)
    x = rng.normal(size=xshape)
    w = rng.normal(size=(fk[0], xshape[1], *fk[1:]))
    b = rng.normal(size=fk[0])
    y, cache = conv2d_forward(x, w, b, stride, padding, dilation)
    xt, wt, bt = _t(x, True), _t(w, True), _t(b, True)
    yt = F.conv2d(xt, wt, bt, stride=stride, padding=padding, dilation=dilation)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    yn, _ = conv2d_forward_naive(x, w, b, stride, padding, dilation)
    np.testing.assert_allclose(yn, yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=y.shape)
    yt.backward(_t(dy))
    dx, dw, db = conv2d_backward(dy, cache)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dw, wt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db, bt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "xshape, wshape, stride, padding, dilation, output_padding",
    [
        ((2, 3, 4, 5), (3, 2, 3, 2), 1, 0, 1, 0),
        ((2, 3, 4, 5), (3, 2, 3, 3), 2, 1, 1, 1),
        ((1, 2, 5, 3), (2, 4, 2, 3), (2, 3), (1, 0), (2, 1), (1, 2)),
        ((1, 2, 3, 4), (2, 1, 3, 2), 1, 0, (3, 2), (2, 1)),  # op < dilation
    ],
)
def test_conv_transpose2d_equals_torch(xshape, wshape, stride, padding, dilation,
                                       output_padding):
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=xshape), rng.normal(size=wshape)
    out = conv_transpose2d(x, w, stride, padding, dilation, output_padding)
    ref = F.conv_transpose2d(_t(x), _t(w), stride=stride, padding=padding,
                             dilation=dilation, output_padding=output_padding)
    assert out.shape == tuple(ref.shape)
    np.testing.assert_allclose(out, ref.numpy(), rtol=1e-12, atol=1e-12)


POOL_CONFIGS = [((2, 3, 6, 8), 2, None), ((1, 2, 7, 5), (3, 2), None),
                ((2, 2, 7, 8), 3, 2), ((1, 3, 6, 9), (2, 3), (1, 2))]


@pytest.mark.parametrize("xshape, k, s", POOL_CONFIGS)
@pytest.mark.parametrize("with_ties", [False, True])
def test_max_pool_forward_and_gradient_equal_torch(xshape, k, s, with_ties):
    rng = np.random.default_rng(2)
    x = rng.normal(size=xshape)
    if with_ties:
        x = np.round(x)  # many equal values per window: PyTorch's tie rule matters
    y, cache = max_pool2d_forward(x, k, s)
    xt = _t(x, True)
    yt = F.max_pool2d(xt, k, s)
    np.testing.assert_array_equal(y, yt.detach().numpy())
    dy = rng.normal(size=y.shape)
    yt.backward(_t(dy))
    np.testing.assert_allclose(max_pool2d_backward(dy, cache), xt.grad.numpy(),
                               rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("xshape, k, s", POOL_CONFIGS)
def test_avg_pool_forward_and_gradient_equal_torch(xshape, k, s):
    rng = np.random.default_rng(3)
    x = rng.normal(size=xshape)
    y, cache = avg_pool2d_forward(x, k, s)
    xt = _t(x, True)
    yt = F.avg_pool2d(xt, k, s)
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-13, atol=1e-15)
    dy = rng.normal(size=y.shape)
    yt.backward(_t(dy))
    np.testing.assert_allclose(avg_pool2d_backward(dy, cache), xt.grad.numpy(),
                               rtol=1e-13, atol=1e-15)


def test_softmax_cross_entropy_equals_torch():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(6, 5)) * 4
    labels = rng.integers(0, 5, size=6)
    loss, dz = softmax_cross_entropy(z, labels)
    zt = _t(z, True)
    lt = F.cross_entropy(zt, torch.tensor(labels))
    lt.backward()
    assert loss == pytest.approx(lt.item(), rel=1e-13)
    np.testing.assert_allclose(dz, zt.grad.numpy(), rtol=1e-12, atol=1e-15)
