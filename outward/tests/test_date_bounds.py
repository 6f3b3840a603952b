"""Dates at the edge of the calendar: every date input is bounded, and a date already stored
at an edge still shows (issue 8: two 500s from year 9999 and year 1 in a non-UTC zone)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outward.care import services as care_services
from outward.care.models import SessionNote
from outward.community.models import Plan, Resource
from outward.community.plans import services as plan_services
from outward.lib.periods import CARE_DATES, local_midnight


def test_a_visit_on_the_last_day_of_the_calendar_is_a_field_error_not_a_500(world):
    """23:00 on 9999-12-31 in New York is already year 10000 in UTC."""
    resource = Resource.objects.create(
        practice=world.practice, name="Board games", kind="group", online=True
    )
    response = world.as_("client").post(
        f"/me/groups/{resource.pk}/plan/",
        {"when": "other", "other_date": "9999-12-31", "other_time": "23:00"},
    )
    assert response.status_code == 200
    assert "Enter a date between" in response.text
    assert not Plan.objects.exists()


def test_a_session_note_in_year_one_is_a_field_error_not_a_500(world):
    count = SessionNote.objects.count()
    response = world.as_("therapist").post(
        reverse("care:session_notes", args=[world.client.pk]),
        {"session_date": "0001-01-01", "text": "From long ago."},
    )
    assert response.status_code == 200
    assert "Enter a date between" in response.text
    assert SessionNote.objects.count() == count


def test_a_stored_note_in_year_one_does_not_break_the_client_page_east_of_utc(world):
    """Rows written before the bound must still display."""
    world.client.user.time_zone = "Asia/Tokyo"
    world.client.user.save()
    SessionNote.objects.filter(client=world.client).update(session_date=datetime.date(1, 1, 1))
    response = world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("day", "zone"),
    [
        (datetime.date.min, "Pacific:Kiritimati"),
        (datetime.date.min, "Asia/Tokyo"),
        (datetime.date.max, "America/New_York"),
        (datetime.date.max, "Etc/GMT+12"),
        (datetime.date.max, "Asia/Tokyo"),
    ],
)
def test_local_midnight_at_the_edges_of_the_calendar_can_be_stored_and_shown(day, zone):
    zone = zone.replace(":", "/")
    moment = local_midnight(day, zone)
    moment.astimezone(datetime.UTC)  # what the database adapter does
    moment.astimezone(datetime.timezone(datetime.timedelta(hours=14)))  # what display does
    moment.astimezone(datetime.timezone(datetime.timedelta(hours=-12)))


def test_the_services_check_the_window_again(world):
    """Services are called by imports, commands and the seed too, not only by the forms."""
    resource = Resource.objects.create(
        practice=world.practice, name="Board games", kind="group", online=True
    )
    last_minute = datetime.datetime(9999, 12, 31, 23, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    with pytest.raises(ValidationError) as refused:
        plan_services.plan_create(
            client=world.client,
            resource=resource,
            when=last_minute,
            author=world.client.user,
            ip=None,
        )
    assert "when" in refused.value.message_dict
    note = SessionNote.objects.get(client=world.client)
    with pytest.raises(ValidationError) as refused:
        care_services.session_note_update(
            note=note,
            actor=world.therapist.user,
            session_date=datetime.date(1, 1, 1),
            text="x",
            ip=None,
        )
    assert "session_date" in refused.value.message_dict
    assert not Plan.objects.exists()
    note.refresh_from_db()
    assert note.session_date == datetime.date(2026, 11, 2)


def test_the_window_ends_ten_years_from_today(time_machine):
    time_machine.move_to(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC), tick=False)
    assert CARE_DATES.bounds() == (datetime.date(1990, 1, 1), datetime.date(2038, 2, 28))
    assert CARE_DATES.contains(datetime.date(2038, 2, 28))
    assert not CARE_DATES.contains(datetime.date(2038, 3, 1))
    assert not CARE_DATES.contains(datetime.date(1989, 12, 31))


def test_goal_and_measure_services_check_the_window_too(world):
    from outward.goals import services as goal_services
    from outward.measures import services as measure_services

    year_one = datetime.date(1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        goal_services.goal_create(
            client=world.client,
            author=world.therapist.user,
            title="x",
            target_date=year_one,
            ip=None,
        )
    assert "target_date" in refused.value.message_dict
    goal = goal_services.goal_create(
        client=world.client, author=world.therapist.user, title="Join a club", ip=None
    )
    with pytest.raises(ValidationError) as refused:
        goal_services.step_add(
            goal=goal, author=world.client.user, title="x", scheduled_for=year_one, ip=None
        )
    assert "scheduled_for" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        measure_services.assignment_create(
            client=world.client,
            actor=world.therapist.user,
            instrument_key="phq9",
            every_days=7,
            first_due=datetime.date.max,
            ip=None,
        )
    assert "first_due" in refused.value.message_dict
