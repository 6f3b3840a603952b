"""A risk alert nobody acknowledges in the practice's time is escalated to its admins, once,
by an e-mail with no clinical content, through the alert queue."""

import datetime

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from outward.care.models import Practice
from outward.conftest import make_staff, raise_alert
from outward.measures import services
from outward.measures.models import RiskAlert

START = datetime.datetime(2026, 11, 3, 14, 0, tzinfo=datetime.UTC)


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.alerts_escalate()


def test_escalates_once_after_the_practice_time(world, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        alert = raise_alert(world.client)
        mail.outbox.clear()  # the care team's own notice
        traveller.shift(datetime.timedelta(hours=23, minutes=59))
        assert run(django_capture_on_commit_callbacks) == 0 and mail.outbox == []
        traveller.shift(datetime.timedelta(minutes=2))
        assert run(django_capture_on_commit_callbacks) == 1
        assert [message.to for message in mail.outbox] == [["ada@riverside.test"]]
        alert.refresh_from_db()
        assert alert.escalated_at == START + datetime.timedelta(hours=24, minutes=1)
        # Idempotent: cron runs again, nobody is told twice.
        traveller.shift(datetime.timedelta(hours=5))
        assert run(django_capture_on_commit_callbacks) == 0
        call_command("escalate_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert len(mail.outbox) == 1


def test_the_practice_sets_the_time(world, django_capture_on_commit_callbacks):
    world.as_("admin").post(
        reverse("care:practice"), {"alert_escalation_hours": "2", "require_two_factor": ""}
    )
    assert Practice.objects.get(pk=world.practice.pk).alert_escalation_hours == 2
    with time_machine.travel(START, tick=False) as traveller:
        raise_alert(world.client)
        traveller.shift(datetime.timedelta(hours=2, seconds=1))
        assert run(django_capture_on_commit_callbacks) == 1


def test_bad_times_are_refused(world):
    response = world.as_("admin").post(reverse("care:practice"), {"alert_escalation_hours": "0"})
    assert response.status_code == 200 and "greater than or equal to 1" in response.text
    assert Practice.objects.get(pk=world.practice.pk).alert_escalation_hours == 24


def test_acknowledged_alerts_and_other_practices_are_left_alone(
    world, django_capture_on_commit_callbacks
):
    make_staff(world.other_practice, "hal@hilltop.test", "Hal Admin", is_admin=True)
    with time_machine.travel(START, tick=False) as traveller:
        alert = raise_alert(world.client)
        services.alert_acknowledge(
            alert=alert, therapist=world.therapist.user, note="Phoned", ip=None
        )
        mail.outbox.clear()
        traveller.shift(datetime.timedelta(days=3))
        assert run(django_capture_on_commit_callbacks) == 0
        assert mail.outbox == []
        assert RiskAlert.objects.get().escalated_at is None


def test_the_email_has_no_clinical_content(world, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        raise_alert(world.client)
        mail.outbox.clear()
        traveller.shift(datetime.timedelta(days=2))
        run(django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    text = (message.subject + message.body).lower()
    for clinical in ["casey", "phq", "risk", "harm", "suicid", "answer", "tara", "question"]:
        assert clinical not in text
    assert "sign in" in text and "/practice/clients/" in text


def test_alert_emails_go_through_their_own_queue(settings):
    assert services.notify_attention.queue_name == settings.ALERT_TASK_QUEUE
    assert services.notify_escalation.queue_name == settings.ALERT_TASK_QUEUE
    assert settings.ALERT_TASK_QUEUE != "default"
    assert settings.ALERT_TASK_QUEUE in settings.TASKS["default"]["QUEUES"]


def test_the_alert_history_says_when_the_admin_was_told(world, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as traveller:
        raise_alert(world.client)
        traveller.shift(datetime.timedelta(days=2))
        run(django_capture_on_commit_callbacks)
    text = world.as_("therapist").get(reverse("measures:alerts", args=[world.client.pk])).text
    assert "the practice admins were told" in text


def test_with_no_therapist_to_tell_the_admins_are_told_at_once(
    world, django_capture_on_commit_callbacks
):
    from outward.care import services as care_services

    care_services.care_team_remove(
        client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(world.client, actor=world.therapist.user)
    assert [message.to for message in mail.outbox] == [["ada@riverside.test"]]
    alert.refresh_from_db()
    assert alert.escalated_at is not None
    assert run(django_capture_on_commit_callbacks) == 0 and len(mail.outbox) == 1
