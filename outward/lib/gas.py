"""Goal Attainment Scaling (Kiresuk & Sherman 1968): the summary T-score over a set of goals.

Each goal is rated on five levels: −2 much less than expected, −1 less than expected, 0 the
expected outcome, +1 more than expected, +2 much more than expected. With weights wᵢ (importance,
1–4 in the original calculator) and ρ the assumed correlation between goals (0.3):

    T = 50 + 10 · Σ(wᵢ·xᵢ) / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

T is 50 when every goal lands at "expected"; the scale has mean 50 and SD 10. Nothing is rounded
here: callers round for display.
"""

import math
from collections.abc import Sequence
from numbers import Integral, Real

LEVELS = (-2, -1, 0, 1, 2)
DEFAULT_RHO = 0.3


def gas_t_score(
    levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = DEFAULT_RHO
) -> float:
    """The Kiresuk–Sherman T-score of goals rated at `levels` (unweighted when `weights` is
    None). Raises ValueError for no goals, a level outside −2…+2, weights that do not match the
    goals one for one or are not positive, or ρ outside 0…1."""
    levels = list(levels)
    if not levels:
        raise ValueError("GAS needs at least one goal level.")
    for level in levels:
        if isinstance(level, bool) or not isinstance(level, Integral) or level not in LEVELS:
            raise ValueError(f"GAS level {level!r} is not one of {LEVELS}.")
    if weights is None:
        weights = [1.0] * len(levels)
    else:
        weights = list(weights)
        if len(weights) != len(levels):
            raise ValueError(
                f"GAS needs one weight per goal: {len(levels)} levels but {len(weights)} weights."
            )
        for weight in weights:
            if (
                isinstance(weight, bool)
                or not isinstance(weight, Real)
                or not math.isfinite(weight)
                or weight <= 0
            ):
                raise ValueError(f"GAS weight {weight!r} must be a positive number.")
    if isinstance(rho, bool) or not isinstance(rho, Real) or not 0 <= rho <= 1:
        raise ValueError(f"GAS correlation rho {rho!r} must be between 0 and 1.")

    weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=True))
    sum_of_squares = sum(w * w for w in weights)
    total = sum(weights)
    return 50 + 10 * weighted_sum / math.sqrt((1 - rho) * sum_of_squares + rho * total * total)
