"""Fixtures shared by measures' tests."""

import datetime

import pytest

from outward.measures import services


@pytest.fixture
def assignment(world):
    """The client is asked for a PHQ-9 every 14 days, the first due on 1 November."""
    return services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="phq9",
        every_days=14,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )
