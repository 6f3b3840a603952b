"""Small builders shared by the goals tests (the personas live in outward/conftest.py)."""

import datetime
import zoneinfo

from outward.goals import services
from outward.goals.models import Goal, GoalCheckIn

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")  # world.client's own time zone


def local(*args) -> datetime.datetime:
    """An aware moment on the client's wall clock, e.g. local(2026, 11, 1, 23, 30)."""
    return datetime.datetime(*args, tzinfo=NEW_YORK)


def make_goal(client, *, author=None, steps=(), **fields) -> Goal:
    fields = {"title": "Reach out to a friend weekly", **fields}
    return services.goal_create(
        client=client, author=author or client.user, steps=list(steps), ip=None, **fields
    )


def weekly_goal(client, times: int = 1, **fields) -> Goal:
    return make_goal(client, cadence_count=times, cadence_period="week", **fields)


def tap(goal: Goal, when: datetime.datetime) -> GoalCheckIn:
    """An "I did it" at a given moment, written straight to the table (no listener)."""
    return GoalCheckIn.objects.create(
        goal=goal, client=goal.client, author=goal.client.user, occurred=when
    )
