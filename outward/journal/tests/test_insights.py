"""Pattern insights on fixtures with known answers (the client lives in New York, so the weeks
and months are counted in their time, not UTC), and who sees them."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outward.care.records import Visibility
from outward.journal import insights
from outward.journal import services as journal_services
from outward.journal.models import InsightShare

NOW = "2026-11-25 15:00:00+00:00"  # Wednesday 25 November, 10:00 in New York
NY = zoneinfo.ZoneInfo("America/New_York")
WEDNESDAY = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=NY)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return datetime.datetime.fromisoformat(NOW)


def _check_in(world, when, loneliness):
    journal_services.check_in_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        occurred=when,
        mood=5,
        loneliness=loneliness,
        meaningful_interactions=0,
        in_person=0,
        online=0,
    )


def _contact(world, when, kind="met_up", *, private=False):
    journal_services.contact_log(
        client=world.client,
        author=world.client.user,
        ip=None,
        kind=kind,
        occurred=when,
        visibility=Visibility.PRIVATE if private else Visibility.SHARED,
    )


def _weeks_of_loneliness(world, busy, other):
    """Check-ins on the Wednesdays 1, 2, … weeks ago: the first weeks `busy` (two in-person
    contacts each, at the very ends of the client's week), then `other`."""
    for weeks_ago, loneliness in enumerate([*busy, *other], start=1):
        wednesday = WEDNESDAY - datetime.timedelta(weeks=weeks_ago)
        _check_in(world, wednesday, loneliness)
        monday = (wednesday - datetime.timedelta(days=2)).replace(hour=0, minute=30)
        if weeks_ago <= len(busy):
            # Monday 00:30 and Sunday 23:00 in New York: the same week there (not in UTC).
            _contact(world, monday, "met_up")
            _contact(world, monday + datetime.timedelta(days=6, hours=22, minutes=30), "event")
        else:
            _contact(world, monday + datetime.timedelta(hours=12), "met_up")
            _contact(world, monday + datetime.timedelta(hours=13), "online")
            # Kept private: not counted, so this week stays among the "other" weeks.
            _contact(world, monday + datetime.timedelta(hours=14), "met_up", private=True)


def test_loneliness_in_weeks_with_two_in_person_contacts(world, now):
    _weeks_of_loneliness(world, busy=[3, 4, 2, 3], other=[5, 6, 5, 6])
    _contact(world, WEDNESDAY - datetime.timedelta(weeks=9), "met_up")  # no check-in that week

    insight = insights.loneliness_and_meeting(world.client, now)

    assert insight.sentence == (
        "In weeks with two or more in-person contacts your loneliness was 3.0 on average, "
        "and 5.5 in other weeks (8 weeks)."
    )
    assert insight.sample == 8
    assert insight.sample_label == "8 weeks with a check-in"
    assert insight.evidence[0] == "Week of 16 Nov: 2 in person, loneliness 3.0"
    assert insight.evidence[-1] == "Week of 28 Sep: 1 in person, loneliness 6.0"
    assert len(insight.evidence) == 8


def test_loneliness_says_nothing_with_too_few_weeks(world, now):
    _weeks_of_loneliness(world, busy=[3, 4], other=[5, 6, 5, 6])
    assert insights.loneliness_and_meeting(world.client, now) is None


def test_the_day_the_client_goes_to_things(world, now):
    # Thursday 21:00 in New York is Friday in UTC: it counts as a Thursday.
    for weeks_ago in (1, 2, 3):
        thursday = WEDNESDAY + datetime.timedelta(days=1, hours=11) - datetime.timedelta(weeks=3)
        _contact(world, thursday - datetime.timedelta(weeks=weeks_ago), "event")
    _contact(world, WEDNESDAY - datetime.timedelta(days=8), "event")  # a Tuesday
    _contact(world, WEDNESDAY - datetime.timedelta(days=4), "event")  # a Saturday
    _contact(world, WEDNESDAY - datetime.timedelta(days=6), "event", private=True)  # not counted
    _contact(world, WEDNESDAY - datetime.timedelta(days=200), "event")  # too long ago

    insight = insights.outing_day(world.client, now)

    assert insight.sentence == (
        "You most often go to things on Thursdays (3 of your 5 outings in the last six months)."
    )
    assert insight.sample == 5
    assert insight.evidence == ("Tuesdays: 1", "Thursdays: 3", "Saturdays: 1")


def test_no_day_is_named_on_a_tie(world, now):
    for days in (1, 8, 6, 13, 4):  # two Tuesdays, two Thursdays, a Saturday
        _contact(world, WEDNESDAY - datetime.timedelta(days=days), "event")
    assert insights.outing_day(world.client, now) is None


def test_online_share_this_month_and_last(world, now):
    november = datetime.datetime(2026, 11, 1, 0, 30, tzinfo=NY)  # 04:30 UTC
    october_end = datetime.datetime(2026, 10, 31, 23, 30, tzinfo=NY)  # November in UTC
    for n in range(10):
        _contact(world, november + datetime.timedelta(days=n), "online" if n < 7 else "met_up")
        _contact(world, october_end - datetime.timedelta(days=n), "online" if n < 4 else "event")
    _contact(world, november, "met_up", private=True)  # not counted

    insight = insights.online_share(world.client, now)

    assert insight.sentence == (
        "Online contacts were 70 % of your contacts this month (40 % last month)."
    )
    assert insight.sample == 20
    assert insight.evidence == (
        "November so far: 7 of 10 online",
        "October: 4 of 10 online",
    )


def test_online_share_needs_four_contacts_in_each_month(world, now):
    for n in range(3):
        _contact(world, WEDNESDAY - datetime.timedelta(days=n), "online")
        _contact(world, WEDNESDAY - datetime.timedelta(days=40 + n), "online")
    assert insights.online_share(world.client, now) is None


def test_no_rule_speaks_without_data(world, now):
    assert (
        insights.insights_for_viewer(client=world.client, viewer=world.client.user, now=now) == []
    )


def test_the_client_sees_insights_first_and_shares_one(world, now):
    _weeks_of_loneliness(world, busy=[3, 4, 2, 3], other=[5, 6, 5, 6])
    sentence = "loneliness was 3.0 on average"  # "your" to the client, "the client's" to others

    page = world.as_("client").get(reverse("journal:my_insights"))
    assert sentence in page.text
    assert "Only you can see this." in page.text
    assert (
        sentence
        not in world.as_("therapist").get(reverse("journal:insights", args=[world.client.pk])).text
    )

    response = world.as_("client").post(
        reverse("journal:my_insight_share"), {"rule": "loneliness_and_meeting", "share": "1"}
    )
    assert response.status_code == 302
    therapist_page = world.as_("therapist").get(reverse("journal:insights", args=[world.client.pk]))
    assert "the client&#x27;s loneliness was 3.0 on average" in therapist_page.text
    assert "your loneliness" not in therapist_page.text
    assert "Week of 16 Nov" in therapist_page.text  # the evidence goes with it

    world.as_("client").post(
        reverse("journal:my_insight_share"), {"rule": "loneliness_and_meeting", "share": "0"}
    )
    assert (
        sentence
        not in world.as_("therapist").get(reverse("journal:insights", args=[world.client.pk])).text
    )
    assert InsightShare.objects.get().shared is False


@pytest.mark.parametrize("data", [{"rule": "nope", "share": "1"}, {"rule": "outing_day"}, {}])
def test_a_bad_share_changes_nothing_and_says_so(world, now, data):
    response = world.as_("client").post(reverse("journal:my_insight_share"), data, follow=True)
    assert response.status_code == 200
    assert "That did not work" in response.text
    assert not InsightShare.objects.exists()


def _queries(http, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_the_insights_page_reads_a_constant_number_of_queries(world, now):
    _weeks_of_loneliness(world, busy=[3, 4, 2, 3], other=[5, 6, 5, 6])
    http, url = world.as_("client"), reverse("journal:my_insights")
    small = _queries(http, url)
    for weeks_ago in range(10, 26):
        wednesday = WEDNESDAY - datetime.timedelta(weeks=weeks_ago)
        _check_in(world, wednesday, 4)
        for hours in range(12):
            _contact(world, wednesday + datetime.timedelta(hours=hours), "event")
    assert _queries(http, url) == small
