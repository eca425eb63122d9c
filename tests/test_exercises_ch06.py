"""The exercise checkers of chapter 6 (the whole algorithm; training a CNN): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""

from checker_tools import AvgPool, Leaky, layer_class, leaky_forward

from cnnlib import avg_pool2d_backward, avg_pool2d_forward
from cnnlib.exercises import ch06 as ex6

#: Wrong answers: a backward that forgets the slope, and one 4 times too large.
_LeakyNoSlope = layer_class(leaky_forward, lambda d, x, alpha: d)
_AvgPoolWrongBackward = layer_class(
    avg_pool2d_forward, lambda d, cache, k: 4 * avg_pool2d_backward(d, cache))


def test_ch06_parameter_count_and_shapes():
    assert ex6.check_parameter_count(2730)
    assert not ex6.check_parameter_count(2720)
    right = [(1, 16, 8, 8), (1, 16, 8, 8), (1, 16, 4, 4), (1, 256), (1, 10)]
    assert ex6.check_layer_shapes(right)
    assert not ex6.check_layer_shapes(right[:4])
    assert not ex6.check_layer_shapes([(1, 16, 6, 6)] + right[1:])
    assert not ex6.check_layer_shapes(None)


def test_ch06_leaky_relu():
    assert ex6.check_leaky_relu(Leaky)
    assert not ex6.check_leaky_relu(_LeakyNoSlope)
    assert not ex6.check_leaky_relu(lambda alpha: object())


def test_ch06_avg_pool_layer():
    assert ex6.check_avg_pool_layer(AvgPool)
    assert not ex6.check_avg_pool_layer(_AvgPoolWrongBackward)
    assert not ex6.check_avg_pool_layer(lambda k: 1 / 0)
