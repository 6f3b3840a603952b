"""The pure helpers, fed anything their callers could pass: a clean answer or the documented
ValueError, never another exception (issue 8)."""

import datetime
import math
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outward.lib import periods, rci
from outward.lib.gas import gas_t_score
from outward.lib.smart import KEYS, smart_check

ZONES = st.sampled_from(sorted(zoneinfo.available_timezones()))
# Text as people paste it: anything, NUL and runs of digits included.
TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["9" * 5000, "٣٣٣ times a week", "²³ a month", "\x00", "TWENTY A WEEK"]),
    st.lists(
        st.sampled_from(
            [
                "call",
                "my",
                "sister",
                "3",
                "times",
                "a",
                "week",
                "by",
                "friday",
                "every",
                "month",
                "twice",
                "next",
                "june",
                "7pm",
                "1999",
            ]
        )
    ).map(" ".join),
)


@given(
    title=TEXT,
    specific=TEXT,
    measurable=TEXT,
    achievable=TEXT,
    relevant=TEXT,
    target_date=st.none() | st.dates(),
    cadence_count=st.none() | st.integers(-(10**12), 10**12),
    cadence_period=st.sampled_from([None, "week", "month", "", "fortnight"]),
    today=st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 12, 31)),
)
def test_the_smart_check_answers_five_criteria_for_any_goal(**goal):
    criteria = smart_check(**goal)
    assert [criterion.key for criterion in criteria] == list(KEYS)


@given(
    levels=st.lists(st.integers(-3, 3) | st.booleans(), max_size=12),
    weights=st.none() | st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=12),
    rho=st.floats(allow_nan=True, allow_infinity=True),
)
def test_gas_is_a_t_score_or_a_value_error(levels, weights, rho):
    try:
        score = gas_t_score(levels, weights, rho)
    except ValueError:
        return
    assert math.isfinite(score)


@given(
    st.lists(st.sampled_from([-2, -1, 0, 1, 2]), min_size=1, max_size=30),
    st.floats(0, 1),
)
def test_gas_stays_within_its_scale(levels, rho):
    """All goals at −2 (at +2) is the lowest (highest) possible T-score; here rho < 1 only
    changes how far from 50 a mixed set lands."""
    score = gas_t_score(levels, None, rho)
    assert gas_t_score([-2] * len(levels), None, rho) - 1e-9 <= score
    assert score <= gas_t_score([2] * len(levels), None, rho) + 1e-9


NUMBER = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6)


@given(
    baseline=NUMBER,
    latest=NUMBER,
    sd=NUMBER,
    reliability=NUMBER,
    direction=st.sampled_from([rci.HIGHER_IS_WORSE, rci.HIGHER_IS_BETTER, "sideways"]),
    cutoff=st.none() | NUMBER,
)
def test_reliable_change_is_classified_or_refused(
    baseline, latest, sd, reliability, direction, cutoff
):
    try:
        change = rci.classify_change(
            baseline, latest, sd=sd, reliability=reliability, direction=direction, cutoff=cutoff
        )
    except ValueError:
        return
    assert change.status in (
        rci.RELIABLY_IMPROVED,
        rci.NO_RELIABLE_CHANGE,
        rci.RELIABLY_DETERIORATED,
    )


@given(day=st.dates(), zone=ZONES)
def test_a_local_midnight_can_be_stored_and_shown_in_every_zone(day, zone):
    moment = periods.local_midnight(day, zone)
    for hours in (-14, 0, 14):
        moment.astimezone(datetime.timezone(datetime.timedelta(hours=hours)))
    assert periods.local_date(moment, zone) in (
        day,
        periods.local_date(periods.EARLIEST, zone),
        periods.local_date(periods.LATEST, zone),
    )


@given(moment=st.datetimes(timezones=st.just(datetime.UTC)), zone=ZONES)
def test_any_stored_instant_has_a_local_date(moment, zone):
    assert isinstance(periods.local_date(moment, zone), datetime.date)


@given(
    day=st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)),
    period=st.sampled_from(["week", "month"]),
    count=st.integers(1, 60),
)
def test_recent_periods_end_with_the_one_holding_the_day(day, period, count):
    starts = periods.recent_periods(day, period, count)
    assert len(starts) == count and starts == sorted(set(starts))
    assert starts[-1] <= day < periods.next_period_start(starts[-1], period)


def test_an_unknown_period_is_a_value_error():
    with pytest.raises(ValueError):
        periods.period_start(datetime.date(2026, 1, 1), "fortnight")
