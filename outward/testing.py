"""Loaded by pytest (`-p outward.testing` in pyproject) before Django reads its settings:
the suite runs with production settings except for what a plain-HTTP test server needs."""

import os

os.environ.setdefault("OUTWARD_SSL_REDIRECT", "0")
os.environ.setdefault("OUTWARD_SECURE_COOKIES", "0")
os.environ.setdefault("OUTWARD_STATIC_MANIFEST", "0")
os.environ.setdefault("OUTWARD_TASKS_IMMEDIATE", "1")

# Property-based tests (Hypothesis). `dev` explores new inputs on every run; `ci` replays the
# same examples each run (derandomize), so a red CI build is reproducible and never flaky.
# Choose with OUTWARD_HYPOTHESIS_PROFILE (CI sets `ci`; `deep` hunts longer). Examples stay
# few: each is a form validation or a request, and the suite should add seconds, not minutes.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,  # a request's time depends on the machine; slowness is for benchmarks
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,  # nothing to carry between runs on a fresh CI machine
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# `deep`: a long hunt before a release or after touching a parser (minutes, not seconds).
settings.register_profile(
    "deep", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("OUTWARD_HYPOTHESIS_PROFILE", "dev"))
