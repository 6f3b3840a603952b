"""Jacobson–Truax reliable change, checked against arithmetic done by hand from the figures in
reference/instruments.md §16."""

import math

import pytest

from outward.lib.rci import (
    HIGHER_IS_BETTER,
    HIGHER_IS_WORSE,
    NO_RELIABLE_CHANGE,
    RELIABLY_DETERIORATED,
    RELIABLY_IMPROVED,
    classify_change,
    is_clinical,
    minimum_reliable_change,
    reliable_change_index,
    standard_error,
    standard_error_of_difference,
)


@pytest.mark.parametrize(
    ("sd", "r", "s_e", "s_diff", "minimum"),
    [
        # The four rows of the reference's table (§16), by hand:
        # PHQ-9, α .89:   S_E = 3.5·√0.11 = 3.5·0.33166 = 1.1608; S_diff = 1.1608·1.41421 = 1.6416;
        #                 1.96·1.6416 = 3.2176 → "3.2 points"
        (3.5, 0.89, 1.16, 1.64, 3.2),
        # PHQ-9, r .84:   S_E = 3.5·√0.16 = 3.5·0.4 = 1.4; S_diff = 1.4·1.41421 = 1.9799;
        #                 1.96·1.9799 = 3.8806 → "3.9 points"
        (3.5, 0.84, 1.40, 1.98, 3.9),
        # GAD-7, α .92:   S_E = 3.5·√0.08 = 3.5·0.28284 = 0.98995;
        #                 S_diff = 0.98995·1.41421 = 1.4000; 1.96·1.4 = 2.744 → "2.7 points"
        (3.5, 0.92, 0.99, 1.40, 2.7),
        # GAD-7, α .89:   S_E = 3.2·√0.11 = 3.2·0.33166 = 1.0613; S_diff = 1.0613·1.41421 = 1.5009;
        #                 1.96·1.5009 = 2.9418 → "2.9 points"
        (3.2, 0.89, 1.06, 1.50, 2.9),
    ],
)
def test_the_reference_table(sd, r, s_e, s_diff, minimum):
    assert round(standard_error(sd, r), 2) == s_e
    assert round(standard_error_of_difference(sd, r), 2) == s_diff
    assert round(minimum_reliable_change(sd, r), 1) == minimum


def test_phq9_worked_example():
    # PHQ-9 14 → 8 with SD 3.5 and r .89: S_diff = √2·3.5·√0.11 = 1.641641;
    # RC = (8 − 14) / 1.641641 = −6 / 1.641641 = −3.6549
    assert reliable_change_index(14, 8, 3.5, 0.89) == pytest.approx(-3.6549, abs=1e-4)
    assert reliable_change_index(14, 8, 3.5, 0.89) == pytest.approx(
        -6 / (math.sqrt(2) * 3.5 * math.sqrt(1 - 0.89))
    )


PHQ = {"sd": 3.5, "reliability": 0.89, "direction": HIGHER_IS_WORSE, "cutoff": 10}


@pytest.mark.parametrize(
    ("baseline", "latest", "rci", "status", "recovered"),
    [
        # −6 / 1.641641 = −3.6549: reliable improvement; 14 is ≥ 10, 8 is not → recovered
        (14, 8, -3.6549, RELIABLY_IMPROVED, True),
        # −3 / 1.641641 = −1.8274: |RC| < 1.96 → no reliable change
        (14, 11, -1.8274, NO_RELIABLE_CHANGE, False),
        # −4 / 1.641641 = −2.4366: reliable improvement, but 13 is still ≥ 10 → not recovered
        (17, 13, -2.4366, RELIABLY_IMPROVED, False),
        # −3 / 1.641641 = −1.8274: crosses the cut-off, but not reliably → not recovered
        (12, 9, -1.8274, NO_RELIABLE_CHANGE, False),
        # −5 / 1.641641 = −3.0457: reliable improvement from 9, which was never ≥ 10 → not recovered
        (9, 4, -3.0457, RELIABLY_IMPROVED, False),
        # +5 / 1.641641 = +3.0457: reliable deterioration
        (5, 10, 3.0457, RELIABLY_DETERIORATED, False),
        # 0 / 1.641641 = 0
        (7, 7, 0.0, NO_RELIABLE_CHANGE, False),
    ],
)
def test_phq9_classifications(baseline, latest, rci, status, recovered):
    change = classify_change(baseline, latest, **PHQ)
    assert change.rci == pytest.approx(rci, abs=1e-4)
    assert change.status == status
    assert change.recovered is recovered
    assert change.difference == latest - baseline
    assert change.minimum_change == pytest.approx(3.2176, abs=1e-4)
    assert change.reliable is (status != NO_RELIABLE_CHANGE)


def test_without_a_cutoff_nobody_recovers():
    change = classify_change(14, 8, sd=3.5, reliability=0.89, direction=HIGHER_IS_WORSE)
    assert change.status == RELIABLY_IMPROVED
    assert change.recovered is False


def test_direction_higher_is_better():
    # SD 10, r .8: S_E = 10·√0.2 = 4.472136; S_diff = 4.472136·√2 = 6.324555.
    # 40 → 56: RC = 16 / 6.324555 = +2.5298. A rise is an improvement when higher is better;
    # with "≤ 50 is clinical", 40 is clinical and 56 is not → recovered.
    better = classify_change(40, 56, sd=10, reliability=0.8, direction=HIGHER_IS_BETTER, cutoff=50)
    assert better.rci == pytest.approx(2.5298, abs=1e-4)
    assert (better.status, better.recovered) == (RELIABLY_IMPROVED, True)
    # The same numbers on a higher-is-worse measure are a deterioration.
    worse = classify_change(40, 56, sd=10, reliability=0.8, direction=HIGHER_IS_WORSE, cutoff=50)
    assert (worse.status, worse.recovered) == (RELIABLY_DETERIORATED, False)
    # And a fall on a higher-is-better measure is a deterioration: RC = −2.5298.
    fall = classify_change(56, 40, sd=10, reliability=0.8, direction=HIGHER_IS_BETTER, cutoff=50)
    assert fall.status == RELIABLY_DETERIORATED


def test_cutoff_inclusive_or_not():
    # LSNS-style "< 12 is at risk" (higher is better, the cut-off itself is healthy).
    # SD 2, r .5: S_diff = √2·2·√0.5 = 2; 8 → 12: RC = 4 / 2 = 2.0 > 1.96.
    kwargs = {"sd": 2, "reliability": 0.5, "direction": HIGHER_IS_BETTER, "cutoff": 12}
    exclusive = classify_change(8, 12, cutoff_inclusive=False, **kwargs)
    assert exclusive.rci == pytest.approx(2.0)
    assert (exclusive.status, exclusive.recovered) == (RELIABLY_IMPROVED, True)
    # If 12 itself counted as clinical (inclusive), 12 has not crossed.
    inclusive = classify_change(8, 12, cutoff_inclusive=True, **kwargs)
    assert (inclusive.status, inclusive.recovered) == (RELIABLY_IMPROVED, False)


@pytest.mark.parametrize(
    ("score", "direction", "inclusive", "clinical"),
    [
        (10, HIGHER_IS_WORSE, True, True),
        (9, HIGHER_IS_WORSE, True, False),
        (10, HIGHER_IS_WORSE, False, False),
        (11, HIGHER_IS_WORSE, False, True),
        (50, HIGHER_IS_BETTER, True, True),
        (52, HIGHER_IS_BETTER, True, False),
        (50, HIGHER_IS_BETTER, False, False),
        (49, HIGHER_IS_BETTER, False, True),
    ],
)
def test_is_clinical(score, direction, inclusive, clinical):
    cutoff = 10 if direction == HIGHER_IS_WORSE else 50
    assert is_clinical(score, cutoff=cutoff, direction=direction, inclusive=inclusive) is clinical


def test_just_either_side_of_196():
    # SD 1, r 0: S_diff = √2 = 1.414214; a change of 2.77 gives RC = 1.9587 (not reliable),
    # a change of 2.78 gives RC = 1.9658 (reliable).
    below = classify_change(0, 2.77, sd=1, reliability=0, direction=HIGHER_IS_WORSE)
    above = classify_change(0, 2.78, sd=1, reliability=0, direction=HIGHER_IS_WORSE)
    assert below.rci == pytest.approx(1.9587, abs=1e-4)
    assert below.status == NO_RELIABLE_CHANGE
    assert above.rci == pytest.approx(1.9658, abs=1e-4)
    assert above.status == RELIABLY_DETERIORATED


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sd": 0, "reliability": 0.8, "direction": HIGHER_IS_WORSE},
        {"sd": -1, "reliability": 0.8, "direction": HIGHER_IS_WORSE},
        {"sd": 3.5, "reliability": 1, "direction": HIGHER_IS_WORSE},
        {"sd": 3.5, "reliability": -0.1, "direction": HIGHER_IS_WORSE},
        {"sd": float("nan"), "reliability": 0.8, "direction": HIGHER_IS_WORSE},
        {"sd": True, "reliability": 0.8, "direction": HIGHER_IS_WORSE},
        {"sd": 3.5, "reliability": 0.8, "direction": "up"},
        {"sd": 3.5, "reliability": 0.8, "direction": HIGHER_IS_WORSE, "cutoff": "10"},
    ],
)
def test_bad_inputs_are_refused(kwargs):
    with pytest.raises(ValueError):
        classify_change(10, 5, **kwargs)


def test_bad_scores_are_refused():
    with pytest.raises(ValueError):
        reliable_change_index(None, 5, 3.5, 0.89)
    with pytest.raises(ValueError):
        reliable_change_index(10, float("inf"), 3.5, 0.89)
