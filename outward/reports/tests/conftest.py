import datetime

import pytest

from outward.goals import services as goal_services

# Mid-morning in New York (the client's time zone): "today" is 25 November there.
NOW = "2026-11-25 15:00:00+00:00"
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def goal(world, now):
    return goal_services.goal_create(
        client=world.client,
        author=world.client.user,
        title="GOAL-TITLE-SECRET join the chess club",
        specific="SPECIFIC-TEXT-SECRET",
        ip=None,
    )


@pytest.fixture
def add_step(world):
    def add(goal, title: str, days: int | None):
        return goal_services.step_add(
            goal=goal,
            author=world.client.user,
            title=title,
            scheduled_for=None if days is None else TODAY + datetime.timedelta(days=days),
            ip=None,
        )

    return add
