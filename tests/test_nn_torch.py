"""cnnlib.nn against PyTorch autograd: the same network, the same weights, the
same batch; the cost and every gradient must agree (float64)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

import cnnlib.nn as cn  # noqa: E402

ACT = {cn.ReLU: torch.relu, cn.Sigmoid: torch.sigmoid, cn.Tanh: torch.tanh}


def _torch_forward(model, x, params):
    a = x
    for i, layer in enumerate(model.layers):
        if isinstance(layer, cn.Conv2D):
            a = F.conv2d(a, params[f"{i}.w"], params[f"{i}.b"], stride=layer.stride,
                         padding=layer.padding)
        elif isinstance(layer, cn.MaxPool2D):
            a = F.max_pool2d(a, layer.kernel_size, stride=layer.stride)
        elif isinstance(layer, cn.Flatten):
            a = a.reshape(a.shape[0], -1)
        elif isinstance(layer, cn.Dense):
            a = a @ params[f"{i}.w"].T + params[f"{i}.b"]
        else:
            a = ACT[type(layer)](a)
    return a


@pytest.mark.parametrize("act", [cn.ReLU, cn.Sigmoid, cn.Tanh])
def test_network_gradients_match_torch_autograd(act):
    rng = np.random.default_rng(0)
    model = cn.Sequential(
        cn.Conv2D(1, 4, 3, padding=1, seed=1), act(), cn.MaxPool2D(2),
        cn.Conv2D(4, 3, 3, stride=2, padding=1, seed=2), act(), cn.Flatten(),
        cn.Dense(12, 10, seed=3))
    for p in model.params().values():
        p += 0.1 * rng.normal(size=p.shape)
    x = rng.random((5, 1, 8, 8))
    labels = rng.integers(0, 10, 5)
    loss_fn = cn.SoftmaxCrossEntropy()
    cost, grads = cn.backprop(model, loss_fn, x, labels)
    grads = {k: g.copy() for k, g in grads.items()}
    dx = model.backward(loss_fn.backward())  # the caches are still those of x

    params = {k: torch.tensor(v, requires_grad=True) for k, v in model.params().items()}
    xt = torch.tensor(x, requires_grad=True)
    loss = F.cross_entropy(_torch_forward(model, xt, params), torch.tensor(labels))
    loss.backward()
    assert abs(cost - loss.item()) < 1e-12
    for k, p in params.items():
        np.testing.assert_allclose(grads[k], p.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-12)

