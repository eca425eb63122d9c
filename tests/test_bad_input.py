"""Bad input, measured: every public callable of cnnlib refuses what it should.

The suite walks every ``__all__`` of the package and fails when a public callable
has no bad-input case here (``test_every_public_callable_has_a_bad_input_case``).
Each callable gets a :class:`Spec`: a valid call (which must succeed, so a refusal
below is caused by the bad value and nothing else) and, per argument, the kind of
value it takes. Hypothesis then generates bad values of each kind (bools, floats,
strings and one-element arrays for integers; wrong lengths for pairs; wrong
dimensions, strings, None and complex numbers for arrays; NaN and inf for data a
drawing shows; empty batches; labels of shape (N, 1)) and the call must raise a
``TypeError`` or ``ValueError`` whose message names the argument. The rules are
those of ``cnnlib/validation.py``'s docstring (the API reference).

The exercise checkers (``cnnlib.exercises``) answer a reader with a verdict, not
an exception; their cases live in their own tests. To bring them in here, remove
the package from ``SKIPPED_PACKAGES`` and add their specs.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cnnlib
from cnnlib import animate, data, glue, nn, rules, widgets
from cnnlib import viz as V
from cnnlib.viz import core as VC
from cnnlib.viz import encode
from cnnlib.viz import mlp as vmlp
from cnnlib.viz.core import text as vtext

#: Subpackages whose public names this suite leaves to their own tests (the hook
#: for the checkers: they return verdicts, never raise at a reader).
SKIPPED_PACKAGES = ("cnnlib.exercises",)

FAST = settings(max_examples=6, deadline=None, derandomize=True, database=None)

# ------------------------------------------------------------------------------
# The public names


def _public_modules():
    mods = [cnnlib]
    for info in pkgutil.walk_packages(cnnlib.__path__, "cnnlib."):
        if info.name.startswith(SKIPPED_PACKAGES):
            continue
        no_server = importlib.util.find_spec("jupyter_server") is None
        if info.name == "cnnlib.lab" and no_server:
            continue  # the lab server's module (no callable), where no server is
        mods.append(importlib.import_module(info.name))
    return [m for m in mods if hasattr(m, "__all__")]


def _public_callables():
    found = {}
    for mod in _public_modules():
        for name in mod.__all__:
            obj = getattr(mod, name)
            if callable(obj) and not isinstance(obj, dict):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def _is_record(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, tuple) and hasattr(obj, "_fields")


# ------------------------------------------------------------------------------
# Valid arguments, built fresh for each call


def rng_array(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


X4 = lambda: rng_array(2, 3, 6, 5)  # noqa: E731
W4 = lambda: rng_array(4, 3, 3, 2, seed=1)  # noqa: E731


def _conv_cache():
    return cnnlib.conv2d_forward(X4(), W4())[1]


def _pool_cache(kind="max"):
    fwd = cnnlib.max_pool2d_forward if kind == "max" else cnnlib.avg_pool2d_forward
    return fwd(rng_array(1, 2, 4, 4), 2)[1]


def _small_model():
    return nn.Sequential(nn.Flatten(), nn.Dense(4, 3))


def _images(n=6):
    return rng_array(n, 1, 2, 2)


@functools.cache
def _ax():
    # One axes for every call: a refused call adds nothing to it.
    return VC.new_figure(2.0, 2.0).add_axes((0, 0, 1, 1))


@dataclass
class Spec:
    """A valid call of ``obj`` and the kind of each argument to spoil."""

    obj: Any
    valid: Callable[[], dict]
    kinds: dict[str, str] = field(default_factory=dict)
    call: Callable | None = None
    batch: tuple[str, ...] = ()   # array arguments whose axis 0 is a batch
    finite: tuple[str, ...] = ()  # array arguments a drawing must refuse NaN in

    def run(self, **kwargs):
        args = {**self.valid(), **kwargs}
        return (self.call or self.obj)(**args)


class _Demo(VC.Drawing):
    """A minimal drawing: one slider, one choice; records what it drew."""

    def __init__(self):
        self.params = (VC.Param("x", "x", 0, 4, step=2),
                       VC.Param("c", "c", options=(("A", "a"), ("B", "b"))))
        self.alt = "A demo."
        self.fig = VC.new_figure(1.0, 1.0)
        self.drawn = []
        self.update(**self.defaults())

    def _update(self, x, c):
        self.drawn.append((x, c))


def _drawing():
    return _Demo()


def _net_xy():
    return dict(zip(("net", "x", "y"), cnnlib.tiny_example(), strict=True))


def _terms():
    net, x, y = cnnlib.tiny_example()
    return rules.delta_terms(net, x, y, 1, 0)


#: The geometry arguments of the one-channel layer functions of the explorer.
GEO = dict(in_shape="pair:1", kernel_shape="pair:1", stride="pair:1",
           padding="pair:0", dilation="pair:1")

SPECS = [
    # ---- numerics
    Spec(cnnlib.conv2d_forward, lambda: dict(x=X4(), w=W4(), b=np.zeros(4)),
         dict(x="array:4", w="array:4", b="array:1?", stride="pair:1",
              padding="pair:0", dilation="pair:1"), batch=("x",)),
    Spec(cnnlib.conv2d_forward_naive, lambda: dict(x=X4(), w=W4()),
         dict(x="array:4", w="array:4", stride="pair:1", padding="pair:0",
              dilation="pair:1"), batch=("x",)),
    Spec(cnnlib.conv2d_backward,
         lambda: dict(dy=rng_array(2, 4, 4, 4), cache=_conv_cache()),
         dict(dy="array:4", cache="obj"), batch=("dy",)),
    Spec(cnnlib.conv2d_backward_naive,
         lambda: dict(dy=rng_array(2, 4, 4, 4), cache=_conv_cache()),
         dict(dy="array:4", cache="obj"), batch=("dy",)),
    Spec(cnnlib.conv_transpose2d, lambda: dict(x=rng_array(2, 4, 3, 3), w=W4()),
         dict(x="array:4", w="array:4", stride="pair:1", padding="pair:0",
              dilation="pair:1", output_padding="pair:0"), batch=("x",)),
    Spec(cnnlib.conv2d_as_dense, lambda: dict(w=W4(), in_shape=(3, 6, 5)),
         dict(w="array:4", in_shape="shape:3", stride="pair:1", padding="pair:0",
              dilation="pair:1")),
    Spec(cnnlib.conv2d_output_shape, lambda: dict(in_hw=(6, 5), kernel_hw=(3, 2)),
         dict(in_hw="pair:1", kernel_hw="pair:1", stride="pair:1", padding="pair:0",
              dilation="pair:1")),
    Spec(cnnlib.correlate2d, lambda: dict(a=rng_array(4, 4), w=rng_array(2, 2)),
         dict(a="array:2", w="array:2", mode="choice")),
    Spec(cnnlib.convolve2d, lambda: dict(a=rng_array(4, 4), w=rng_array(2, 2)),
         dict(a="array:2", w="array:2", mode="choice")),
    Spec(cnnlib.rot180, lambda: dict(w=rng_array(3, 3)), dict(w="array")),
    Spec(cnnlib.max_pool2d_forward, lambda: dict(x=X4(), kernel_size=2),
         dict(x="array:4", kernel_size="pair:1", stride="pair:1?"), batch=("x",)),
    Spec(cnnlib.avg_pool2d_forward, lambda: dict(x=X4(), kernel_size=2),
         dict(x="array:4", kernel_size="pair:1", stride="pair:1?"), batch=("x",)),
    Spec(cnnlib.max_pool2d_backward,
         lambda: dict(dy=rng_array(1, 2, 2, 2), cache=_pool_cache("max")),
         dict(dy="array:4", cache="obj"), batch=("dy",)),
    Spec(cnnlib.avg_pool2d_backward,
         lambda: dict(dy=rng_array(1, 2, 2, 2), cache=_pool_cache("avg")),
         dict(dy="array:4", cache="obj"), batch=("dy",)),
    *[Spec(f, lambda: dict(z=rng_array(3, 2)), dict(z="array"))
      for f in (cnnlib.relu, cnnlib.relu_prime, cnnlib.sigmoid, cnnlib.sigmoid_prime,
                cnnlib.tanh, cnnlib.tanh_prime)],
    Spec(cnnlib.softmax, lambda: dict(z=rng_array(3, 4)),
         dict(z="array", axis="int:-2:1")),
    Spec(cnnlib.softmax_cross_entropy,
         lambda: dict(logits=rng_array(3, 4), labels=np.array([0, 3, 1])),
         dict(logits="array:2", labels="labels"), batch=("logits",)),
    Spec(cnnlib.quadratic_cost, lambda: dict(a=rng_array(3, 2), y=rng_array(3, 2)),
         dict(a="array:2", y="array:2"), batch=("a",)),
    Spec(cnnlib.quadratic_cost_grad, lambda: dict(a=rng_array(3, 2), y=rng_array(3, 2)),
         dict(a="array:2", y="array:2"), batch=("a",)),
    Spec(cnnlib.numerical_gradient,
         lambda: dict(f=lambda v: float(np.sum(v ** 2)), x=rng_array(3)),
         dict(f="obj", x="array", h="real+")),
    Spec(cnnlib.relative_error, lambda: dict(a=rng_array(3), b=rng_array(3)),
         dict(a="array", b="array:1")),
    Spec(cnnlib.MLP, lambda: dict(weights=[None, rng_array(3, 2)],
                                  biases=[None, rng_array(3)]),
         dict(weights="obj", biases="obj")),
    Spec(cnnlib.MLP.random, lambda: dict(sizes=(2, 3)), dict(sizes="obj", seed="int:0")),
    # ---- rules
    Spec(rules.backprop_sum, lambda: dict(delta=rng_array(3, 3), w=rng_array(2, 2),
                                          p=1, q=1),
         dict(delta="array:2", w="array:2", p="int:0:3", q="int:0:3")),
    Spec(rules.check_op_mode, lambda: dict(op="correlate", mode="valid"),
         dict(op="choice", mode="choice")),
    Spec(rules.delta_sources, lambda: dict(p=1, q=1, kernel_shape=(2, 2),
                                           delta_shape=(3, 3)),
         dict(p="int:0:3", q="int:0:3", kernel_shape="pair:1", delta_shape="pair:1")),
    Spec(rules.delta_terms, lambda: dict(_net_xy(), l=1, j=0),
         dict(net="obj", x="array:1", y="array:1", l="int:1:2", j="int:0:1")),
    Spec(rules.dense_weight_labels, lambda: dict(kernel_shape=(2, 2), in_shape=(3, 3)),
         dict(kernel_shape="pair:1", in_shape="pair:1")),
    Spec(rules.dilate_kernel, lambda: dict(w=rng_array(2, 2), dilation=2),
         dict(w="array", dilation="pair:1")),
    Spec(rules.full_correlate_rot180, lambda: dict(delta=rng_array(3, 3),
                                                   w=rng_array(2, 2)),
         dict(delta="array:2", w="array:2")),
    Spec(rules.input_gradient_by_rule,
         lambda: dict(delta=rng_array(2, 4, 4, 4), w=W4(), x_shape=(2, 3, 6, 5)),
         dict(delta="array:4", w="array:4", x_shape="shape:4", stride="pair:1",
              padding="pair:0", dilation="pair:1"), batch=("delta",)),
    Spec(rules.weight_gradient_by_rule,
         lambda: dict(x=X4(), delta=rng_array(2, 4, 4, 4), kernel_shape=(3, 2)),
         dict(x="array:4", delta="array:4", kernel_shape="pair:1", stride="pair:1",
              padding="pair:0", dilation="pair:1"), batch=("x", "delta")),
    Spec(rules.insert_zeros, lambda: dict(delta=rng_array(2, 2), stride=2),
         dict(delta="array", stride="pair:1")),
    Spec(rules.kernel_index_matrix, lambda: dict(in_hw=(4, 4), k_hw=(2, 2)),
         dict(in_hw="pair:1", k_hw="pair:1")),
    Spec(rules.valid_output_shape, lambda: dict(in_hw=(4, 4), k_hw=(2, 2)),
         dict(in_hw="pair:1", k_hw="pair:1")),
    Spec(rules.leftover, lambda: dict(size=7, kernel=3, stride=2, padding=1, dilation=1),
         dict(size="int:1", kernel="int:1", stride="int:1", padding="int:0",
              dilation="int:1")),
    Spec(rules.unread, lambda: dict(size=7, kernel=2, stride=3, padding=1, dilation=1),
         dict(size="int:1", kernel="int:1", stride="int:1", padding="int:0",
              dilation="int:1")),
    Spec(rules.read_mask, lambda: dict(in_shape=(5, 5), kernel_shape=(2, 2)),
         GEO),
    Spec(rules.window_taps, lambda: dict(x=0, y=1, in_shape=(5, 5),
                                         kernel_shape=(2, 2)),
         dict(x="int:0:3", y="int:0:3", **GEO)),
    Spec(rules.input_routes, lambda: dict(p=1, q=1, in_shape=(5, 5),
                                          kernel_shape=(2, 2)),
         dict(p="int:0:4", q="int:0:4", **GEO)),
    Spec(rules.rotated_kernel_view, lambda: dict(delta=rng_array(4, 4), in_shape=(5, 5),
                                                 kernel_shape=(2, 2)),
         dict(delta="array:2", **GEO)),
    Spec(rules.mode_padding, lambda: dict(k_len=3, mode="same"),
         dict(k_len="int:1", mode="choice", op="choice")),
    Spec(rules.window_origin, lambda: dict(x=0, y=1, k_shape=(2, 2), mode="full"),
         dict(x="int", y="int", k_shape="pair:1", mode="choice", op="choice")),
    Spec(rules.scatter_partial_sums,
         lambda: dict(delta=rng_array(2, 2), w=rng_array(2, 2), in_shape=(5, 5),
                      stride=2, upto=3),
         dict(delta="array:2?", w="array:2?", in_shape="pair:1", stride="int:1",
              upto="int:0:4")),
    Spec(rules.stage_matrix, lambda: dict(stage="local", kernel=rng_array(2, 2)),
         dict(stage="choice", kernel="array:2", in_hw="pair:1", seed="int:0")),
    Spec(rules.weight_gradient, lambda: dict(act=rng_array(4, 4), delta=rng_array(3, 3)),
         dict(act="array:2", delta="array:2")),
    Spec(rules.weight_gradient_pairs, lambda: dict(i=1, j=0, act_shape=(4, 4),
                                                   delta_shape=(3, 3)),
         dict(i="int:0:1", j="int:0:1", act_shape="pair:1", delta_shape="pair:1")),
    # ---- nn and data
    Spec(nn.Conv2D, lambda: dict(in_channels=1, out_channels=2, kernel_size=3),
         dict(in_channels="int:1", out_channels="int:1", kernel_size="pair:1",
              stride="pair:1", padding="pair:0", seed="int:0")),
    Spec(nn.Dense, lambda: dict(in_features=4, out_features=3),
         dict(in_features="int:1", out_features="int:1", seed="int:0")),
    Spec(nn.MaxPool2D, lambda: dict(kernel_size=2),
         dict(kernel_size="pair:1", stride="pair:1?")),
    *[Spec(cls, lambda: dict(x=rng_array(2, 3)), dict(x="array"),
           call=lambda cls=cls, **kw: cls().forward(**kw), batch=("x",))
      for cls in (nn.ReLU, nn.Sigmoid, nn.Tanh, nn.Flatten)],
    Spec(nn.Layer, lambda: dict(layers=nn.ReLU()), dict(layers="obj"),
         call=lambda layers: nn.Sequential(layers)),
    Spec(nn.Sequential, lambda: dict(x=_images()), dict(x="array:4"),
         call=lambda x: _small_model().forward(x), batch=("x",)),
    Spec(nn.SoftmaxCrossEntropy,
         lambda: dict(logits=rng_array(3, 4), labels=np.array([0, 3, 1])),
         dict(logits="array:2", labels="labels"),
         call=lambda **kw: nn.SoftmaxCrossEntropy().forward(**kw), batch=("logits",)),
    Spec(nn.SGD, lambda: dict(params={"w": np.zeros(2)}),
         dict(params="obj", lr="real+", momentum="real:0:1)")),
    Spec(nn.digits_cnn, lambda: dict(), dict(seed="int:0", padding="int:0")),
    Spec(nn.predict, lambda: dict(model=_small_model(), x=_images()),
         dict(model="obj", x="array:4", batch_size="int:1"), batch=("x",)),
    Spec(nn.accuracy, lambda: dict(model=_small_model(), x=_images(),
                                   labels=np.arange(6) % 3),
         dict(model="obj", x="array:4", labels="labels"), batch=("x",)),
    Spec(nn.backprop, lambda: dict(model=_small_model(), loss=nn.SoftmaxCrossEntropy(),
                                   x=_images(), labels=np.arange(6) % 3),
         dict(model="obj", loss="obj", x="array:4", labels="labels"), batch=("x",)),
    Spec(nn.fit, lambda: dict(model=_small_model(), x=_images(), labels=np.arange(6) % 3,
                              epochs=1, batch_size=3),
         dict(model="obj", x="array:4", labels="labels", epochs="int:1",
              batch_size="int:1", lr="real+", momentum="real:0:1)",
              lr_decay="real(0:1", seed="int:0"), batch=("x",)),
    Spec(data.train_test_split, lambda: dict(x=_images(8), labels=np.arange(8) % 2),
         dict(x="array", labels="labels", test_fraction="real(0:1)", seed="int:0"),
         batch=("x",)),
    # ---- drawing machinery
    Spec(VC.new_figure, lambda: dict(width=2.0, height=1.0),
         dict(width="real+", height="real+", dpi="real+")),
    Spec(VC.png, lambda: dict(fig=VC.new_figure(1.0, 1.0)),
         dict(fig="obj", dpi="real+?")),
    Spec(VC.Param, lambda: dict(name="x", label="Row x", min=0, max=3),
         dict(name="obj", label="obj", min="int", max="int", step="int:1",
              default="int:0:3?")),
    Spec(VC.Drawing, lambda: dict(x=2), dict(x="int:0:4", c="choice"),
         call=lambda **kw: _drawing().update(**kw)),
    Spec(VC.GridArtist, lambda: dict(ax=_ax(), values=rng_array(2, 3)),
         dict(ax="obj", values="array:2", fmt="obj"), finite=("values",)),
    Spec(VC.Outlines, lambda: dict(ax=_ax(), n=2, color="red"),
         dict(ax="obj", n="int:0", width="real0+")),
    Spec(VC.CellCover, lambda: dict(ax=_ax(), shape=(2, 3)),
         dict(ax="obj", shape="pair:1")),
    Spec(VC.PathText, lambda: dict(ax=_ax(), x=0.5, y=0.5, text="a"),
         dict(ax="obj", x="real", y="real", text="obj", size="real+")),
    Spec(VC.TextGrid, lambda: dict(ax=_ax(), xy=rng_array(3, 2)),
         dict(ax="obj", xy="array:2", size="real+"), finite=("xy",)),
    Spec(vtext.num, lambda: dict(v=-0.5), dict(v="real", fmt="obj")),
    Spec(vtext.text_path, lambda: dict(text="ab", size=9.0),
         dict(text="obj", size="real+")),
    Spec(VC.FrozenBackground, lambda: dict(fig=VC.new_figure(1.0, 1.0), dynamic=[]),
         dict(fig="obj", dynamic="obj")),
    # ---- figures and drawings of the chapters
    Spec(V.DeltaPropagation, lambda: dict(delta=rng_array(3, 3), w=rng_array(2, 2)),
         dict(delta="array:2?", w="array:2?", dpi="real+"), finite=("delta", "w")),
    Spec(V.KernelRotation, lambda: dict(w=rng_array(3, 3), delta=rng_array(2, 2)),
         dict(w="array:2?", delta="array:2?", dpi="real+"), finite=("w", "delta")),
    Spec(V.WeightGradient, lambda: dict(act=rng_array(4, 4), delta=rng_array(3, 3)),
         dict(act="array:2?", delta="array:2?", dpi="real+"), finite=("act", "delta")),
    Spec(V.StrideBackward, lambda: dict(delta=rng_array(3, 3), w=rng_array(2, 2),
                                        in_shape=(7, 7), stride=2),
         dict(delta="array:2?", w="array:2?", in_shape="pair:1", stride="int:1",
              dpi="real+"), finite=("delta", "w")),
    Spec(V.SlidingWindowDrawing, lambda: dict(a=rng_array(4, 4), k=rng_array(2, 2)),
         dict(a="array:2", k="array:2", mode="choice", op="choice", dpi="real+"),
         finite=("a", "k")),
    Spec(V.WeightSharingDrawing, lambda: dict(a=rng_array(3, 3), kernel=rng_array(2, 2)),
         dict(a="array:2", kernel="array:2", seed="int:0", dpi="real+"),
         finite=("a", "kernel")),
    Spec(V.MLPDeltaDrawing, _net_xy,
         dict(net="obj", x="array:1", y="array:1", dpi="real+"), finite=("x", "y")),
    Spec(V.network_figure, lambda: dict(list(_net_xy().items())[:2]),
         dict(net="obj", x="array:1", dpi="real+"), finite=("x",)),
    Spec(vmlp.delta_equation, lambda: dict(terms=_terms()), dict(terms="obj")),
    Spec(V.LayerExplorer, lambda: dict(),
         dict(a="array:2?", w="array:2?", dpi="real+")),
    Spec(V.dilation_figure, lambda: dict(w=rng_array(2, 2), dilation=2),
         dict(w="array:2?", dilation="int:1", dpi="real+"), finite=("w",)),
    Spec(V.pooling_figure, lambda: dict(x=rng_array(4, 4), delta=rng_array(2, 2)),
         dict(x="array:2", delta="array:2", dpi="real+"), finite=("x", "delta")),
    Spec(V.plot_dense_transpose, lambda: dict(kernel_shape=(2, 2), in_shape=(3, 3),
                                              pick=(1, 2)),
         dict(kernel_shape="pair:1", in_shape="pair:1", pick="pair:0", dpi="real+")),
    Spec(V.modes_figure, lambda: dict(h=4, k_len=3),
         dict(h="int:1:20", k_len="int:1:4", dpi="real+")),
    Spec(V.sharing_networks_figure, lambda: dict(in_hw=(3, 3), k_hw=(2, 2)),
         dict(in_hw="pair:1", k_hw="pair:1", dpi="real+")),
    Spec(V.plot_learning_curve,
         lambda: dict(history={"loss": [1.0, 0.5], "train_acc": [0.5, 0.7]}),
         dict(history="obj", dpi="real+")),
    Spec(V.plot_kernels, lambda: dict(w=rng_array(3, 1, 2, 2)),
         dict(w="array:4", dpi="real+"), finite=("w",)),
    Spec(V.plot_misclassified, lambda: dict(x=_images(4), labels=np.array([0, 1, 2, 3]),
                                            predicted=np.array([0, 2, 2, 1])),
         dict(x="array:4", labels="labels", predicted="labels", max_items="int:1",
              dpi="real+"), batch=("x",), finite=("x",)),
    Spec(V.plot_digits, lambda: dict(x=_images(3), labels=np.array([0, 1, 2])),
         dict(x="array:4", labels="labels", n="int:1", dpi="real+"), batch=("x",),
         finite=("x",)),
    # ---- drivers
    Spec(glue.glue, lambda: dict(name="n_cases", value=3),
         dict(name="obj", value="scalar")),
    Spec(glue.words, lambda: dict(items=[2, 5, 8]), dict(items="obj", last="obj")),
    Spec(widgets.interactive, lambda: dict(drawing=_drawing()), dict(drawing="obj")),
    Spec(animate.animation, lambda: dict(drawing=_drawing(), dpi=10),
         dict(drawing="obj", frames="obj?", interval="int:1", caption="obj?",
              label="obj?", dpi="real+?", reach="choice")),
    Spec(animate.AnimationHTML,
         lambda: dict(html_text="<p></p>", n_frames=2, n_combinations=6),
         dict(html_text="obj", n_frames="int:1", n_combinations="int:1")),
    Spec(animate.player_data, lambda: dict(drawing=_drawing(), play=[{"x": 2}],
                                           css_dpi=10, interval=100),
         dict(drawing="obj", play="obj", css_dpi="real+", interval="int:1",
              reach="choice")),
    # ---- the static player's frames and static figures at 2x
    Spec(VC.image, lambda: dict(fig=VC.new_figure(1.0, 1.0)),
         dict(fig="obj", dpi="real+?")),
    Spec(encode.render_rgb, lambda: dict(fig=VC.new_figure(0.5, 0.5)), dict(fig="obj")),
    Spec(encode.figure_text_points, lambda: dict(fig=VC.new_figure(0.5, 0.5)),
         dict(fig="obj")),
    Spec(encode.encode_image, lambda: dict(img=np.zeros((2, 3, 3), np.uint8)),
         dict(img="obj")),
    Spec(encode.compact_png, lambda: dict(data=VC.png(VC.new_figure(0.5, 0.5))),
         dict(data="obj")),
    Spec(encode.FrameSet, lambda: dict(rgb=np.zeros((4, 5, 3), np.uint8)),
         dict(rgb="obj"), call=lambda **kw: encode.FrameSet().add(**kw)),
]

#: Callables that take no arguments: Python itself refuses any (a TypeError that
#: names the function), and there is nothing else to validate.
NO_ARGUMENTS = (cnnlib.tiny_example, data.load_digits, VC.book_style,
                V.all_drawings)

SPEC_BY_NAME = {f"{s.obj.__qualname__}": s for s in SPECS}


def _key(obj):
    return f"{obj.__module__}.{obj.__qualname__}"


# ------------------------------------------------------------------------------
# Bad values, by kind

_NOT_INT = st.one_of(
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=2),
    st.none(),
    st.integers(1, 3).map(lambda v: np.array([v])),
    st.sampled_from([2.0, 2.7, "2", True, np.float64(1.0), np.bool_(True)]),
)
_NOT_REAL = st.one_of(st.booleans(), st.text(max_size=2), st.none(),
                      st.just(np.array([1.0])), st.just([1.0]))
_NON_FINITE = st.sampled_from([np.nan, np.inf, -np.inf])
_NOT_ARRAY = st.one_of(
    st.none(), st.text(max_size=3), st.just(object()),
    st.just(np.zeros((2, 2), dtype=complex)), st.just([[1.0, 2.0], [3.0]]),
    st.just(np.array(["a", "b"])),
)
_NOT_CHOICE = st.one_of(st.text(max_size=6).filter(
    lambda s: s not in ("valid", "same", "full", "correlate", "convolve", "dense",
                        "local", "shared", "once", "loop", "reflect", "a", "b", "all",
                        "frames")),
    st.none(), st.integers(), st.just(True))


def _int_bounds(kind):
    parts = kind.split(":")[1:]
    lo = int(parts[0]) if parts and parts[0] else None
    hi = int(parts[1]) if len(parts) > 1 else None
    return lo, hi


def bad_values(kind: str, valid_value=None):
    """A strategy for values that an argument of ``kind`` must refuse.

    A kind ending in "?" also accepts None (its default), so None is not drawn.
    """
    if kind.endswith("?"):
        return bad_values(kind[:-1], valid_value).filter(lambda v: v is not None)
    if kind.startswith("int"):
        lo, hi = _int_bounds(kind)
        out = [_NOT_INT]
        if lo is not None:
            out.append(st.integers(lo - 1000, lo - 1))
        if hi is not None:
            out.append(st.integers(hi + 1, hi + 1000))
        return st.one_of(*out)
    if kind.startswith("pair"):
        lo = int(kind.split(":")[1])
        return st.one_of(
            _NOT_INT.filter(lambda v: not isinstance(v, np.ndarray)),
            st.integers(lo - 100, lo - 1),
            st.lists(st.integers(lo, 3), max_size=5).filter(lambda v: len(v) != 2)
            .map(tuple),
            st.tuples(st.integers(lo, 3), st.sampled_from([1.5, True, "1", None])),
            st.tuples(st.integers(lo - 100, lo - 1), st.integers(lo, 3)),
        )
    if kind.startswith("shape"):
        n = int(kind.split(":")[1])
        return st.one_of(
            st.none(), st.text(max_size=2), st.integers(1, 3),
            st.lists(st.integers(1, 3), max_size=6).filter(lambda v: len(v) != n)
            .map(tuple),
            st.tuples(*[st.integers(1, 3)] * (n - 1), st.sampled_from([2.5, True, "2"])),
            st.tuples(*[st.integers(1, 3)] * (n - 1), st.integers(-5, 0)),
        )
    if kind.startswith("array"):
        parts = kind.split(":")
        if len(parts) == 1:
            return _NOT_ARRAY
        ndim = int(parts[1])
        wrong = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=5,
                                                        min_side=1, max_side=3))
        return st.one_of(_NOT_ARRAY, wrong.filter(lambda a: a.ndim != ndim))
    if kind == "labels":
        n = len(valid_value)
        return st.one_of(
            st.just(np.asarray(valid_value).reshape(n, 1)),
            st.just(np.asarray(valid_value).astype(str)),
            st.just(np.asarray(valid_value).astype(float)),
            st.just(np.asarray(valid_value) == 0),
            st.just(np.asarray(valid_value)[:-1]),
            st.just(-1 - np.asarray(valid_value)),
            st.none(), st.text(max_size=2),
        )
    if kind.startswith("real"):
        out = [_NOT_REAL, _NON_FINITE]
        if kind == "real+":
            out.append(st.floats(max_value=0.0))
        elif kind == "real0+":
            out.append(st.floats(max_value=-1e-9))
        elif kind == "real:0:1)":
            out.append(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.0)))
        elif kind == "real(0:1":
            out.append(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.001)))
        elif kind == "real(0:1)":
            out.append(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0)))
        return st.one_of(*out)
    if kind == "choice":
        return _NOT_CHOICE
    if kind == "scalar":  # a number or a str for the prose: not bool, array, NaN
        return st.one_of(st.booleans(), st.none(), st.just(np.array([1.0])),
                         st.just([1.0]), _NON_FINITE)
    if kind == "obj":
        return st.one_of(st.just(object()), st.integers(), st.none(), st.just(1.5))
    raise AssertionError(f"unknown kind {kind!r}")


def _check_refusal(spec: Spec, arg: str, bad):
    with pytest.raises((TypeError, ValueError)) as info:
        spec.run(**{arg: bad})
    # Python's own TypeError for an unexpected keyword would name it too: rule out.
    assert "unexpected keyword" not in str(info.value)
    assert arg in str(info.value), (
        f"{spec.obj.__qualname__}({arg}={bad!r}) raised without naming {arg!r}: "
        f"{type(info.value).__name__}: {info.value}")


#: Arguments that do not validate yet: strict xfails, so each one fails the suite
#: once it is fixed and its mark is left behind. Remove an entry when it validates.
PENDING: set[tuple[str, str]] = set()
_XFAIL = pytest.mark.xfail(strict=True, reason="pending validation (see PENDING)")


def _cases(pairs):
    return [pytest.param(*pair, marks=_XFAIL) if (pair[0].obj.__qualname__, pair[1])
            in PENDING else pytest.param(*pair) for pair in pairs]


CASES = [(s, arg, kind) for s in SPECS for arg, kind in s.kinds.items()]
IDS = [f"{s.obj.__qualname__}-{arg}" for s, arg, _ in CASES]


# ------------------------------------------------------------------------------
# The walk over every public name


def test_every_public_callable_has_a_bad_input_case():
    covered = {_key(s.obj) for s in SPECS if s.kinds} | {_key(f) for f in NO_ARGUMENTS}
    missing = []
    for key, obj in _public_callables().items():
        if _is_record(obj):
            continue  # a NamedTuple: see test_records_are_checked_by_their_readers
        if key not in covered:
            missing.append(key)
    assert not missing, f"public callables without a bad-input case: {sorted(missing)}"


def test_the_walk_reaches_every_module_asked_for():
    names = {m.__name__ for m in _public_modules()}
    wanted = {"cnnlib", "cnnlib.rules", "cnnlib.viz", "cnnlib.viz.core", "cnnlib.nn",
              "cnnlib.data", "cnnlib.widgets", "cnnlib.animate", "cnnlib.viz.beyond",
              "cnnlib.viz.deltas", "cnnlib.viz.mlp", "cnnlib.viz.rotation",
              "cnnlib.viz.sharing", "cnnlib.viz.sliding", "cnnlib.viz.training",
              "cnnlib.viz.wgrad", "cnnlib.viz.encode"}
    assert wanted <= names, sorted(wanted - names)


@pytest.mark.parametrize("spec", SPECS, ids=[s.obj.__qualname__ for s in SPECS])
def test_the_valid_call_is_accepted(spec):
    # Each refusal below must be caused by the one spoiled argument.
    spec.run()


@pytest.mark.parametrize("spec, arg, kind", _cases(CASES), ids=IDS)
@FAST
@given(data=st.data())
def test_bad_argument_is_refused_naming_it(spec, arg, kind, data):
    valid_value = spec.valid().get(arg)
    bad = data.draw(bad_values(kind, valid_value), label=arg)
    _check_refusal(spec, arg, bad)


BATCH = [(s, arg) for s in SPECS for arg in s.batch]


@pytest.mark.parametrize("spec, arg", BATCH,
                         ids=[f"{s.obj.__qualname__}-{a}" for s, a in BATCH])
def test_empty_batch_is_refused_everywhere(spec, arg):
    value = np.asarray(spec.valid()[arg])
    with pytest.raises(ValueError, match=rf"{arg}.*empty batch \(N = 0\)"):
        spec.run(**{arg: np.zeros((0, *value.shape[1:]))})


FINITE = [(s, arg) for s in SPECS for arg in s.finite]


@pytest.mark.parametrize("spec, arg", _cases(FINITE),
                         ids=[f"{s.obj.__qualname__}-{a}" for s, a in FINITE])
@FAST
@given(data=st.data())
def test_drawings_refuse_non_finite_data(spec, arg, data):
    value = np.array(spec.valid()[arg], dtype=np.float64)
    flat = data.draw(st.integers(0, value.size - 1), label="index")
    value.flat[flat] = data.draw(_NON_FINITE, label="value")
    with pytest.raises(ValueError, match=rf"{arg}: expected finite values"):
        spec.run(**{arg: value})


@pytest.mark.parametrize("fn", NO_ARGUMENTS, ids=lambda f: f.__qualname__)
def test_functions_without_arguments_refuse_any(fn):
    # Python's own refusal: there is no argument to validate.
    with pytest.raises(TypeError, match=fn.__name__):
        fn(1)


def test_records_are_checked_by_their_readers():
    """NamedTuple records take any fields; the functions that read one accept
    only the record their forward pass made, and say so."""
    records = [o for o in _public_callables().values() if _is_record(o)]
    assert {r.__name__ for r in records} == {"Conv2dCache", "PoolCache", "Forward",
                                             "Backprop"}
    _, conv_cache = cnnlib.conv2d_forward(X4(), W4())
    with pytest.raises(TypeError, match="cache"):
        cnnlib.conv2d_backward(np.zeros((2, 4, 4, 4)), tuple(conv_cache))
    with pytest.raises(TypeError, match="cache"):
        cnnlib.max_pool2d_backward(np.zeros((1, 2, 2, 2)), tuple(_pool_cache()))
    # Forward and Backprop are results of MLP; nothing in cnnlib reads them back.


# ------------------------------------------------------------------------------
# The named cases of issue 17, each once and explicitly

def test_nan_numerics_propagate_as_documented():
    # The documented result for NaN in the numerics: NaN out, no error.
    out = cnnlib.conv2d_forward(np.full((1, 1, 3, 3), np.nan), np.ones((1, 1, 2, 2)))[0]
    assert np.isnan(out).all()
    assert np.isnan(cnnlib.relative_error([np.nan], [1.0]))
    assert np.isnan(cnnlib.sigmoid([np.nan])).all()


def test_integer_arrays_and_lists_are_accepted_as_float64():
    z_int, _ = cnnlib.conv2d_forward(np.ones((1, 1, 3, 3), dtype=int), [[[[1, 2]]]])
    z_float, _ = cnnlib.conv2d_forward(np.ones((1, 1, 3, 3)), np.array([[[[1.0, 2.0]]]]))
    assert z_int.dtype == np.float64
    np.testing.assert_array_equal(z_int, z_float)


@pytest.mark.parametrize("by_rule, n_delta", [
    (lambda d: rules.input_gradient_by_rule(d, W4(), (2, 3, 6, 5)), 3),
    (lambda d: rules.input_gradient_by_rule(d, W4(), (2, 3, 6, 5)), 1),
    (lambda d: rules.weight_gradient_by_rule(X4(), d, (3, 2)), 3),
    (lambda d: rules.weight_gradient_by_rule(X4(), d, (3, 2)), 1),
])
def test_rules_refuse_a_batch_mismatch(by_rule, n_delta):
    with pytest.raises(ValueError, match="delta: expected the batch size N = 2"):
        by_rule(rng_array(n_delta, 4, 4, 4))


def test_accuracy_refuses_column_and_string_labels():
    model, x = _small_model(), _images()
    with pytest.raises(ValueError, match=r"labels: expected shape \(N,\) = \(6,\)"):
        nn.accuracy(model, x, (np.arange(6) % 3)[:, None])
    with pytest.raises(TypeError, match="labels: expected an integer array"):
        nn.accuracy(model, x, (np.arange(6) % 3).astype(str))


def test_predict_refuses_a_negative_batch_size():
    with pytest.raises(ValueError, match="batch_size: expected a value >= 1"):
        nn.predict(_small_model(), _images(), batch_size=-1)


def test_refused_update_leaves_the_drawing_as_it_was():
    d = V.DeltaPropagation()
    d.update(p=2, q=1)
    before = d.render_array()
    for bad in (1.0, True, np.array([2]), "2", 2.0, np.int64(99)):
        with pytest.raises((TypeError, ValueError), match="^p: (expected|got)"):
            d.update(p=bad, q=0)
        assert d.state == {"p": 2, "q": 1}
    np.testing.assert_array_equal(d.render_array(), before)
    d.update(q=2)  # not stuck: the next update works
    assert d.state == {"p": 2, "q": 2}


@pytest.mark.parametrize("cls", V.all_drawings(), ids=lambda c: c.__name__)
def test_every_drawing_refuses_a_float_bool_or_array_value(cls):
    d = cls.example()
    before = d.state
    for p in d.params:
        value = p.values[-1]
        bads = ([float(value), True, np.array([value])] if not p.options
                else [str(value) + "?", None])
        for bad in bads:
            with pytest.raises((TypeError, ValueError), match=f"^{p.name}: "):
                d.update(**{p.name: bad})
            assert d.state == before


def test_update_that_fails_while_drawing_restores_the_state():
    d = _Demo()
    d.update(x=2)

    def broken(x, c):
        raise RuntimeError("drawing failed")

    d._update = broken
    with pytest.raises(RuntimeError):
        d.update(x=4)
    assert d.state == {"x": 2, "c": "a"}


@pytest.mark.parametrize("make, arg", [
    (lambda v: V.StrideBackward(stride=v), "stride"),
    (lambda v: V.dilation_figure(dilation=v), "dilation"),
])
@pytest.mark.parametrize("bad, error", [(2.7, TypeError), ("2", TypeError),
                                        (True, TypeError), (0, ValueError),
                                        (-1, ValueError)])
def test_drawings_refuse_a_stride_or_dilation_that_is_not_a_positive_int(
        make, arg, bad, error):
    with pytest.raises(error, match=f"^{arg}:"):
        make(bad)


def test_out_of_range_pick_is_refused():
    with pytest.raises(ValueError, match="pick"):
        V.plot_dense_transpose((2, 2), (3, 3), pick=(3, 0))


def test_max_items_zero_is_refused():
    with pytest.raises(ValueError, match="max_items"):
        V.plot_misclassified(_images(2), np.array([0, 1]), np.array([1, 0]), max_items=0)


@pytest.mark.parametrize("plot", [
    lambda x: V.plot_digits(x, np.array([0, 1])),
    lambda x: V.plot_misclassified(x, np.array([0, 1]), np.array([1, 0])),
])
def test_image_plots_refuse_colour_images_they_would_draw_in_part(plot):
    with pytest.raises(ValueError, match=r"x: expected shape \(N, 1, H, W\)"):
        plot(rng_array(2, 3, 4, 4))


def test_param_default_outside_its_range_is_refused():
    with pytest.raises(ValueError, match="default"):
        VC.Param("x", "x", 0, 3, default=5)
    with pytest.raises(TypeError, match="default"):
        VC.Param("x", "x", 0, 3, default=1.0)


@pytest.mark.parametrize("lr", [np.nan, np.inf])
def test_sgd_and_fit_refuse_a_non_finite_learning_rate(lr):
    with pytest.raises(ValueError, match="lr: expected a finite number"):
        nn.SGD({"w": np.zeros(2)}, lr=lr)
    with pytest.raises(ValueError, match="lr: expected a finite number"):
        nn.fit(_small_model(), _images(), np.arange(6) % 3, epochs=1, lr=lr)


def test_avg_pool_backward_refuses_a_max_pool_cache():
    with pytest.raises(TypeError, match="cache: expected a cache from avg_pool2d"):
        cnnlib.avg_pool2d_backward(np.zeros((1, 2, 2, 2)), _pool_cache("max"))


def test_conv_backward_and_transpose_refuse_an_empty_batch_as_forward_does():
    for call in (lambda: cnnlib.conv2d_forward(np.zeros((0, 3, 6, 5)), W4()),
                 lambda: cnnlib.conv_transpose2d(np.zeros((0, 4, 3, 3)), W4())):
        with pytest.raises(ValueError, match=r"x: empty batch \(N = 0\)"):
            call()


def test_one_conv_validation_path_says_the_same_thing():
    """conv2d_output_shape, the forward, conv2d_as_dense and the rules refuse a
    kernel that does not fit in the same words (issue 9)."""
    msgs = []
    for call in (lambda: cnnlib.conv2d_output_shape((6, 5), (7, 2)),
                 lambda: cnnlib.conv2d_forward(X4(), rng_array(4, 3, 7, 2)),
                 lambda: cnnlib.conv2d_as_dense(rng_array(4, 3, 7, 2), (3, 6, 5)),
                 lambda: rules.input_gradient_by_rule(rng_array(2, 4, 1, 4),
                                                      rng_array(4, 3, 7, 2),
                                                      (2, 3, 6, 5))):
        with pytest.raises(ValueError) as info:
            call()
        msgs.append(str(info.value).split(" (input")[0].split(": ", 1)[1])
    assert len(set(msgs)) == 1, msgs
