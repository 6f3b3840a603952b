"""The ladder's "ready for the next rung" rule (outward.lib.readiness)."""

import pytest

from outward.lib.readiness import readiness


@pytest.mark.parametrize(
    ("peaks", "ready", "reason"),
    [
        ([], False, ""),
        ([30], False, ""),  # one low attempt is not yet a pattern
        ([40, 40], True, "low_twice"),  # 40 itself counts as low
        ([41, 40], False, ""),
        ([90, 35, 38], True, "low_twice"),
        ([80, 40], True, "halved"),
        ([80, 70, 40], True, "halved"),
        ([90, 45], True, "halved"),  # 45 is half of 90
        ([90, 46], False, ""),
        ([70, 30, 60], False, ""),  # the latest attempts decide, not the best one
        ([0, 0], True, "low_twice"),
        ([60, None, 30], True, "halved"),  # an attempt without a peak is skipped
    ],
)
def test_the_rule(peaks, ready, reason):
    result = readiness(peaks)

    assert (result.ready, result.reason) == (ready, reason)
    assert result.attempts == len([peak for peak in peaks if peak is not None])
