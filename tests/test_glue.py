"""cnnlib.glue: what a page's {glue:text} roles receive."""

import numpy as np
import pytest

from cnnlib.glue import glue, words


def test_words_reads_a_set_as_a_sentence_does():
    assert words([2, 5, 8]) == "2, 5 and 8"
    assert words(np.array([0, 3])) == "0 and 3"
    assert words([9]) == "9" and words([]) == "none"
    assert words(["a", "b", "c"], last="or") == "a, b or c"


def test_glue_stores_python_numbers_so_the_format_spec_applies():
    # np.int64's text form is "np.int64(5)", which a ":d" spec cannot format
    assert type(glue("n", np.int64(5))) is int
    assert type(glue("x", np.float64(0.25))) is float
    assert glue("s", "2, 5 and 8") == "2, 5 and 8"


@pytest.mark.parametrize(("name", "value", "error"), [
    ("not an identifier", 1, ValueError),
    ("ok", [1, 2], TypeError),
    ("ok", np.zeros(3), TypeError),
])
def test_glue_rejects_what_a_page_could_not_show(name, value, error):
    with pytest.raises(error, match="name" if error is ValueError else "value"):
        glue(name, value)
