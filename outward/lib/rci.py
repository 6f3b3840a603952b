"""The Jacobson–Truax Reliable Change Index and its classification (reference/instruments.md §16).

Jacobson NS, Truax P. Clinical significance: a statistical approach to defining meaningful change
in psychotherapy research. J Consult Clin Psychol 1991;59(1):12–19; the √2 term is Christensen &
Mendoza's (1986) correction.

    S_E    = s₁ · √(1 − r_xx)          standard error of measurement (s₁: SD of the reference
                                        sample; r_xx: the measure's reliability)
    S_diff = √(2 · S_E²) = √2 · S_E    standard error of the difference
    RC     = (x₂ − x₁) / S_diff        |RC| > 1.96: the change is reliable (p < .05)

Classification: *reliably improved* / *no reliable change* / *reliably deteriorated*, read in
the measure's direction (for a higher-is-better measure a rise is an improvement). *Recovered*
= reliably improved and moved from the clinical side of the published cut-off to the healthy
side. Nothing is rounded here: callers round for display.
"""

import math
from dataclasses import dataclass
from numbers import Real

HIGHER_IS_WORSE = "higher_is_worse"
HIGHER_IS_BETTER = "higher_is_better"
DIRECTIONS = (HIGHER_IS_WORSE, HIGHER_IS_BETTER)

RELIABLY_IMPROVED = "reliably_improved"
NO_RELIABLE_CHANGE = "no_reliable_change"
RELIABLY_DETERIORATED = "reliably_deteriorated"

# The two-tailed 95% criterion.
CRITICAL_Z = 1.96


def _check_number(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")


def _check_norms(sd: float, reliability: float) -> None:
    _check_number(sd, "sd")
    _check_number(reliability, "reliability")
    if sd <= 0:
        raise ValueError(f"sd must be greater than 0, not {sd!r}.")
    if not 0 <= reliability < 1:
        raise ValueError(f"reliability must be at least 0 and below 1, not {reliability!r}.")


def standard_error(sd: float, reliability: float) -> float:
    """S_E = sd · √(1 − r)."""
    _check_norms(sd, reliability)
    return sd * math.sqrt(1 - reliability)


def standard_error_of_difference(sd: float, reliability: float) -> float:
    """S_diff = √2 · S_E."""
    return math.sqrt(2) * standard_error(sd, reliability)


def minimum_reliable_change(sd: float, reliability: float) -> float:
    """The smallest change in raw points that is reliable: 1.96 · S_diff."""
    return CRITICAL_Z * standard_error_of_difference(sd, reliability)


def reliable_change_index(baseline: float, latest: float, sd: float, reliability: float) -> float:
    """RC = (latest − baseline) / S_diff, with S_diff = √2 · sd · √(1 − reliability)."""
    _check_number(baseline, "baseline")
    _check_number(latest, "latest")
    return (latest - baseline) / standard_error_of_difference(sd, reliability)


@dataclass(frozen=True)
class Change:
    baseline: float
    latest: float
    difference: float  # latest − baseline
    rci: float
    minimum_change: float  # 1.96 · S_diff, in score points
    status: str  # RELIABLY_IMPROVED | NO_RELIABLE_CHANGE | RELIABLY_DETERIORATED
    recovered: bool

    @property
    def reliable(self) -> bool:
        return self.status != NO_RELIABLE_CHANGE


def is_clinical(score: float, *, cutoff: float, direction: str, inclusive: bool = True) -> bool:
    """Whether `score` is on the clinical side of `cutoff`: at or above it (above it when not
    `inclusive`) for a higher-is-worse measure, at or below it (below it) for higher-is-better."""
    if direction == HIGHER_IS_WORSE:
        return score >= cutoff if inclusive else score > cutoff
    if direction == HIGHER_IS_BETTER:
        return score <= cutoff if inclusive else score < cutoff
    raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}.")


def classify_change(
    baseline: float,
    latest: float,
    *,
    sd: float,
    reliability: float,
    direction: str,
    cutoff: float | None = None,
    cutoff_inclusive: bool = True,
) -> Change:
    """Classify the change from `baseline` to `latest` by the Jacobson–Truax RCI.

    `direction` is HIGHER_IS_WORSE or HIGHER_IS_BETTER. `cutoff` is the published clinical
    cut-off; `cutoff_inclusive` says whether the cut-off score itself is clinical (PHQ-9 "≥ 10":
    True; LSNS-6 "< 12": False). Recovered needs a reliable improvement, a baseline on the
    clinical side and a latest score on the healthy side; without a cut-off it is False."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}.")
    if cutoff is not None:
        _check_number(cutoff, "cutoff")
    index = reliable_change_index(baseline, latest, sd, reliability)
    worse = index if direction == HIGHER_IS_WORSE else -index
    if worse < -CRITICAL_Z:
        status = RELIABLY_IMPROVED
    elif worse > CRITICAL_Z:
        status = RELIABLY_DETERIORATED
    else:
        status = NO_RELIABLE_CHANGE
    recovered = (
        status == RELIABLY_IMPROVED
        and cutoff is not None
        and is_clinical(baseline, cutoff=cutoff, direction=direction, inclusive=cutoff_inclusive)
        and not is_clinical(latest, cutoff=cutoff, direction=direction, inclusive=cutoff_inclusive)
    )
    return Change(
        baseline=baseline,
        latest=latest,
        difference=latest - baseline,
        rci=index,
        minimum_change=minimum_reliable_change(sd, reliability),
        status=status,
        recovered=recovered,
    )
