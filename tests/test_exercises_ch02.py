"""The exercise checkers of chapter 2 (weight sharing): right
answers pass, the typical wrong ones fail with a hint, and nothing a reader
passes in crashes a checker."""


from cnnlib.exercises import ch02 as ex2


def _kernel_entry(r, c):
    (x, y), (xp, yp) = divmod(r, 3), divmod(c, 4)
    i, j = xp - x, yp - y
    return (i, j) if 0 <= i <= 1 and 0 <= j <= 1 else None


def test_ch02_parameter_counts(capsys, says):
    assert ex2.check_parameter_counts(38_535_168, 940_800, 1_200)
    says("Right")
    assert not ex2.check_parameter_counts(38_535_168, 940_800, 75)
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and "shared" in out and "dense:" not in out
    assert not ex2.check_parameter_counts(1.5, 2, 3)
    says("Not yet")


def test_ch02_kernel_entry(capsys, says):
    assert ex2.check_kernel_entry(_kernel_entry)
    says("Right")
    transposed = lambda r, c: None if _kernel_entry(r, c) is None else (  # noqa: E731
        _kernel_entry(r, c)[::-1])
    assert not ex2.check_kernel_entry(transposed)
    says("Not yet")
    assert not ex2.check_kernel_entry(lambda r, c: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out


def test_ch02_nonzero_counts(says):
    assert ex2.check_nonzeros(3888)
    says("Right")
    assert not ex2.check_nonzeros(27648)
    says("Not yet")
    assert ex2.check_padded_nonzeros(64)
    says("Right")
    assert not ex2.check_padded_nonzeros(100)
    says("Not yet")
