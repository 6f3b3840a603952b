"""When a check-in is due (Today and reminders), and the therapist's schedule for it."""

import datetime
import zoneinfo

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.journal import selectors, services
from outward.journal.models import CheckInSchedule

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


QUIET_WEEK = {
    "mood": "5",
    "loneliness": "5",
    "meaningful_interactions": "0",
    "in_person": "0",
    "online": "0",
}


def at(*args):
    return datetime.datetime(*args, tzinfo=NEW_YORK)


def checked_in(world, when, time_machine):
    time_machine.move_to(when, tick=False)
    services.check_in_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        mood=5,
        loneliness=5,
        meaningful_interactions=0,
        in_person=0,
        online=0,
    )


def due_check_ins(client, day):
    return [
        item
        for item in happenings.due_items(client=client, day=day)
        if item.key.startswith("check_in:")
    ]


def test_due_when_there_has_never_been_one(world):
    [item] = due_check_ins(world.client, datetime.date(2026, 11, 24))
    assert (item.title, item.open_url, item.done_url) == ("Your check-in", "/me/check-in/", "")
    assert item.key == "check_in:2026-11-24"


def test_due_again_every_7_days_by_default(world, time_machine):
    checked_in(world, at(2026, 11, 17, 20, 0), time_machine)
    assert selectors.check_in_every_days(client=world.client) == 7
    for day in range(17, 24):  # the day itself and the six after
        assert due_check_ins(world.client, datetime.date(2026, 11, day)) == [], day
    [item] = due_check_ins(world.client, datetime.date(2026, 11, 24))
    assert item.key == "check_in:2026-11-24"
    assert due_check_ins(world.client, datetime.date(2026, 11, 26))  # still due, if late


def test_the_day_of_the_check_in_is_the_clients_day(world, time_machine):
    # 22:00 on Sunday 1 November in New York is 03:00 on 2 November in UTC.
    checked_in(world, at(2026, 11, 1, 22, 0), time_machine)
    assert selectors.next_check_in_due(
        client=world.client, today=datetime.date(2026, 11, 2)
    ) == datetime.date(2026, 11, 8)


def test_a_shorter_schedule_brings_it_forward(world, time_machine):
    checked_in(world, at(2026, 11, 17, 20, 0), time_machine)
    services.check_in_schedule_set(
        client=world.client, actor=world.therapist.user, every_days=3, ip=None
    )
    assert due_check_ins(world.client, datetime.date(2026, 11, 19)) == []
    assert due_check_ins(world.client, datetime.date(2026, 11, 20))


def test_today_page_shows_the_check_in_only_when_due(world, time_machine):
    time_machine.move_to(at(2026, 11, 17, 9, 0), tick=False)
    http = world.as_("client")
    assert 'href="/me/check-in/"' in http.get("/today/").text.split("This week")[0]

    http.post(
        "/me/check-in/",
        QUIET_WEEK,
    )
    time_machine.move_to(at(2026, 11, 18, 9, 0), tick=False)
    assert "Your check-in" not in http.get("/today/").text


def test_other_clients_check_ins_do_not_count(world, time_machine):
    time_machine.move_to(at(2026, 11, 17, 9, 0), tick=False)
    services.check_in_create(
        client=world.other_client,
        author=world.other_client.user,
        ip=None,
        mood=5,
        loneliness=5,
        meaningful_interactions=0,
        in_person=0,
        online=0,
    )
    assert due_check_ins(world.client, datetime.date(2026, 11, 18))


def schedule_url(world):
    return f"/clients/{world.client.pk}/journal/schedule/"


def test_therapist_sets_the_schedule(world):
    http = world.as_("therapist")
    response = http.post(schedule_url(world), {"every_days": "14"})

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{world.client.pk}/journal/"
    schedule = CheckInSchedule.objects.get(client=world.client)
    assert schedule.every_days == 14
    assert AuditEvent.objects.filter(
        action="update", target=f"checkinschedule:{schedule.pk}", actor=world.therapist.user
    ).exists()
    page = http.get(response["Location"])
    assert "Check-in schedule saved." in page.text
    assert page.context["schedule_form"].initial == {"every_days": 14}

    http.post(schedule_url(world), {"every_days": "1"})
    http.post(schedule_url(world), {"every_days": "31"})
    assert CheckInSchedule.objects.get(client=world.client).every_days == 31
    assert CheckInSchedule.objects.count() == 1


@pytest.mark.parametrize("every_days", ["0", "32", "-1", "weekly", ""])
def test_a_schedule_outside_1_to_31_days_is_refused(world, every_days):
    http = world.as_("therapist")
    http.post(schedule_url(world), {"every_days": "10"})

    response = http.post(schedule_url(world), {"every_days": every_days})

    assert response.status_code == 302
    assert CheckInSchedule.objects.get(client=world.client).every_days == 10
    assert "Choose between 1 and 31 days." in http.get(response["Location"]).text


def test_the_schedule_of_another_client_is_out_of_reach(world):
    url = f"/clients/{world.other_client.pk}/journal/schedule/"
    assert world.as_("therapist").post(url, {"every_days": "3"}).status_code == 404
    assert not CheckInSchedule.objects.exists()
