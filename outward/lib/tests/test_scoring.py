"""Scoring against a definition-shaped object: sums, reversal, dichotomising, transforms, the
missing rule, bands, risk items and refused answers. The shipped instruments have their own worked
examples in outward/measures/tests/test_instrument_scoring.py; here stand-ins show the module
needs nothing but the shape of a definition."""

from types import SimpleNamespace as NS

import pytest

from outward.lib.scoring import AnswerError, answer_errors, item_value, score

OPTIONS_1_TO_5 = tuple(NS(code=c) for c in (1, 2, 3, 4, 5))
OPTIONS_0_TO_3 = tuple(NS(code=c) for c in (0, 1, 2, 3))


def make_item(item_id, options=OPTIONS_1_TO_5, risk_above=None, required=True):
    return NS(id=item_id, options=options, risk_above=risk_above, required=required)


def make_scale(key, items, *, reverse=(), ones=None, multiply=None, add=0, max_missing=0, bands=()):
    return NS(
        key=key,
        label=key.title(),
        items=tuple(items),
        reverse=tuple(reverse),
        dichotomise=None if ones is None else tuple(ones),
        transform=None if multiply is None else NS(multiply=multiply, add=add),
        max_missing=max_missing,
        bands=tuple(NS(min=lo, max=hi, label=label) for lo, hi, label in bands),
    )


def make_instrument(items, scales, primary="total"):
    return NS(short_name="TEST", items=tuple(items), scales=tuple(scales), primary_scale=primary)


SIMPLE = make_instrument(
    [
        make_item("a", OPTIONS_0_TO_3),
        make_item("b", OPTIONS_0_TO_3),
        make_item("c", OPTIONS_0_TO_3),
    ],
    [make_scale("total", "abc", bands=[(0, 3, "Low"), (4, 6, "Middle"), (7, 9, "High")])],
)


def test_sum_and_band():
    scores = score(SIMPLE, {"a": 1, "b": 2, "c": 3})
    total = scores["total"]
    assert (total.complete, total.raw, total.score, total.band) == (True, 6, 6, "Middle")
    assert scores.primary is total
    assert scores.complete
    assert scores.risk_items == []
    assert scores.missing_items == []


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ({"a": 0, "b": 0, "c": 3}, "Low"),  # 3: top of Low
        ({"a": 1, "b": 0, "c": 3}, "Middle"),  # 4: bottom of Middle
        ({"a": 3, "b": 0, "c": 3}, "Middle"),  # 6: top of Middle
        ({"a": 3, "b": 1, "c": 3}, "High"),  # 7: bottom of High
    ],
)
def test_band_edges(answers, band):
    assert score(SIMPLE, answers)["total"].band == band


def test_reverse_scoring_uses_the_items_own_option_set():
    # Item "r" has codes 1–5, so reversed = 5 + 1 − code; item "s" has 0–3, reversed = 3 − code.
    instrument = make_instrument(
        [make_item("r", OPTIONS_1_TO_5), make_item("s", OPTIONS_0_TO_3)],
        [make_scale("total", ["r", "s"], reverse=["r", "s"])],
    )
    # r = 2 → 4; s = 0 → 3; raw = 7
    assert score(instrument, {"r": 2, "s": 0})["total"].raw == 7
    # r = 5 → 1; s = 3 → 0; raw = 1
    assert score(instrument, {"r": 5, "s": 3})["total"].raw == 1


def test_item_value_reverses_before_dichotomising():
    item = make_item("x", OPTIONS_1_TO_5)
    scale = make_scale("s", ["x"], reverse=["x"], ones=[3, 4, 5])
    # codes 1, 2, 3, 4, 5 reverse to 5, 4, 3, 2, 1 → ones for 1, 2, 3
    assert [item_value(item, code, scale) for code in (1, 2, 3, 4, 5)] == [1, 1, 1, 0, 0]
    plain = make_scale("p", ["x"], ones=[3, 4, 5])
    assert [item_value(item, code, plain) for code in (1, 2, 3, 4, 5)] == [0, 0, 1, 1, 1]


def test_transform_multiplies_then_adds():
    instrument = make_instrument(
        [make_item("a", OPTIONS_0_TO_3), make_item("b", OPTIONS_0_TO_3)],
        [make_scale("total", "ab", multiply=4, add=2)],
    )
    total = score(instrument, {"a": 3, "b": 2})["total"]
    assert (total.raw, total.score) == (5, 22)  # 5 × 4 + 2


def test_no_missing_allowed_means_no_score():
    scores = score(SIMPLE, {"a": 1, "b": None})
    total = scores["total"]
    assert (total.complete, total.raw, total.score, total.band) == (False, None, None, None)
    assert total.missing == ("b", "c")
    assert scores.missing_items == ["b", "c"]
    assert scores.missing_required == ["b", "c"]
    assert not scores.complete


def test_max_missing_sums_the_answered_items_without_pro_rating():
    instrument = make_instrument(
        [make_item(i, OPTIONS_0_TO_3) for i in "abcd"],
        [make_scale("total", "abcd", max_missing=1)],
    )
    one_missing = score(instrument, {"a": 3, "b": 3, "c": 3})["total"]
    assert (one_missing.complete, one_missing.raw, one_missing.missing) == (True, 9, ("d",))
    two_missing = score(instrument, {"a": 3, "b": 3})["total"]
    assert (two_missing.complete, two_missing.raw) == (False, None)


def test_risk_items_are_those_answered_above_their_threshold_even_when_incomplete():
    instrument = make_instrument(
        [make_item("a", OPTIONS_0_TO_3), make_item("r", OPTIONS_0_TO_3, risk_above=0)],
        [make_scale("total", "ar")],
    )
    assert score(instrument, {"a": 3, "r": 0}).risk_items == []
    assert score(instrument, {"a": 3, "r": 1}).risk_items == ["r"]
    incomplete = score(instrument, {"r": 2})
    assert incomplete.risk_items == ["r"]
    assert not incomplete["total"].complete


def test_optional_unscored_items_are_missing_but_not_required():
    instrument = make_instrument(
        [make_item("a", OPTIONS_0_TO_3), make_item("extra", OPTIONS_0_TO_3, required=False)],
        [make_scale("total", "a")],
    )
    scores = score(instrument, {"a": 2})
    assert scores.complete
    assert scores.missing_items == ["extra"]
    assert scores.missing_required == []


@pytest.mark.parametrize("bad", [4, -1, True, "1", 1.0, 2.5])
def test_an_answer_that_is_not_an_option_code_is_refused(bad):
    with pytest.raises(AnswerError) as excinfo:
        score(SIMPLE, {"a": 1, "b": bad, "c": 0})
    assert excinfo.value.item_id == "b"
    assert "0, 1, 2, 3" in excinfo.value.message


def test_an_answer_to_an_unknown_item_is_refused():
    with pytest.raises(AnswerError) as excinfo:
        score(SIMPLE, {"a": 1, "b": 1, "c": 1, "z": 1})
    assert excinfo.value.item_id == "z"
    assert "TEST has no question 'z'" in excinfo.value.message


def test_answer_errors_lists_every_problem_in_item_order():
    errors = answer_errors(SIMPLE, {"zz": 1, "c": 9, "a": 7, "b": None})
    assert [error.item_id for error in errors] == ["a", "c", "zz"]
    assert answer_errors(SIMPLE, {"a": 0, "b": None}) == []


def test_scores_as_dict_is_json_ready():
    data = score(SIMPLE, {"a": 1, "b": 1, "c": None}).as_dict()
    assert data == {
        "primary_scale": "total",
        "scales": {
            "total": {
                "label": "Total",
                "complete": False,
                "raw": None,
                "score": None,
                "band": None,
                "missing": ["c"],
            }
        },
        "risk_items": [],
        "missing_items": ["c"],
    }


def test_unknown_scale_key():
    with pytest.raises(KeyError):
        score(SIMPLE, {})["nope"]
