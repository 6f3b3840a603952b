"""Goal Attainment Scaling: the Kiresuk–Sherman T-score and its input checks."""

import math

import pytest

from outward.lib.gas import LEVELS, gas_t_score


def test_levels_are_minus_two_to_plus_two():
    assert LEVELS == (-2, -1, 0, 1, 2)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        # The worked values in reference/instruments.md §15 (unweighted, rho = 0.3).
        ((1, 1, 1), 63.7),
        ((-1, -1, -1), 36.3),
        ((1,), 60.0),
        ((0, 0, 0), 50.0),
        ((0,), 50.0),
        ((2, -2), 50.0),
        ((2, 2, 2), 77.4),  # 50 + 10·6/√(0.7·3 + 0.3·9) = 50 + 60/2.191
        ((-2,), 30.0),
    ],
)
def test_unweighted_scores(levels, expected):
    assert gas_t_score(levels) == pytest.approx(expected, abs=0.05)


def test_a_weighted_example_computed_by_hand():
    # levels x = (+2, 0, −1), weights w = (3, 1, 2), rho = 0.3
    # Σwx    = 3·2 + 1·0 + 2·(−1)            = 4
    # Σw²    = 9 + 1 + 4                      = 14
    # (Σw)²  = (3 + 1 + 2)²                   = 36
    # denom  = √(0.7·14 + 0.3·36) = √(9.8 + 10.8) = √20.6 ≈ 4.5387
    # T      = 50 + 10·4 / 4.5387 ≈ 50 + 8.813 ≈ 58.81
    assert gas_t_score([2, 0, -1], [3, 1, 2]) == pytest.approx(58.81, abs=0.05)


def test_equal_weights_give_the_unweighted_score():
    assert gas_t_score([1, 0, -1, 2], [2, 2, 2, 2]) == pytest.approx(gas_t_score([1, 0, -1, 2]))


def test_rho_changes_the_spread():
    # rho = 0: goals independent, two goals at +1 → 50 + 10·2/√2 ≈ 64.14
    assert gas_t_score([1, 1], rho=0) == pytest.approx(64.14, abs=0.05)
    # rho = 1: perfectly correlated goals → 50 + 10·2/√4 = 60
    assert gas_t_score([1, 1], rho=1) == pytest.approx(60.0, abs=0.05)


def test_nothing_is_rounded():
    score = gas_t_score([1, 1, 1])
    assert score == pytest.approx(50 + 30 / math.sqrt(4.8), rel=1e-12)
    assert score != round(score, 1)


def test_accepts_any_sequence_and_integer_weights():
    assert gas_t_score((x for x in [1, 1, 1]), weights=(1, 1, 1)) == pytest.approx(63.7, abs=0.05)


@pytest.mark.parametrize(
    ("levels", "weights", "message"),
    [
        ([], None, "at least one goal"),
        ([3], None, "level 3 is not one of"),
        ([0, -3], None, "level -3"),
        ([1.5], None, "level 1.5"),
        ([True], None, "level True"),
        (["1"], None, "level '1'"),
        ([1, 1], [1], "one weight per goal: 2 levels but 1 weights"),
        ([1], [1, 2], "one weight per goal"),
        ([1], [], "one weight per goal"),
        ([1, 0], [1, 0], "weight 0 must be a positive number"),
        ([1], [-2], "weight -2"),
        ([1], [float("nan")], "weight nan"),
        ([1], [float("inf")], "weight inf"),
        ([1], ["2"], "weight '2'"),
    ],
)
def test_invalid_input_is_a_clear_value_error(levels, weights, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        gas_t_score(levels, weights)


@pytest.mark.parametrize("rho", [-0.1, 1.5, float("nan")])
def test_rho_must_be_a_correlation(rho):
    with pytest.raises(ValueError, match="rho"):
        gas_t_score([1], rho=rho)
