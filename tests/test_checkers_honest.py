"""No checker says "Right." to an answer it cannot show right, and none raises
at a reader (issue 17): every public ``check_*`` of every chapter module gets
odd answers (a fixed list and Hypothesis-generated junk) in every argument,
and, for the checkers of a reader's function or class, a right solution whose
output is poisoned (NaN, inf, a wrong shape, text). Each must get "Not yet."
and no exception. A checker without a case here fails the suite."""

import inspect

import numpy as np
import pytest
from checker_tools import AvgPool, Leaky
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cnnlib.activations import sigmoid, tanh_prime
from cnnlib.conv import conv2d_backward, conv2d_forward
from cnnlib.exercises import answer_keys, chapter_modules
from cnnlib.exercises.common import keys_for
from cnnlib.pool import (
    max_pool2d_backward,
    max_pool2d_forward,
)

CHECKERS = {name: getattr(m, name) for m in chapter_modules() for name in m.__all__
            if name.startswith("check_")}
KEYS = answer_keys()

# ---- right answers for the checkers that take a function, a class or a kernel --


def _output_size(h, k, p, s, d):
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def _kernel_entry(r, c):
    (x, y), (xp, yp) = divmod(r, 3), divmod(c, 4)
    i, j = xp - x, yp - y
    return (i, j) if 0 <= i < 2 and 0 <= j < 2 else None


def _dx(delta, w, in_shape, **conv):
    _, cache = conv2d_forward(np.zeros(in_shape), w, **conv)
    return conv2d_backward(delta, cache)[0]


def _grads(x, delta, k_shape, **conv):
    f, c = delta.shape[1], x.shape[1]
    _, cache = conv2d_forward(x, np.zeros((f, c) + tuple(k_shape)), np.zeros(f), **conv)
    return conv2d_backward(delta, cache)[1:]


#: A right answer for every checker not judged from an answer key.
SOLUTIONS = {
    "check_cross_entropy_delta": (lambda z, y: sigmoid(z) - y,),
    "check_bp2_tanh": (lambda w, g, z: (w.T @ g) * tanh_prime(z),),
    "check_kernel_entry": (_kernel_entry,),
    "check_output_size": (_output_size,),
    "check_symmetric_kernel": ([[1.0, 2.0, 1.0], [2.0, 5.0, 2.0], [1.0, 2.0, 1.0]],),
    "check_strided": (lambda a, k, s: conv2d_forward(
        a[None, None], k[None, None], stride=s)[0][0, 0],),
    "check_mixup_is_hidden": ([[1, 2, 3], [4, 5, 4], [3, 2, 1]],),
    "check_strided_delta": (lambda delta, w, in_shape: _dx(
        delta[None, None], w[None, None], (1, 1) + tuple(in_shape), stride=2)[0, 0],),
    "check_multichannel_delta": (lambda delta, w: _dx(
        delta[None], w, (1, w.shape[1], delta.shape[1] + w.shape[2] - 1,
                         delta.shape[2] + w.shape[3] - 1))[0],),
    "check_strided_weight_gradient": (lambda a, delta, k_shape: _grads(
        a[None, None], delta[None, None], k_shape, stride=2)[0][0, 0],),
    "check_batch_weight_gradient": (lambda x, delta, k_shape, padding: tuple(
        _grads(x, delta, k_shape, padding=padding)),),
    "check_leaky_relu": (Leaky,),
    "check_avg_pool_layer": (AvgPool,),
    "check_dilated_input_gradient": (lambda delta, w, in_shape, d: _dx(
        delta[None, None], w[None, None], (1, 1) + tuple(in_shape),
        dilation=d)[0, 0],),
    "check_max_pool_backward": (lambda delta, a, k: max_pool2d_backward(
        delta[None, None], max_pool2d_forward(a[None, None], k)[1])[0, 0],),
}


def _right_args(name):
    keys = keys_for(KEYS, name)
    return [k.answer for k in keys] if keys else list(SOLUTIONS[name])


def test_every_checker_has_a_case():
    keyed = {k.checker.rsplit(".", 1)[-1] for k in KEYS}
    missing = set(CHECKERS) - keyed - set(SOLUTIONS)
    assert not missing, f"checkers with no odd-answer case: {sorted(missing)}"
    assert not set(SOLUTIONS) & keyed
    assert len(CHECKERS) >= 33  # the count when this suite was written


@pytest.mark.parametrize("name", sorted(CHECKERS))
def test_the_right_answer_passes(name, capsys):
    assert CHECKERS[name](*_right_args(name)) is True
    assert capsys.readouterr().out.startswith("Right.")


# ---- odd answers ------------------------------------------------------------------


def _raises(*args):
    raise RuntimeError("the reader's bug")


class _NotALayer:
    def __init__(self, *args):
        pass


ODD = [
    float("nan"), float("inf"), -float("inf"), 10**400, -(10**400), None, "", "abc",
    "1", "e ", True, False, 1 + 2j, [], (), {}, object(), [[1, 2], [3]], [None],
    np.array([np.nan]), np.full((3, 3), np.nan), np.full((5, 5), np.inf),
    np.zeros((0,)), np.array(["a", "b"]), np.array([True, False]), [float("nan")] * 2,
    [1e308 * 10, 0.0], np.array([10**400, 1], dtype=object), [[1.0] * 3] * 3,
    (float("inf"), 3), [(1, float("inf"))], _raises, lambda *a: None,
    lambda *a: float("nan"), lambda *a: "text", lambda *a: object(), _NotALayer,
    print,
]


def _verdict(name, args, capsys):
    """The checker's verdict and its message (what follows any text that the
    reader's own code printed)."""
    capsys.readouterr()
    verdict = CHECKERS[name](*args)  # must not raise
    out = capsys.readouterr().out
    starts = [i for i in (out.rfind("Right."), out.rfind("Not yet.")) if i >= 0]
    return verdict, out[max(starts):] if starts else out


def _odd_cases():
    for name in sorted(CHECKERS):
        n = len(inspect.signature(CHECKERS[name]).parameters)
        for position in range(n):
            yield name, position


@pytest.mark.parametrize(("name", "position"), list(_odd_cases()))
def test_odd_answers_get_not_yet_and_no_exception(name, position, capsys):
    for odd in ODD:
        args = _right_args(name)
        args[position] = odd
        verdict, out = _verdict(name, args, capsys)
        assert verdict is False and out.startswith("Not yet."), (name, odd, out)


def _poisons(out):
    """Wrong outputs made from a right one: non-finite, wrong shape, text."""
    if isinstance(out, tuple) and len(out) == 2 and not np.isscalar(out[0]):
        return [(p, out[1]) for p in _poisons(out[0])] + [
            (out[0], p) for p in _poisons(out[1])] + [out[0], (out[0],)]
    arr = np.asarray(out, dtype=float)
    return [arr * np.nan, arr + np.inf, arr[..., None], np.append(arr, 1.0),
            str(out), None, arr.astype(complex) * 1j + arr]


def _poisoned_solutions(name):
    """Readers' solutions built on the right one, each with a poisoned output."""
    right = SOLUTIONS[name][0]
    if isinstance(right, type):  # a layer class: poison forward or backward
        out = []
        for method in ("forward", "backward"):
            for index in range(len(_poisons(np.zeros(2)))):
                def poisoned(self, v, method=method, index=index):
                    result = getattr(right, method)(self, v)
                    return _poisons(result)[index]
                out.append(type("Poisoned", (right,), {method: poisoned}))
        return out
    if not callable(right):
        return []
    n = len(_poisons(np.zeros(2)))
    if name == "check_batch_weight_gradient":
        n = len(_poisons((np.zeros(2), np.zeros(1))))
    return [lambda *a, i=i: _poisons(right(*a))[i] for i in range(n)]


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_poisoned_outputs_of_a_right_solution_get_not_yet(name, capsys):
    for reader in _poisoned_solutions(name):
        verdict, out = _verdict(name, [reader], capsys)
        assert verdict is False and out.startswith("Not yet."), (name, out)


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_a_right_solution_returning_lists_passes(name, capsys):
    right = SOLUTIONS[name][0]
    if isinstance(right, type) or not callable(right) or name in (
            "check_kernel_entry", "check_output_size"):
        pytest.skip("returns a class, a kernel, a pair or a count")
    if name == "check_batch_weight_gradient":
        def reader(*a):
            return [np.asarray(v).tolist() for v in right(*a)]
    else:
        def reader(*a):
            return np.asarray(right(*a)).tolist()
    verdict, out = _verdict(name, [reader], capsys)
    assert verdict is True, out


def test_a_function_returning_nan_of_the_right_shape_is_not_right(capsys):
    """The two checkers of issue 17 that said "Right." to NaN."""
    for name in ("check_cross_entropy_delta", "check_bp2_tanh"):
        right = SOLUTIONS[name][0]
        verdict, out = _verdict(
            name, [lambda *a, right=right: np.full_like(right(*a), np.nan)], capsys)
        assert verdict is False and "nan" in out.lower(), out


# ---- generated junk ---------------------------------------------------------------

_junk = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda v: not np.isfinite(v)),
    st.integers(min_value=10**20, max_value=10**500),
    st.integers(max_value=-(10**20), min_value=-(10**500)),
    st.text(max_size=8).filter(lambda s: s.strip().lower().strip("().") not in
                               ("a", "b", "c", "d")),
    st.none(), st.booleans(),
    st.complex_numbers(allow_nan=False).filter(lambda z: z.imag != 0),
    st.lists(st.floats(allow_nan=True), min_size=1, max_size=6).filter(
        lambda v: not np.all(np.isfinite(v))),
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=4, max_side=6),
               elements=st.just(np.nan)),
    st.lists(st.lists(st.integers(0, 9), max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) > 1),  # ragged
)

_any_number = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=4, max_side=5),
               elements=st.floats(-1e6, 1e6)),
    st.tuples(st.integers(-5, 300), st.integers(-5, 300)),
)

_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture,
                                            HealthCheck.filter_too_much])


def _judge_one(case, value, capsys):
    name, position = case
    args = _right_args(name)
    args[position] = value
    return name, _verdict(name, args, capsys)


@_SETTINGS
@given(case=st.sampled_from(list(_odd_cases())), junk=_junk)
def test_generated_junk_gets_not_yet_and_no_exception(case, junk, capsys):
    name, (verdict, out) = _judge_one(case, junk, capsys)
    assert verdict is False and out.startswith("Not yet."), (name, junk, out)


@_SETTINGS
@given(case=st.sampled_from(list(_odd_cases())), value=_any_number)
def test_any_typed_number_gets_a_verdict_and_no_exception(case, value, capsys):
    name, (verdict, out) = _judge_one(case, value, capsys)
    assert verdict in (True, False)
    assert out.startswith("Right." if verdict else "Not yet."), out
    if verdict:  # only the key's own answer can be right
        keys = keys_for(KEYS, name)
        assert keys and keys[case[1]].judge(value)[0]


# ---- the one comparison and the readers, directly ------------------------------


def test_compare_fails_nan_and_inf_and_never_broadcasts():
    from cnnlib.exercises.common import compare

    assert not compare([np.nan], [np.nan]).close
    assert not compare([1.0, np.inf], [1.0, np.inf]).close
    assert not compare([1.0, np.nan], [1.0, 2.0], atol=1e9).close
    c = compare(np.ones(3), np.ones((3, 1)))
    assert not c.shape_ok and not c.close
    assert "Expected shape (3, 1), given (3,)" in c.describe()
    assert compare([[1, 2], [3, 4]], [[1.0, 2.0], [3.0, 4.0]]).exact


def test_compare_reports_how_many_entries_differ_the_largest_and_where():
    from cnnlib.exercises.common import compare

    c = compare([[1.0, 2.0], [3.0, 9.0]], [[1.0, 2.5], [3.0, 4.0]])
    assert (c.n_differ, c.size, c.largest, c.where) == (2, 4, 5.0, (1, 1))
    assert c.describe() == ("2 of 4 entries differ; the largest difference, 5, "
                            "is at [1, 1].")
    assert compare([1.0, 2.0 + 1e-9], [1.0, 2.0]).describe().startswith("Close")


def test_readers_turn_every_typed_value_into_a_value_or_a_sentence():
    from cnnlib.exercises.common import (
        read_array,
        read_count,
        read_number,
        read_option,
        read_shape,
    )

    assert read_count(23860.0) == (23860, None)
    assert read_count(np.int32(7)) == (7, None)
    assert read_count(2.5)[0] is None and read_count(True)[0] is None
    assert read_count(np.array([1, 2]))[0] is None
    assert read_number(10**400) == (None, "A number with 401 digits is far too large.")
    assert read_number(np.float32(0.5)) == (0.5, None)
    assert read_shape((1, float("inf")))[0] is None
    assert read_shape(np.array([2, 3])) == ((2, 3), None)
    assert read_option(" (B) ", ("a", "b")) == ("b", None)
    assert read_option("e", ("a", "b"))[0] is None
    assert read_array([[1, 2], [3]])[0] is None
    assert read_array([True, False])[0] is None
    assert read_array([10**400])[0] is None
    assert "Entry [1]" in read_array([1.0, np.nan])[1]
