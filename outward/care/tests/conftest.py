"""Fixtures shared by care's tests."""

import datetime

import pytest

from outward.care import services
from outward.goals import services as goal_services


@pytest.fixture
def opted_in(world):
    """The client wants e-mail reminders at 9:00 and has a step planned for 30 October."""
    services.reminder_preference_set(
        client=world.client,
        actor=world.client.user,
        email_enabled=True,
        send_at=datetime.time(9, 0),
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(8, 0),
        ip=None,
    )
    goal = goal_services.goal_create(
        client=world.client, author=world.therapist.user, title="Say hello", ip=None
    )
    goal_services.step_add(
        goal=goal,
        author=world.therapist.user,
        title="SECRET-STEP-TEXT",
        scheduled_for=datetime.date(2026, 10, 30),
        ip=None,
    )
    return world
