"""The figures of chapter 2 (cnnlib.viz.sharing): the three stages of
weight sharing and the static network figure."""

import numpy as np

from cnnlib import correlate2d
from cnnlib.rules import STAGES
from cnnlib.viz import png
from cnnlib.viz.sharing import WeightSharingDrawing, sharing_networks_figure


def test_sharing_drawing_frames_cover_every_stage_and_every_shared_output():
    d = WeightSharingDrawing.example()
    frames = d.frames()
    assert {f["stage"] for f in frames} == set(STAGES)
    assert [f["out"] for f in frames if f["stage"] == "shared"] == list(range(9))


def test_sharing_drawing_outputs_are_m_times_a():
    d = WeightSharingDrawing.example()
    for s in STAGES:
        np.testing.assert_allclose(d.outs[s], d.mats[s] @ d.a.ravel())
    np.testing.assert_allclose(d.outs["shared"].reshape(3, 3),
                               correlate2d(d.a, d.kernel))


def test_sharing_networks_figure_renders():
    assert png(sharing_networks_figure(dpi=30))[:4] == b"\x89PNG"
