"""The answer keys of the exercises (issue 18's groundwork): each checker of a
typed answer judges from its key, says "Right." to the key's answer in any
reasonable type, names each of the key's known mistakes, and a page reading the
key as JSON gets the same verdicts."""

import importlib
import inspect
import json

import numpy as np
import pytest

from cnnlib.conv import (
    conv2d_backward,
    conv2d_forward,
    convolve2d,
    correlate2d,
    rot180,
)
from cnnlib.exercises import answer_keys
from cnnlib.exercises.ch04 import RULE_MISTAKES
from cnnlib.exercises.common import AnswerKey, Mistake, keys_for

KEYS = answer_keys()
CHECKERS = sorted({k.checker for k in KEYS})


def _function(qualified: str):
    module, name = qualified.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _group(checker: str) -> list[AnswerKey]:
    return keys_for(KEYS, checker.rsplit(".", 1)[-1])


def _flat(text: str) -> str:
    return " ".join(text.split())


def _call(capsys, checker, args):
    capsys.readouterr()
    verdict = _function(checker)(*args)
    return verdict, _flat(capsys.readouterr().out)


def test_there_is_a_key_for_each_typed_exercise_of_each_chapter():
    assert {k.exercise.split(".")[0] for k in KEYS} == {str(c) for c in range(1, 9)}
    assert len(KEYS) >= 20
    for k in KEYS:
        assert k.mistakes, f"exercise {k.exercise} {k.argument} names no mistake"


@pytest.mark.parametrize("checker", CHECKERS)
def test_keys_are_one_per_argument_of_their_checker_in_order(checker):
    params = list(inspect.signature(_function(checker)).parameters)
    assert [k.argument for k in _group(checker)] == params


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_says_right_to_its_keys_answers(checker, capsys):
    verdict, out = _call(capsys, checker, [k.answer for k in _group(checker)])
    assert verdict is True and out.startswith("Right."), out


_CASES = [(k.checker, i, j) for k in KEYS for j in range(len(k.mistakes))
          for i in [_group(k.checker).index(k)]]


@pytest.mark.parametrize(("checker", "part", "mistake"), _CASES)
def test_checker_names_each_known_mistake(checker, part, mistake, capsys):
    keys = _group(checker)
    m = keys[part].mistakes[mistake]
    args = [k.answer for k in keys]
    args[part] = m.answer
    verdict, out = _call(capsys, checker, args)
    assert verdict is False and out.startswith("Not yet."), out
    assert _flat(m.says)[1:] in out  # the first letter may be capitalised


def _typed_variants(key: AnswerKey) -> list:
    """The key's answer as a reader might type it, in other reasonable types."""
    a = key.answer
    if key.kind == "count":
        return [int(a), float(a), np.int64(a), np.float64(a), np.int32(a),
                np.array(a)]
    if key.kind == "number":
        out = [float(a), np.float64(a), np.array(a)]
        return out + ([int(a), np.int64(a)] if float(a).is_integer() else [])
    if key.kind == "array":
        arr = np.asarray(a)
        out = [arr.tolist(), np.asarray(arr, dtype=np.float32)
               if np.allclose(arr.astype(np.float32), arr, atol=key.atol, rtol=0)
               else arr]
        if np.array_equal(arr, np.round(arr)):
            out.append(arr.astype(np.int64))
        if arr.ndim == 2:
            out.append(tuple(tuple(row) for row in arr.tolist()))
        return out
    if key.kind == "shape":
        return [tuple(a), list(a), np.array(a), tuple(np.int64(v) for v in a)]
    if key.kind == "shapes":
        return [[list(s) for s in a], tuple(np.array(s) for s in a)]
    return [a.upper(), f"({a})", f" {a} ", f"{a}."]


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_accepts_right_answers_in_any_reasonable_type(checker, capsys):
    keys = _group(checker)
    for part, key in enumerate(keys):
        for variant in _typed_variants(key):
            args = [k.answer for k in keys]
            args[part] = variant
            verdict, out = _call(capsys, checker, args)
            assert verdict is True, (key.exercise, repr(variant), out)


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k.exercise}-{k.argument}")
def test_a_page_reading_the_json_key_gives_the_same_verdicts(key):
    page = json.loads(key.to_json())
    assert page["kind"] == key.kind and page["checker"] == key.checker
    assert key.judge(page["answer"]) == (True, key.right)
    for m, listed in zip(key.mistakes, page["mistakes"], strict=True):
        assert listed["says"] == m.says
        assert key.judge(listed["answer"]) == (False, m.says)


@pytest.mark.parametrize("key", KEYS, ids=lambda k: f"{k.exercise}-{k.argument}")
def test_a_wrong_answer_that_is_no_known_mistake_gets_the_hint(key):
    answer = key.answer
    if key.kind == "option":
        pytest.skip("every wrong option is a known mistake")
    if key.kind == "count":
        other = answer + 1001
    elif key.kind in ("number", "array"):
        other = np.asarray(answer) + 0.5
    elif key.kind == "shape":
        other = tuple(v + 7 for v in answer)
    else:
        other = tuple(s[:-1] + (s[-1] + 7,) for s in answer)
    ok, why = key.judge(other)
    assert not ok and key.hint in why
    assert all(m.says not in why for m in key.mistakes)
    # the shape is mentioned only when it is wrong
    assert "shape" not in why.replace(key.hint, "") or key.kind in ("shapes",)


def test_array_keys_mention_the_shape_only_when_it_is_wrong():
    key = keys_for(KEYS, "check_input_gradient_by_hand")[0]
    ok, why = key.judge(np.zeros((2, 3)))
    assert not ok and "Expected shape (3, 3), given (2, 3)" in why
    ok, why = key.judge(np.asarray(key.answer) + 1.0)
    assert not ok and "shape" not in why


def test_a_key_refuses_a_mistake_it_could_not_name():
    with pytest.raises(ValueError, match="coincides"):
        AnswerKey("0.0", "x.check", "n", "count", 4, "", "",
                  (Mistake(4.0, "same as the answer"),))
    with pytest.raises(ValueError, match="coincides"):
        AnswerKey("0.0", "x.check", "v", "array", [1.0, 2.0], "", "",
                  (Mistake([1.0, 3.0], "one"), Mistake([1.0, 3.0], "two")),
                  atol=1e-9)
    with pytest.raises(ValueError, match="kind"):
        AnswerKey("0.0", "x.check", "n", "integer", 4, "", "")


# ---- the claims the sentences of Exercise 4.2's key make, checked -------------


def test_exercise_4_2_sentences_are_true():
    rng = np.random.default_rng(42)
    a = rng.normal(size=(5, 6))
    w = rng.normal(size=(2, 3))
    delta = rng.normal(size=(4, 4))
    options = {
        "a": convolve2d(delta, w, "full"),
        "b": convolve2d(delta, rot180(w), "full"),
        "c": correlate2d(delta, rot180(w), "valid"),
        "d": correlate2d(delta, rot180(w), "full"),
    }

    def input_gradient(kernel):  # of the layer z = corr_valid(a, kernel)
        _, cache = conv2d_forward(a[None, None], kernel[None, None])
        return conv2d_backward(delta[None, None], cache)[0][0, 0]

    cross_correlation_rule = input_gradient(w)
    # conv_valid(a, w) = corr_valid(a, rot180(w))
    true_convolution_rule = input_gradient(rot180(w))
    assert np.allclose(convolve2d(a, w, "valid"), correlate2d(a, rot180(w), "valid"))
    # (a) and (d) are the same numbers, the rule of a cross-correlation layer
    assert np.allclose(options["a"], options["d"])
    assert np.allclose(options["a"], cross_correlation_rule)
    assert not np.allclose(options["a"], true_convolution_rule)
    # (b) is the rule of the true-convolution layer, and the remark printed
    # with "Right." names it truly: conv_full(delta, rot180(w)) = corr_full(delta, w)
    assert np.allclose(options["b"], true_convolution_rule)
    assert np.allclose(options["b"], correlate2d(delta, w, "full"))
    right_42 = next(k.right for k in KEYS if k.exercise == "4.2")
    assert "conv_full(delta, rot180(w))" in right_42
    assert "corr_full(delta, w)" in right_42
    assert "⋆" not in right_42 and "full_correlate" not in right_42
    # (c) alone has the wrong mode: smaller than layer l
    assert options["c"].shape != a.shape
    assert all(options[o].shape == a.shape for o in "abd")
    assert set(RULE_MISTAKES) == {"a", "c", "d"}
    assert "wrong mode" in RULE_MISTAKES["c"]
    assert all("wrong mode" not in RULE_MISTAKES[o] for o in "ad")
    assert all("cross-correlation layer" in RULE_MISTAKES[o] for o in "ad")


def test_exercise_5_1_names_the_true_convolution(capsys):
    from cnnlib.exercises import ch05

    verdict, out = _call(capsys, "cnnlib.exercises.ch05.check_weight_gradient_by_hand",
                         [convolve2d(ch05.EXERCISE_ACTIVATIONS, ch05.EXERCISE_DELTA,
                                     "valid"), 2.0])
    assert verdict is False
    assert "true convolution" in out and "the layer is a cross-correlation" in out
    assert "shape" not in out


@pytest.mark.parametrize(("formula", "named"), [
    (lambda h, k, p, s, d: (h + 2 * p - k) // s + 1, "ignores the dilation"),
    (lambda h, k, p, s, d: (h - d * (k - 1) - 1) // s + 1, "forgets the padding"),
    (lambda h, k, p, s, d: (h + 2 * p - d * (k - 1) - 1) // s, "first window"),
])
def test_exercise_3_1_names_the_mistake_of_each_wrong_size_formula(formula, named,
                                                                    capsys):
    from cnnlib.exercises import ch03

    assert ch03.check_output_size(formula) is False
    out = _flat(capsys.readouterr().out)
    assert named in out
    assert all(other not in out for other in ("ignores the dilation",
                                              "forgets the padding", "first window")
               if other != named)
