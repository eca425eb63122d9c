"""The kernel-rotation figure of chapter 4 (cnnlib.viz.rotation)."""


from cnnlib import rot180
from cnnlib.rules import delta_sources
from cnnlib.viz.rotation import KernelRotation


def test_copies_reach_each_position_back_to_front_as_rot180():
    d = KernelRotation()
    kh, kw = d.w.shape
    oh, ow = d.delta.shape
    r = rot180(d.w)
    for p in range(oh + kh - 1):
        for q in range(ow + kw - 1):
            d.update(p=p, q=q)
            src = d.sources(p, q)
            assert src == delta_sources(p, q, d.w.shape, d.delta.shape)
            # the weight copy (x, y) lays on (p, q) is rot180(w) shifted by (p, q)
            for x, y, i, j in src:
                assert d.w[i, j] == r[kh - 1 - p + x, kw - 1 - q + y]
            assert sum(d.delta[x, y] * d.w[i, j] for x, y, i, j in src) == \
                d.result[p, q]
            assert f"covered by {len(src)} " in d.alt
    # at the centre the deltas, in their order, meet rot180(w) read row by row
    centre = [d.w[i, j] for *_, i, j in sorted(d.sources(2, 2))]
    assert centre == list(r.ravel())
