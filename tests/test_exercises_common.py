"""The helpers every exercise checker shares (cnnlib.exercises.common)."""

import numpy as np

from cnnlib.exercises.common import WIDTH, as_array, is_int, is_number, report


def test_report_prints_a_wrapped_verdict_and_returns_it(capsys):
    assert report(True, "fine.", "unused") is True
    assert capsys.readouterr().out == "Right. Fine.\n"
    long_hint = "word " * 40
    assert report(False, "", long_hint) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet. Word")
    assert all(len(line) <= WIDTH for line in out.splitlines())


def test_as_array_converts_numbers_and_rejects_wrong_shapes_without_raising():
    assert np.array_equal(as_array([[1, 2], [3, 4]], (2, 2)), [[1.0, 2.0], [3.0, 4.0]])
    assert as_array([[1, 2], [3, 4]]).dtype == np.float64
    assert as_array([1, 2, 3], (2,)) is None
    assert as_array("not a number") is None
    assert as_array([[1, 2], [3]]) is None


def test_is_int_and_is_number_reject_bools_and_accept_numpy_scalars():
    assert is_int(3) and is_int(np.int64(3))
    assert not is_int(True) and not is_int(3.0) and not is_int("3")
    assert is_number(2.5) and is_number(np.float32(2.5)) and is_number(4)
    assert not is_number(False) and not is_number("2.5")
