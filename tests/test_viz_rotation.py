"""The kernel-rotation figure of chapter 4 (cnnlib.viz.rotation)."""

import numpy as np

from cnnlib import rot180
from cnnlib.viz.rotation import rotated_cell_centres


def test_turning_by_180_degrees_is_rot180_and_the_two_flips():
    shape = (3, 3)
    start = rotated_cell_centres(shape, 0)
    turned = rotated_cell_centres(shape, 180)
    assert np.allclose(turned, start[::-1, ::-1])
    w = np.arange(9.0).reshape(3, 3)
    assert np.array_equal(rot180(w), w[::-1, :][:, ::-1])
    # halfway, the cells have moved but are still a rigid grid: distances kept
    mid = rotated_cell_centres(shape, 75).reshape(-1, 2)
    d0 = np.linalg.norm(start.reshape(-1, 2)[:, None] - start.reshape(-1, 2), axis=-1)
    d1 = np.linalg.norm(mid[:, None] - mid, axis=-1)
    assert np.allclose(d0, d1)
