"""Worked examples for every shipped instrument, scored from its definition file: each band
boundary on both sides, reversed and dichotomised items, subscales, the direct loneliness item
scored apart, missing answers, refused codes, the WHO-5 × 4 transform, and reliable change."""

import pytest

from outward.lib import rci
from outward.lib.scoring import AnswerError, item_value
from outward.measures.definitions import instruments


def instrument(key):
    return instruments()[key]


def answers_summing_to(key, raw, scale="total", **extra):
    """Answers to `scale`'s items whose codes add up to `raw`: every item starts at its lowest
    code and the rest is poured into the items in order (for plain-sum scales only)."""
    inst = instrument(key)
    chosen = inst.scale(scale)
    assert not chosen.reverse and chosen.dichotomise is None
    answers, remaining = {}, raw - sum(inst.item(i).min_code for i in chosen.items)
    assert remaining >= 0
    for item_id in chosen.items:
        item = inst.item(item_id)
        extra_points = min(remaining, item.max_code - item.min_code)
        answers[item_id] = item.min_code + extra_points
        remaining -= extra_points
    assert remaining == 0, f"{raw} is out of range"
    answers.update(extra)
    return answers


# --- PHQ-9 ---------------------------------------------------------------------------------


def test_phq9_worked_example():
    # 1+2+0+3+1+1+2+0+0 = 10 → Moderate (10–14)
    answers = dict(zip("123456789", [1, 2, 0, 3, 1, 1, 2, 0, 0], strict=True))
    scores = instrument("phq9").score(answers)
    total = scores["total"]
    assert (total.complete, total.raw, total.score, total.band) == (True, 10, 10, "Moderate")
    assert scores.risk_items == []
    assert scores.missing_items == ["difficulty"]  # the unscored, optional difficulty item
    assert scores.missing_required == []


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_bands(raw, band):
    total = instrument("phq9").score(answers_summing_to("phq9", raw))["total"]
    assert (total.score, total.band) == (raw, band)


@pytest.mark.parametrize(("item9", "risk"), [(0, []), (1, ["9"]), (2, ["9"]), (3, ["9"])])
def test_phq9_item_9_above_0_is_a_risk_answer(item9, risk):
    answers = dict.fromkeys("12345678", 0) | {"9": item9}
    assert instrument("phq9").score(answers).risk_items == risk


def test_phq9_risk_is_raised_even_when_the_response_is_incomplete():
    scores = instrument("phq9").score({"9": 1})
    assert scores.risk_items == ["9"]
    assert not scores["total"].complete


def test_phq9_one_missing_item_means_no_total():
    answers = answers_summing_to("phq9", 12) | {"5": None}
    total = instrument("phq9").score(answers)["total"]
    assert (total.complete, total.raw, total.score, total.band) == (False, None, None, None)
    assert total.missing == ("5",)


def test_phq9_difficulty_item_is_not_scored():
    without = instrument("phq9").score(answers_summing_to("phq9", 6))["total"]
    with_difficulty = instrument("phq9").score(answers_summing_to("phq9", 6, difficulty=3))
    assert with_difficulty["total"].score == without.score == 6


@pytest.mark.parametrize(("item", "code"), [("1", 4), ("9", -1), ("difficulty", 7), ("1", "2")])
def test_phq9_refuses_codes_not_in_the_definition(item, code):
    with pytest.raises(AnswerError) as excinfo:
        instrument("phq9").score(answers_summing_to("phq9", 3) | {item: code})
    assert excinfo.value.item_id == item


def test_phq9_reliable_change_and_recovery():
    total = instrument("phq9").primary
    # S_diff = √2 · 3.5 · √(1 − .89) = 1.641641; 14 → 8: RC = −6 / 1.641641 = −3.6549;
    # 14 ≥ 10 and 8 < 10 → recovered.
    change = total.classify_change(14, 8)
    assert change.rci == pytest.approx(-3.6549, abs=1e-4)
    assert (change.status, change.recovered) == (rci.RELIABLY_IMPROVED, True)
    # 1.96 · 1.641641 = 3.2176: a 3-point fall is not reliable, a 4-point fall is.
    assert total.rci.minimum_change == pytest.approx(3.2176, abs=1e-4)
    assert total.classify_change(13, 10).status == rci.NO_RELIABLE_CHANGE  # RC = −1.8274
    assert total.classify_change(13, 9).status == rci.RELIABLY_IMPROVED  # RC = −2.4366
    assert total.classify_change(9, 13).status == rci.RELIABLY_DETERIORATED  # RC = +2.4366
    # Reliable improvement that stays at or above 10 is not recovery.
    assert total.classify_change(20, 10).recovered is False


# --- GAD-7 ---------------------------------------------------------------------------------


def test_gad7_worked_example():
    # 3+2+2+1+0+1+0 = 9 → Mild (5–9)
    answers = dict(zip("1234567", [3, 2, 2, 1, 0, 1, 0], strict=True))
    total = instrument("gad7").score(answers)["total"]
    assert (total.raw, total.score, total.band) == (9, 9, "Mild")


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_bands(raw, band):
    assert instrument("gad7").score(answers_summing_to("gad7", raw))["total"].band == band


def test_gad7_missing_and_bad_codes():
    incomplete = instrument("gad7").score(answers_summing_to("gad7", 8) | {"7": None})
    assert incomplete["total"].score is None
    assert incomplete.missing_required == ["7"]
    with pytest.raises(AnswerError):
        instrument("gad7").score(answers_summing_to("gad7", 8) | {"3": 4})
    assert instrument("gad7").score(answers_summing_to("gad7", 21)).risk_items == []


def test_gad7_reliable_change():
    total = instrument("gad7").primary
    # S_diff = √2 · 3.5 · √(1 − .92) = 1.4; 1.96 · 1.4 = 2.744 points.
    # 12 → 9: RC = −3 / 1.4 = −2.1429 → reliably improved; 12 ≥ 10, 9 < 10 → recovered.
    change = total.classify_change(12, 9)
    assert change.rci == pytest.approx(-2.1429, abs=1e-4)
    assert (change.status, change.recovered) == (rci.RELIABLY_IMPROVED, True)
    assert total.rci.minimum_change == pytest.approx(2.744, abs=1e-4)
    # 12 → 10: RC = −2 / 1.4 = −1.4286 → no reliable change.
    assert total.classify_change(12, 10).status == rci.NO_RELIABLE_CHANGE


# --- WHO-5 ---------------------------------------------------------------------------------


def test_who5_worked_example_and_transform():
    # 4+3+2+3+1 = 13 raw; × 4 = 52 → above the ≤50 poor well-being cut-off
    answers = dict(zip("12345", [4, 3, 2, 3, 1], strict=True))
    total = instrument("who5").score(answers)["total"]
    assert (total.raw, total.score, total.band) == (13, 52, "Above the poor well-being cut-off")


@pytest.mark.parametrize(
    ("raw", "score", "band"),
    [
        (0, 0, "Likely depression"),
        (7, 28, "Likely depression"),  # ≤28
        (8, 32, "Poor well-being"),  # first attainable score above 28
        (12, 48, "Poor well-being"),  # raw < 13 → ≤50
        (13, 52, "Above the poor well-being cut-off"),  # first attainable score above 50
        (25, 100, "Above the poor well-being cut-off"),
    ],
)
def test_who5_bands_on_the_percentage_score(raw, score, band):
    total = instrument("who5").score(answers_summing_to("who5", raw))["total"]
    assert (total.raw, total.score, total.band) == (raw, score, band)


def test_who5_is_higher_is_better_with_no_reliable_change_test():
    total = instrument("who5").primary
    assert total.higher_is_better
    assert total.cutoff.is_clinical(48) and total.cutoff.is_clinical(50)
    assert not total.cutoff.is_clinical(52)
    assert total.rci is None
    assert total.classify_change(40, 80) is None  # "not enough published norms"


def test_who5_missing_and_bad_codes():
    assert instrument("who5").score({"1": 5, "2": 5, "3": 5, "4": 5})["total"].score is None
    with pytest.raises(AnswerError):
        instrument("who5").score({"1": 6, "2": 5, "3": 5, "4": 5, "5": 5})


# --- UCLA 3-item and the direct question ---------------------------------------------------


def test_ucla3_worked_example_with_the_direct_item_scored_separately():
    # Often (3) + Some of the time (2) + Hardly ever or never (1) = 6;
    # "How often do you feel lonely?" Often or always = 5, on its own scale.
    scores = instrument("ucla3").score({"1": 3, "2": 2, "3": 1, "direct": 5})
    assert (scores["total"].raw, scores["total"].score, scores["total"].band) == (6, 6, None)
    assert scores["direct"].score == 5
    assert scores.primary.key == "total"


@pytest.mark.parametrize("direct", [1, 2, 3, 4, 5, None])
def test_ucla3_direct_item_never_enters_the_sum(direct):
    scores = instrument("ucla3").score({"1": 1, "2": 1, "3": 1, "direct": direct})
    assert scores["total"].score == 3
    assert scores["total"].complete
    assert scores["direct"].score == direct
    assert scores["direct"].complete is (direct is not None)


def test_ucla3_range_and_missing():
    assert instrument("ucla3").score({"1": 1, "2": 1, "3": 1})["total"].score == 3
    assert instrument("ucla3").score({"1": 3, "2": 3, "3": 3})["total"].score == 9
    incomplete = instrument("ucla3").score({"1": 3, "2": 3, "direct": 1})
    assert incomplete["total"].score is None
    assert incomplete["direct"].score == 1


@pytest.mark.parametrize(("item", "code"), [("1", 0), ("2", 4), ("direct", 0), ("direct", 6)])
def test_ucla3_refuses_codes_outside_its_options(item, code):
    with pytest.raises(AnswerError) as excinfo:
        instrument("ucla3").score({"1": 1, "2": 1, "3": 1} | {item: code})
    assert excinfo.value.item_id == item


# --- De Jong Gierveld 6 --------------------------------------------------------------------

# Codes: 5 yes!, 4 yes, 3 more or less, 2 no, 1 no!
YES_BANG, YES, MORE_OR_LESS, NO, NO_BANG = 5, 4, 3, 2, 1
EMOTIONAL, SOCIAL = ("3", "9", "10"), ("4", "7", "8")


@pytest.mark.parametrize(
    ("code", "emotional_point", "social_point"),
    [
        # Emotional items: 1 for "more or less", "yes" or "yes!".
        # Social items (positively worded, reversed): 1 for "more or less", "no" or "no!".
        (YES_BANG, 1, 0),
        (YES, 1, 0),
        (MORE_OR_LESS, 1, 1),
        (NO, 0, 1),
        (NO_BANG, 0, 1),
    ],
)
def test_djg6_dichotomised_item_scoring(code, emotional_point, social_point):
    for item_id in EMOTIONAL:
        answers = dict.fromkeys(EMOTIONAL, NO_BANG) | dict.fromkeys(SOCIAL, YES_BANG)
        scores = instrument("djg6").score(answers | {item_id: code})
        assert scores["emotional"].score == emotional_point
        assert scores["social"].score == 0
        assert scores["total"].score == emotional_point
    for item_id in SOCIAL:
        answers = dict.fromkeys(EMOTIONAL, NO_BANG) | dict.fromkeys(SOCIAL, YES_BANG)
        scores = instrument("djg6").score(answers | {item_id: code})
        assert scores["social"].score == social_point
        assert scores["emotional"].score == 0
        assert scores["total"].score == social_point


def test_djg6_worked_example():
    # 3 emptiness: yes → 1; 9 miss people: more or less → 1; 10 rejected: no! → 0  (emotional 2)
    # 4 rely on: no → 1; 7 trust: yes! → 0; 8 close to: more or less → 1           (social 2)
    # total 4 → moderately lonely; both subscales 1–3 → lonely
    answers = {"3": YES, "9": MORE_OR_LESS, "10": NO_BANG, "4": NO, "7": YES_BANG, "8": 3}
    scores = instrument("djg6").score(answers)
    assert (scores["emotional"].score, scores["emotional"].band) == (2, "Lonely")
    assert (scores["social"].score, scores["social"].band) == (2, "Lonely")
    assert (scores["total"].score, scores["total"].band) == (4, "Moderately lonely")


def djg_answers(emotional_lonely, social_lonely):
    """Answers with the first `emotional_lonely` emotional and `social_lonely` social items
    answered the lonely way (yes / no) and the rest the not-lonely way (no / yes)."""
    answers = {}
    for index, item_id in enumerate(EMOTIONAL):
        answers[item_id] = YES if index < emotional_lonely else NO
    for index, item_id in enumerate(SOCIAL):
        answers[item_id] = NO if index < social_lonely else YES
    return answers


@pytest.mark.parametrize(
    ("emotional", "social", "total_band"),
    [
        (0, 0, "Not lonely"),  # 0
        (1, 0, "Not lonely"),  # 1: top of 0–1
        (1, 1, "Moderately lonely"),  # 2: bottom of 2–4
        (3, 1, "Moderately lonely"),  # 4: top of 2–4
        (3, 2, "Severely lonely"),  # 5: bottom of 5–6
        (3, 3, "Severely lonely"),  # 6
    ],
)
def test_djg6_total_bands(emotional, social, total_band):
    scores = instrument("djg6").score(djg_answers(emotional, social))
    assert scores["total"].score == emotional + social
    assert scores["total"].band == total_band


@pytest.mark.parametrize(("lonely", "band"), [(0, "Not lonely"), (1, "Lonely"), (3, "Lonely")])
def test_djg6_subscale_bands(lonely, band):
    scores = instrument("djg6").score(djg_answers(lonely, lonely))
    assert (scores["emotional"].score, scores["emotional"].band) == (lonely, band)
    assert (scores["social"].score, scores["social"].band) == (lonely, band)


def test_djg6_one_missing_item_keeps_the_total_but_not_its_subscale():
    # 10 unanswered: total = count over the 5 answered items (no pro-rating);
    # emotional is missing, social is scored.
    answers = djg_answers(3, 2) | {"10": None}
    scores = instrument("djg6").score(answers)
    assert (scores["total"].complete, scores["total"].score) == (True, 4)  # 2 + 2
    assert scores["total"].band == "Moderately lonely"
    assert scores["total"].missing == ("10",)
    assert (scores["emotional"].complete, scores["emotional"].score) == (False, None)
    assert (scores["social"].complete, scores["social"].score) == (True, 2)


def test_djg6_two_missing_items_mean_no_total():
    answers = djg_answers(3, 3)
    del answers["3"]
    del answers["4"]
    scores = instrument("djg6").score(answers)
    assert (scores["total"].complete, scores["total"].score, scores["total"].band) == (
        False,
        None,
        None,
    )
    assert not scores["emotional"].complete
    assert not scores["social"].complete


@pytest.mark.parametrize("code", [0, 6])
def test_djg6_refuses_codes_outside_its_options(code):
    with pytest.raises(AnswerError):
        instrument("djg6").score(djg_answers(1, 1) | {"7": code})


def test_djg6_has_no_reliable_change_test():
    assert all(scale.classify_change(5, 0) is None for scale in instrument("djg6").scales)


# --- LSNS-6 --------------------------------------------------------------------------------


def test_lsns6_worked_example_with_subscales():
    # Family: 1 (one) + 3 (three or four) + 2 (two) = 6; Friends: 0 + 1 + 4 = 5; total 11
    answers = {"1": 1, "2": 3, "3": 2, "4": 0, "5": 1, "6": 4}
    scores = instrument("lsns6").score(answers)
    assert scores["family"].score == 6
    assert scores["friends"].score == 5
    assert (scores["total"].score, scores["total"].band) == (11, "At risk of social isolation")
    assert scores["family"].band is None  # subscale cut-offs are UNVERIFIED


@pytest.mark.parametrize(
    ("raw", "band", "clinical"),
    [
        (0, "At risk of social isolation", True),
        (11, "At risk of social isolation", True),
        (12, "Not at risk of social isolation", False),
        (30, "Not at risk of social isolation", False),
    ],
)
def test_lsns6_cutoff_12(raw, band, clinical):
    scores = instrument("lsns6").score(answers_summing_to("lsns6", raw))
    assert (scores["total"].score, scores["total"].band) == (raw, band)
    assert instrument("lsns6").primary.cutoff.is_clinical(raw) is clinical


def test_lsns6_missing_and_bad_codes():
    scores = instrument("lsns6").score({"1": 5, "2": 5, "3": 5, "4": 5, "5": 5})
    assert scores["family"].score == 15
    assert scores["friends"].score is None
    assert scores["total"].score is None
    with pytest.raises(AnswerError):
        instrument("lsns6").score({"1": 6})


# --- SIAS-6 and SPS-6 ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["sias6", "sps6"])
def test_sias6_and_sps6_are_separate_plain_sums(key):
    # 0+1+2+3+4+4 = 14
    answers = dict(zip("123456", [0, 1, 2, 3, 4, 4], strict=True))
    scores = instrument(key).score(answers)
    assert [scale.key for scale in scores.scales] == ["total"]
    assert (scores["total"].score, scores["total"].band) == (14, None)  # cut-offs UNVERIFIED
    assert instrument(key).score(answers_summing_to(key, 0))["total"].score == 0
    assert instrument(key).score(answers_summing_to(key, 24))["total"].score == 24
    assert instrument(key).score(answers | {"6": None})["total"].score is None
    with pytest.raises(AnswerError):
        instrument(key).score(answers | {"1": 5})


# --- Campaign to End Loneliness ------------------------------------------------------------


def test_cel3_scoring_is_marked_unverified_and_sums_0_to_12():
    inst = instrument("cel3")
    assert inst.primary.verified is False
    # Strongly Disagree = 4 … Strongly Agree = 0 on every item, whatever the display order.
    for item in inst.items:
        codes = {option.text: option.code for option in item.options}
        assert codes == {
            "Strongly Disagree": 4,
            "Disagree": 3,
            "Neutral": 2,
            "Agree": 1,
            "Strongly Agree": 0,
        }
    # Question 2 starts at "Strongly Agree"; questions 1 and 3 at "Strongly Disagree".
    assert [item.options[0].text for item in inst.items] == [
        "Strongly Disagree",
        "Strongly Agree",
        "Strongly Disagree",
    ]
    # Disagree (3) + Neutral (2) + Strongly Disagree (4) = 9
    assert inst.score({"1": 3, "2": 2, "3": 4})["total"].score == 9
    assert inst.score({"1": 0, "2": 0, "3": 0})["total"].score == 0
    assert inst.score({"1": 4, "2": 4, "3": 4})["total"].score == 12
    assert inst.score({"1": 4, "2": 4})["total"].score is None
    with pytest.raises(AnswerError):
        inst.score({"1": 5, "2": 4, "3": 4})


# --- all of them ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(instruments()))
def test_lowest_and_highest_answers_reach_the_declared_range(key):
    inst = instrument(key)
    for scale in inst.scales:
        lowest, highest = {}, {}
        for item_id in scale.items:
            item = inst.item(item_id)
            codes = sorted(item.codes)
            values = {code: item_value(item, code, scale) for code in codes}
            lowest[item_id] = min(codes, key=values.get)
            highest[item_id] = max(codes, key=values.get)
        assert inst.score(lowest)[scale.key].score == scale.min
        assert inst.score(highest)[scale.key].score == scale.max


@pytest.mark.parametrize("key", sorted(instruments()))
def test_an_empty_response_scores_nothing_and_flags_every_required_item(key):
    scores = instrument(key).score({})
    assert not any(scale.complete for scale in scores.scales)
    assert scores.missing_required == [item.id for item in instrument(key).items if item.required]
