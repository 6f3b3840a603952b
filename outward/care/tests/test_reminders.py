import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from outward.care import reminders, services
from outward.care.models import AuditEvent, ReminderPreference, ReminderSent

NY_DST_END = datetime.date(2026, 11, 1)  # clocks go back at 06:00 UTC


def _run(time_machine, moment: str) -> int:
    time_machine.move_to(moment, tick=False)
    return reminders.reminders_enqueue()


def test_one_email_a_day_however_often_the_job_runs(opted_in, time_machine):
    assert _run(time_machine, "2026-11-03 14:05:00+00:00") == 1
    assert _run(time_machine, "2026-11-03 14:20:00+00:00") == 0
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().day == datetime.date(2026, 11, 3)
    # The task itself is idempotent too (a worker retrying it sends nothing more).
    assert reminders.send_reminder.call(client_id=opted_in.client.pk, day="2026-11-03") is False
    assert len(mail.outbox) == 1


def test_email_has_no_clinical_content_and_a_working_stop_link(opted_in, time_machine, client):
    _run(time_machine, "2026-11-03 14:05:00+00:00")
    message = mail.outbox[0]
    assert message.to == ["casey@client.test"]
    assert "SECRET-STEP-TEXT" not in message.body + message.subject
    assert "Say hello" not in message.body
    link = next(line for line in message.body.splitlines() if "/reminders/stop/" in line)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert "Stop reminder emails?" in client.get(path).text  # no sign-in needed
    assert client.post(path).status_code == 200
    assert not ReminderPreference.objects.get(client=opted_in.client).email_enabled
    assert AuditEvent.objects.filter(client=opted_in.client, actor=None).exists()
    assert _run(time_machine, "2026-11-04 14:05:00+00:00") == 0


def test_tampered_stop_link_is_404(world, client):
    assert client.get(reverse("care:reminders_stop", args=["forged"])).status_code == 404


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 31 Oct, still daylight time (UTC−4): 09:00 local is 13:00 UTC.
        ("2026-10-31 12:55:00+00:00", 0),
        ("2026-10-31 13:05:00+00:00", 1),
        # 1 Nov, the change (UTC−5 from 06:00 UTC): 13:05 UTC is only 08:05 local.
        ("2026-11-01 13:05:00+00:00", 0),
        ("2026-11-01 14:05:00+00:00", 1),
    ],
)
def test_send_time_follows_the_clients_clock_across_dst(opted_in, time_machine, moment, expected):
    assert _run(time_machine, moment) == expected


def test_quiet_hours_win_over_the_send_time(opted_in, time_machine):
    ReminderPreference.objects.filter(client=opted_in.client).update(
        send_at=datetime.time(6, 0),
        quiet_start=datetime.time(22, 0),
        quiet_end=datetime.time(7, 30),
    )
    assert _run(time_machine, "2026-11-03 11:15:00+00:00") == 0  # 06:15 local, quiet
    assert _run(time_machine, "2026-11-03 12:35:00+00:00") == 1  # 07:35 local


def test_nothing_due_means_no_email(world, time_machine):
    services.reminder_preference_set(
        client=world.client,
        actor=world.client.user,
        email_enabled=True,
        send_at=datetime.time(9, 0),
        quiet_start=datetime.time(21, 0),
        quiet_end=datetime.time(8, 0),
        ip=None,
    )
    from outward.journal import services as journal_services

    time_machine.move_to("2026-11-03 12:00:00+00:00", tick=False)
    journal_services.check_in_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        mood=5,
        loneliness=5,
        meaningful_interactions=0,
        in_person=0,
        online=0,
    )
    _run(time_machine, "2026-11-03 14:05:00+00:00")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_not_opted_in_means_no_email(world, time_machine):
    assert _run(time_machine, "2026-11-03 14:05:00+00:00") == 0


@pytest.mark.parametrize(
    ("now", "start", "end", "quiet"),
    [
        ("23:00", "21:00", "08:00", True),
        ("07:59", "21:00", "08:00", True),
        ("08:00", "21:00", "08:00", False),
        ("13:00", "12:00", "14:00", True),
        ("14:00", "12:00", "14:00", False),
        ("03:00", "00:00", "00:00", False),
    ],
)
def test_quiet_hours_over_midnight(now, start, end, quiet):
    times = [datetime.time.fromisoformat(value) for value in (now, start, end)]
    assert reminders.in_quiet_hours(*times) is quiet


def test_settings_page(world):
    http = world.as_("client")
    url = reverse("care:my_reminders")
    assert "Quiet hours" in http.get(url).text
    response = http.post(
        url,
        {"email_enabled": "on", "send_at": "25:00", "quiet_start": "21:00", "quiet_end": "08:00"},
    )
    assert response.status_code == 200 and "Enter a valid time" in response.text
    assert not ReminderPreference.objects.exists()
    http.post(
        url,
        {"email_enabled": "on", "send_at": "07:30", "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    preference = ReminderPreference.objects.get()
    assert preference.email_enabled and preference.send_at == datetime.time(7, 30)
