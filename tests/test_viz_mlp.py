"""The figures of chapter 1 (cnnlib.viz.mlp): the hand count they write
out, the neurons they offer, the static network figure."""

import numpy as np
import pytest

from cnnlib import MLP, tiny_example
from cnnlib.rules import delta_terms
from cnnlib.viz import png
from cnnlib.viz.mlp import MLPDeltaDrawing, delta_equation, network_figure


def test_delta_equation_writes_the_numbers_of_the_hand_count():
    net, x, y = tiny_example()
    lines = delta_equation(delta_terms(net, x, y, 1, 0))
    assert lines[0].startswith("(BP2)")
    assert "(1\\times(\u22120.101) + (\u22121)\\times0.144)" in lines[1]
    assert lines[2].endswith("= \u22120.0613$")


def test_mlp_drawing_options_cover_every_neuron_of_layers_1_to_L():
    net = MLP.random((3, 4, 2, 2), seed=1)
    d = MLPDeltaDrawing(net, np.ones(3), np.zeros(2), dpi=30)
    values = d.params[0].values
    assert values == [(l, j) for l in (1, 2, 3) for j in range(net.sizes[l])]
    assert d.frames()[0] == {"neuron": (3, 0)}


def test_mlp_drawing_rejects_wrong_target_shape():
    net, x, _ = tiny_example()
    with pytest.raises(ValueError, match="y"):
        MLPDeltaDrawing(net, x, np.zeros(3))


def test_network_figure_renders_png():
    net, x, _ = tiny_example()
    data = png(network_figure(net, x), dpi=30)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
