"""Goal Attainment Scaling: reviews through the therapist's view, and the T-score history."""

import datetime

import pytest

from outward.care.models import AuditEvent
from outward.goals import selectors, services
from outward.goals.models import GoalReview

from .helpers import local, make_goal


def review_url(world, goal):
    return f"/clients/{world.client.pk}/goals/{goal.pk}/review/"


def review(world, goal, day, level):
    return services.goal_review(
        goal=goal, author=world.therapist.user, reviewed_on=day, level=level, note="", ip=None
    )


def history(world):
    return [
        (point.reviewed_on, round(point.t_score, 1), point.goals)
        for point in selectors.gas_history(client=world.client)
    ]


def test_therapist_records_a_review(world, time_machine):
    time_machine.move_to(local(2026, 11, 26, 10, 0), tick=False)
    goal = make_goal(world.client)
    http = world.as_("therapist")

    response = http.post(
        review_url(world, goal),
        {"reviewed_on": "2026-11-26", "level": "1", "note": "Better than we hoped"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{world.client.pk}/goals/{goal.pk}/"
    saved = GoalReview.objects.get()
    assert (saved.goal, saved.client, saved.author) == (goal, world.client, world.therapist.user)
    assert (saved.reviewed_on, saved.level, saved.note) == (
        datetime.date(2026, 11, 26),
        1,
        "Better than we hoped",
    )
    assert AuditEvent.objects.filter(action="create", target=f"goalreview:{saved.pk}").exists()
    page = http.get(response["Location"]).text
    assert "Review saved." in page and "26 Nov 2026: +1 — Better than we hoped" in page


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"reviewed_on": "2026-11-20", "level": "3"}, "Select a valid choice."),
        ({"reviewed_on": "2026-11-20", "level": "-3"}, "Select a valid choice."),
        ({"reviewed_on": "2026-11-20", "level": "x"}, "Select a valid choice."),
        ({"reviewed_on": "2026-11-20"}, "This field is required."),
        ({"reviewed_on": "2026-11-27", "level": "0"}, "cannot be in the future"),
        ({"reviewed_on": "2027-01-01", "level": "0"}, "cannot be in the future"),
        ({"reviewed_on": "20/11/2026", "level": "0"}, "Enter a valid date."),
        ({"level": "0"}, "This field is required."),
    ],
)
def test_a_bad_review_is_refused_and_nothing_saved(world, time_machine, data, why):
    # 23:30 on 26 November in New York is already 27 November in UTC: the therapist's own
    # date decides what "the future" is.
    time_machine.move_to(local(2026, 11, 26, 23, 30), tick=False)
    goal = make_goal(world.client)
    http = world.as_("therapist")

    response = http.post(review_url(world, goal), data)

    assert response.status_code == 302
    assert not GoalReview.objects.exists()
    page = http.get(response["Location"]).text
    assert "The review was not saved:" in page and why in page


def test_the_client_never_sees_the_review_form(world):
    goal = make_goal(world.client, gas_0="One message a week")
    page = world.as_("client").get(f"/me/goals/{goal.pk}/").text
    assert "Goal Attainment Scaling" not in page and "/review/" not in page
    assert "Goal attainment (GAS)" not in world.as_("client").get("/me/goals/").text


def test_three_goals_at_plus_one_score_63_7(world):
    goals = [make_goal(world.client, title=f"Goal {n}") for n in range(3)]
    for goal in goals:
        review(world, goal, datetime.date(2026, 11, 2), 1)

    assert history(world) == [(datetime.date(2026, 11, 2), 63.7, 3)]


def test_a_later_rerating_is_scored_with_the_latest_ratings(world):
    goals = [make_goal(world.client, title=f"Goal {n}") for n in range(3)]
    for goal in goals:
        review(world, goal, datetime.date(2026, 11, 2), 1)
    review(world, goals[0], datetime.date(2026, 11, 16), -1)  # +1, +1, −1
    review(world, goals[1], datetime.date(2026, 11, 30), 2)  # −1, +2, +1

    assert history(world) == [
        (datetime.date(2026, 11, 2), 63.7, 3),
        (datetime.date(2026, 11, 16), 54.6, 3),
        (datetime.date(2026, 11, 30), 59.1, 3),
    ]


def test_weights_are_applied(world):
    # Weights 1, 2, 3 at +1, −1, +2: T = 50 + 10·5 / √(0.7·14 + 0.3·36) = 61.0
    # (unweighted it would be 50 + 10·2 / √4.8 = 59.1).
    for weight, level in [(1, 1), (2, -1), (3, 2)]:
        goal = make_goal(world.client, title=f"Weight {weight}", weight=weight)
        review(world, goal, datetime.date(2026, 11, 2), level)
    assert history(world) == [(datetime.date(2026, 11, 2), 61.0, 3)]


def test_a_goal_reviewed_twice_on_one_day_counts_once_at_its_last_rating(world):
    goal = make_goal(world.client)
    review(world, goal, datetime.date(2026, 11, 2), -2)
    review(world, goal, datetime.date(2026, 11, 2), 0)
    assert history(world) == [(datetime.date(2026, 11, 2), 50.0, 1)]


def test_reviews_entered_out_of_date_order_are_scored_in_date_order(world):
    first, second = make_goal(world.client, title="A"), make_goal(world.client, title="B")
    review(world, first, datetime.date(2026, 11, 16), 2)
    review(world, first, datetime.date(2026, 11, 2), -2)  # entered later, happened earlier
    review(world, second, datetime.date(2026, 11, 2), 0)
    # 2 Nov: −2 and 0 → 50 − 20/√2.6 = 37.6; 16 Nov: +2 and 0 → 62.4.
    assert history(world) == [
        (datetime.date(2026, 11, 2), 37.6, 2),
        (datetime.date(2026, 11, 16), 62.4, 2),
    ]


def test_other_clients_reviews_are_not_mixed_in(world):
    mine, theirs = make_goal(world.client), make_goal(world.other_client)
    review(world, mine, datetime.date(2026, 11, 2), 1)
    services.goal_review(
        goal=theirs,
        author=world.colleague.user,
        reviewed_on=datetime.date(2026, 11, 2),
        level=-2,
        note="",
        ip=None,
    )
    assert history(world) == [(datetime.date(2026, 11, 2), 60.0, 1)]


def test_the_goals_page_shows_the_t_score_table(world):
    goals = [make_goal(world.client, title=f"Goal {n}") for n in range(3)]
    for goal in goals:
        review(world, goal, datetime.date(2026, 11, 2), 1)
    page = world.as_("therapist").get(f"/clients/{world.client.pk}/goals/").text
    assert "<td>2 Nov 2026</td><td>63.7</td><td>3</td>" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page


def test_a_review_of_another_clients_goal_is_404(world):
    foreign = make_goal(world.other_client)
    response = world.as_("therapist").post(
        review_url(world, foreign), {"reviewed_on": "2026-11-02", "level": "1"}
    )
    assert response.status_code == 404
    assert not GoalReview.objects.exists()
