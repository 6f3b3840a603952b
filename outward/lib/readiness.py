"""When a rung of a fear ladder looks ready to move on from (graded exposure).

The rule, in plain words — the same words the rung page shows:

- **Low twice**: the two latest attempts at the rung each peaked at 40 or less on the 0–100
  distress scale (SUDS), or
- **Halved**: there were at least two attempts and the latest peak is at most half of the first
  one's (anxiety that falls with repetition is the point of exposure — habituation).

It only *suggests*. The therapist confirms (the rung is done, a win) or says keep practising.
The client sees it as encouragement; a rung that is not ready yet is never called a failure.
Attempts are given oldest first as their peak SUDS; attempts without a peak are skipped.
"""

from collections.abc import Sequence
from dataclasses import dataclass

LOW_PEAK = 40  # a peak at or below this counts as "low"
LOW_TIMES = 2  # ...this many latest attempts in a row
HALVED = 0.5  # latest peak at most this share of the first one's


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str  # "low_twice", "halved" or "" when not ready
    attempts: int  # attempts with a peak


def readiness(peaks: Sequence[int | None]) -> Readiness:
    known = [peak for peak in peaks if peak is not None]
    if len(known) >= LOW_TIMES and all(peak <= LOW_PEAK for peak in known[-LOW_TIMES:]):
        return Readiness(True, "low_twice", len(known))
    if len(known) >= 2 and known[0] > 0 and known[-1] <= known[0] * HALVED:
        return Readiness(True, "halved", len(known))
    return Readiness(False, "", len(known))
