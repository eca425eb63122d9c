"""The figures of chapter 7 (cnnlib.viz.beyond): strides, dilation, pooling."""

import numpy as np
import pytest

from cnnlib.viz.beyond import StrideBackward, dilation_figure, pooling_figure


def test_stride_backward_marks_the_rows_no_window_read():
    d = StrideBackward()
    assert d.never_read[7].all() and d.never_read[:, 7].all()
    assert not d.never_read[:7, :7].any()
    assert np.all(d.result[d.never_read] == 0)


def test_static_figures_draw_and_check_their_input():
    assert len(dilation_figure().axes) == 1
    x = np.arange(16.0).reshape(4, 4)
    assert len(pooling_figure(x, np.ones((2, 2))).axes) == 1
    with pytest.raises(ValueError, match="delta"):
        pooling_figure(x, np.ones((3, 3)))
