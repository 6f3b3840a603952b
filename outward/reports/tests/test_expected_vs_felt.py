"""The expected-vs-felt insight reads plans attended (community) and fear-ladder attempts
(skills) through the happenings registry; here both rooms write, with known answers."""

import datetime

from django.utils import timezone

from outward.community.models import Plan, Resource
from outward.community.plans import services as plan_services
from outward.journal import insights
from outward.skills import services as skills_services

from .conftest import NOW


def _went(world, resource, days_ago, predicted, actual):
    plan = Plan.objects.create(
        client=world.client,
        author=world.client.user,
        resource=resource,
        when=timezone.now() - datetime.timedelta(days=days_ago),
        predicted_anxiety=predicted,
    )
    plan_services.plan_report(
        plan=plan, went=True, actor=world.client.user, ip=None, actual_anxiety=actual
    )


def _tried(world, rung, days_ago, expected, peak):
    skills_services.exposure_log(
        rung=rung,
        author=world.client.user,
        ip=None,
        occurred=timezone.now() - datetime.timedelta(days=days_ago),
        prediction="They will ignore me",
        likelihood=60,
        expected_suds=expected,
        suds_peak=peak,
    )


def _rung(world):
    ladder = skills_services.ladder_create(
        client=world.client, author=world.client.user, title="Meeting people", ip=None
    )
    return skills_services.rung_add(
        client=world.client,
        ladder=ladder,
        author=world.client.user,
        situation="Say hello at the café",
        expected_suds=40,
        ip=None,
    )


def test_expected_was_higher_in_seven_of_nine(world, now):
    choir = Resource.objects.create(practice=world.practice, name="Choir", kind="group")
    rung = _rung(world)
    # Seven where the expected anxiety was higher: by 10, 20, 30, 40, 20, 24 and 24 (168).
    for days_ago, (expected, felt) in enumerate([(70, 60), (80, 60), (90, 60), (80, 40)], 1):
        _went(world, choir, days_ago, expected, felt)
    for days_ago, (expected, felt) in enumerate([(50, 30), (60, 36), (44, 20)], 10):
        _tried(world, rung, days_ago, expected, felt)
    # Two where it was not.
    _went(world, choir, 20, 30, 30)
    _tried(world, rung, 21, 40, 50)
    # Not counted: no felt anxiety noted, or too long ago.
    _went(world, choir, 22, 70, None)
    _tried(world, rung, 400, 90, 10)

    insight = insights.expected_vs_felt(world.client, datetime.datetime.fromisoformat(NOW))

    assert insight.sentence == (
        "In 7 of your 9 visits and practice steps, the anxiety you expected was higher than "
        "what you felt (by 24.0 points on average)."
    )
    assert insight.sample == 9
    assert insight.evidence[0] == "24 Nov · Group: expected 70, felt 60"
    assert insight.evidence[-1] == "4 Nov · Say hello at the café: expected 40, felt 50"


def test_expected_vs_felt_needs_five(world, now):
    choir = Resource.objects.create(practice=world.practice, name="Choir", kind="group")
    for days_ago in range(1, 5):
        _went(world, choir, days_ago, 80, 20)
    assert insights.expected_vs_felt(world.client, timezone.now()) is None
