"""The client answers a questionnaire on a phone, one question at a time."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from outward.measures import services
from outward.measures.models import Assignment, Response, RiskAlert

CALM = {str(n): 1 for n in range(1, 9)} | {"9": 0}  # PHQ-9 total 8: "Mild", no risk


def url(assignment):
    return reverse("measures:my_questionnaire", args=[assignment.pk])


def answer_all(http, assignment, answers):
    for item_id, code in answers.items():
        response = http.post(url(assignment), {"item": item_id, "answer": code})
        assert response.status_code == 302, response.text[:500]


def test_due_questionnaire_is_on_today(world, assignment):
    text = world.as_("client").get(reverse("care:today")).text
    assert "A few questions about how you have been" in text and url(assignment) in text


def test_one_question_at_a_time_with_progress_and_resume(world, assignment):
    http = world.as_("client")
    first = http.get(url(assignment)).text
    assert "Question 1 of 10" in first and "Little interest or pleasure in doing things" in first
    answer_all(http, assignment, {"1": 2, "2": 1})
    # Leaving and coming back resumes at the next question, with the answers kept.
    assert "Question 3 of 10" in world.as_("client").get(url(assignment)).text
    assert Response.objects.get().answers == {"1": 2, "2": 1}


def test_submit_scores_with_version_and_reschedules(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM | {"difficulty": 1})
    assert "Check your answers" in http.get(url(assignment)).text
    response = http.post(url(assignment), {"submit": "1"})
    assert response["Location"] == reverse("care:today")
    saved = Response.objects.get()
    assert saved.completed and saved.instrument_version == 1
    assert saved.scores["scales"]["total"]["score"] == 8
    assert saved.scores["scales"]["total"]["band"] == "Mild"
    assignment.refresh_from_db()
    assert assignment.next_due > datetime.date(2026, 11, 1) and assignment.active


def test_double_submit_makes_one_response(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM)
    http.post(url(assignment), {"submit": "1"})
    http.post(url(assignment), {"submit": "1"})
    assert Response.objects.filter(completed__isnull=False).count() == 1


def test_missing_answer_is_flagged_and_nothing_completes(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, {k: v for k, v in CALM.items() if k != "4"})
    response = http.post(url(assignment), {"submit": "1"})
    assert response["Location"].endswith("?item=4")
    page = http.get(response["Location"]).text
    assert (
        "Please answer this question." in page and "Feeling tired or having little energy" in page
    )
    assert not Response.objects.filter(completed__isnull=False).exists()


@pytest.mark.parametrize("code", ["7", "-1", "abc", ""])
def test_answer_not_in_the_definition_is_refused(world, assignment, code):
    response = world.as_("client").post(url(assignment), {"item": "1", "answer": code})
    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert Response.objects.get().answers == {}


def test_risk_answer_raises_alert_emails_care_team_and_shows_crisis_page(
    world, assignment, django_capture_on_commit_callbacks
):
    http = world.as_("client")
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(http, assignment, {k: v for k, v in CALM.items() if k != "9"})
        response = http.post(url(assignment), {"item": "9", "answer": 2})
    assert response["Location"] == reverse("measures:my_crisis") + f"?assignment={assignment.pk}"
    http.post(url(assignment), {"submit": "1"})
    crisis = http.get(response["Location"]).text
    assert "emergency services" in crisis and "not monitored in real time" in crisis
    alert = RiskAlert.objects.get()
    assert alert.client == world.client and alert.acknowledged_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tara@riverside.test"]
    body = message.subject + message.body
    for clinical in ["Casey", "PHQ", "hurting", "9"]:
        assert clinical not in body.replace("needs your attention", "")
    caseload = world.as_("therapist").get(reverse("care:caseload")).text
    assert "Needs attention" in caseload


def test_therapist_acknowledges_the_alert_with_a_note(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM | {"9": 1})
    http.post(url(assignment), {"submit": "1"})
    alert = RiskAlert.objects.get()
    ack = reverse("measures:alert_acknowledge", args=[world.client.pk, alert.pk])
    therapist = world.as_("therapist")
    therapist.post(ack, {"note": ""})
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    therapist.post(ack, {"note": "Phoned the client; safety plan reviewed."})
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.therapist.user and alert.note.startswith("Phoned")
    from outward.care.models import AuditEvent

    assert AuditEvent.objects.filter(target=f"riskalert:{alert.pk}", action="update").exists()
    assert "Needs attention" not in therapist.get(reverse("care:caseload")).text


def test_practice_crisis_text_is_used(world, assignment):
    services.crisis_text_set(practice=world.practice, text="Call the Riverside line: 0800 000 000")
    assert "Riverside line" in world.as_("client").get(reverse("measures:my_crisis")).text


def test_once_assignment_is_done_after_one_completion(world):
    once = services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="gad7",
        every_days=None,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )
    http = world.as_("client")
    answer_all(http, once, {str(n): 0 for n in range(1, 8)})
    http.post(url(once), {"submit": "1"})
    once.refresh_from_db()
    assert not once.active
    assert http.get(url(once))["Location"] == reverse("care:today")
    assert Assignment.objects.filter(active=True).count() == 0


def test_an_optional_question_can_be_skipped(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM)
    page = http.get(url(assignment)).text
    assert "how difficult have these problems made it" in page
    assert http.post(url(assignment), {"item": "difficulty"}).status_code == 302
    assert "skipped" in http.get(url(assignment)).text
    http.post(url(assignment), {"submit": "1"})
    saved = Response.objects.get()
    assert saved.completed and saved.answers["difficulty"] is None


def test_alert_names_the_question_and_answer_for_the_care_team(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM | {"9": 1})
    http.post(url(assignment), {"submit": "1"})
    text = world.as_("therapist").get(reverse("measures:measures", args=[world.client.pk])).text
    assert "A risk answer on PHQ-9" in text
    assert "Thoughts that you would be better off dead" in text and "Several days" in text


def test_a_risk_answer_alerts_at_once_even_if_never_sent(
    world, assignment, django_capture_on_commit_callbacks
):
    http = world.as_("client")
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(url(assignment), {"item": "9", "answer": 2})
    assert response["Location"] == reverse("measures:my_crisis") + f"?assignment={assignment.pk}"
    assert RiskAlert.objects.count() == 1
    assert len(mail.outbox) == 1
    answer_all(http, assignment, {k: v for k, v in CALM.items() if k != "9"})
    http.post(url(assignment), {"submit": "1"})
    assert RiskAlert.objects.count() == 1 and len(mail.outbox) == 1  # once per response


def test_a_mail_failure_does_not_stop_the_crisis_page(
    world, assignment, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {"BACKEND": "outward.measures.tests.test_questionnaire_flow.Broken"}
    }
    http = world.as_("client")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = http.post(url(assignment), {"item": "9", "answer": 1})
    assert len(callbacks) == 1  # the e-mail task was enqueued (and failed in the worker)
    assert response["Location"].startswith(reverse("measures:my_crisis"))
    assert RiskAlert.objects.count() == 1


class Broken:
    def __init__(self, *args, **kwargs):
        raise ConnectionError("mail server down")


def test_not_due_yet_and_switched_off_instruments_cannot_be_answered(world, assignment):
    http = world.as_("client")
    answer_all(http, assignment, CALM)
    http.post(url(assignment), {"submit": "1"})
    assert http.get(url(assignment))["Location"] == reverse("care:today")  # due again in 14 days
    later = services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="gad7",
        every_days=None,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )
    services.instrument_set_enabled(
        practice=world.practice, key="gad7", enabled=False, actor=world.admin.user
    )
    assert http.get(url(later))["Location"] == reverse("care:today")
    assert url(later) not in http.get(reverse("care:today")).text


def test_an_answer_to_a_question_not_shown_is_ignored(world, assignment):
    world.as_("client").post(url(assignment), {"item": "zzz", "answer": 1})
    assert Response.objects.get().answers == {}
