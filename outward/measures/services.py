"""Writes for measures. Scores are computed once, on submit, from the definition version the
client answered; risk answers raise an alert and notify the care team in the same transaction."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import (
    AuditEvent,
    CareTeamMember,
    Client,
    Membership,
    Practice,
    SecurityEvent,
)
from outward.lib.periods import CARE_DATES
from outward.lib.scoring import AnswerError, answer_errors, score

from . import catalog, fhir, readiness
from .models import (
    Assignment,
    CrisisInfo,
    CrisisLine,
    ImportedInstrument,
    InstrumentSetting,
    ReadinessAnswer,
    ReadinessCheck,
    ReadinessRuler,
    Response,
    RiskAlert,
)


@transaction.atomic
def instrument_set_enabled(
    *, practice: Practice, key: str, enabled: bool, actor: User, ip: str | None = None
) -> None:
    definition = catalog.instrument(key, practice=practice)
    if definition is None:
        raise ValidationError(_("There is no instrument %(key)s.") % {"key": key})
    was = catalog.is_offered(practice=practice, key=key)
    InstrumentSetting.objects.update_or_create(
        practice=practice,
        instrument_key=key,
        defaults={"enabled": enabled, "changed_by": actor, "changed": timezone.now()},
    )
    care_services.security_change_record(
        practice=practice,
        actor=actor,
        action=SecurityEvent.Action.LICENCE_SWITCH,
        target=key,
        before=care_services.on_off(was),
        after=care_services.on_off(enabled),
        ip=ip,
    )


@transaction.atomic
def instrument_import(
    *, practice: Practice, questionnaire: object, source: str, actor: User, ip: str | None = None
) -> ImportedInstrument:
    """A FHIR Questionnaire (parsed JSON) imported as a new instrument of the practice, off
    until an admin confirms its licence and switches it on. Raises fhir.FhirImportError saying
    why Outward cannot score it; then nothing is saved."""
    # One import at a time per practice, so the key chosen below is still free when saved.
    list(Practice.objects.select_for_update().filter(pk=practice.pk).values_list("pk"))
    taken = set(ImportedInstrument.objects.filter(practice=practice).values_list("key", flat=True))
    definition = fhir.instrument_from_questionnaire(questionnaire, source=source, taken_keys=taken)
    imported = ImportedInstrument(
        practice=practice,
        key=definition.key,
        version=definition.version,
        definition=definition.as_dict(),
        imported_by=actor,
    )
    imported.full_clean()
    imported.save()
    care_services.security_event_record(
        practice=practice,
        actor=actor,
        action=SecurityEvent.Action.FHIR_IMPORT,
        target=f"{definition.key} v{definition.version}",
        after=source,
        ip=ip,
    )
    return imported


def _crisis_change(
    *, practice: Practice, actor: User | None, ip: str | None, target: str, before="", after=""
) -> None:
    """What a client in crisis is shown changed: the practice's security log keeps who, what
    and when (the crisis text and lines are practice information, not clinical content)."""
    care_services.security_event_record(
        practice=practice,
        actor=actor,
        action=SecurityEvent.Action.CRISIS_TEXT_EDIT,
        target=target,
        before=before,
        after=after,
        ip=ip,
    )


def _line_label(line: CrisisLine) -> str:
    return f"{line.name}, {line.number}, {line.hours}"


@transaction.atomic
def crisis_text_set(
    *, practice: Practice, text: str, actor: User | None = None, ip: str | None = None
) -> CrisisInfo:
    info, _created = CrisisInfo.objects.get_or_create(practice=practice, defaults={"text": ""})
    was = info.text
    info.text = text
    info.full_clean()
    info.save()
    if was != text:
        _crisis_change(
            practice=practice, actor=actor, ip=ip, target="crisis text", before=was, after=text
        )
    return info


@transaction.atomic
def crisis_line_add(
    *, practice: Practice, actor: User, name: str, number: str, hours: str, ip: str | None = None
) -> CrisisLine:
    line = CrisisLine(
        practice=practice, name=name, number=number.strip(), hours=hours, created_by=actor
    )
    line.full_clean()
    line.save()
    _crisis_change(
        practice=practice, actor=actor, ip=ip, target="crisis line added", after=_line_label(line)
    )
    return line


@transaction.atomic
def crisis_line_remove(*, line: CrisisLine, actor: User, ip: str | None = None) -> None:
    practice, label = line.practice, _line_label(line)
    line.delete()
    _crisis_change(
        practice=practice, actor=actor, ip=ip, target="crisis line removed", before=label
    )


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    actor: User,
    instrument_key: str,
    every_days: int | None,
    first_due: datetime.date,
    ip: str | None,
) -> Assignment:
    if not catalog.is_offered(practice=client.practice, key=instrument_key):
        raise ValidationError(_("This questionnaire is not offered by your practice."))
    CARE_DATES.check(first_due, "first_due")
    assignment = Assignment(
        client=client,
        instrument_key=instrument_key,
        assigned_by=actor,
        every_days=every_days,
        next_due=first_due,
    )
    care_services.record_saved(assignment, actor=actor, action=AuditEvent.Action.CREATE, ip=ip)
    return assignment


@transaction.atomic
def assignment_stop(*, assignment: Assignment, actor: User, ip: str | None) -> None:
    assignment.active = False
    assignment.save(update_fields=["active"])
    care_services.audit_record(
        actor=actor,
        client=assignment.client,
        action=AuditEvent.Action.UPDATE,
        target=assignment,
        ip=ip,
    )


def _check_answers(instrument, answers: dict) -> None:
    """Refuse an item or option code the definition does not have (naming the item)."""
    errors = answer_errors(instrument, answers)
    if errors:
        raise errors[0]


def _check_complete(instrument, answers: dict) -> None:
    missing = score(instrument, answers).missing_required
    if missing:
        raise AnswerError(missing[0], _("Please answer this question."))


@transaction.atomic
def response_in_progress(*, assignment: Assignment, actor: User) -> Response:
    """The client's unfinished response to this assignment, started if there is none: leaving
    and coming back resumes it."""
    definition = catalog.instrument(assignment.instrument_key, practice=assignment.client.practice)
    response, _created = Response.objects.get_or_create(
        assignment=assignment,
        completed=None,
        defaults={
            "client": assignment.client,
            "instrument_key": assignment.instrument_key,
            "instrument_version": definition.version,
            "entered_by": actor,
        },
    )
    return response


@transaction.atomic
def response_answer(*, response: Response, item_id: str, code: int | None) -> Response:
    """Keep one answer of an unfinished response (raises AnswerError for a code or item that
    is not in the definition)."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.completed is not None:
        return response
    definition = catalog.instrument(response.instrument_key, practice=response.client.practice)
    _check_answers(definition, {item_id: code})
    response.answers = {**response.answers, item_id: code}
    response.save(update_fields=["answers"])
    if definition.item(item_id).is_risk_answer(code):
        # A risk answer alerts the care team at once, not only when the client sends.
        _raise_alert(response)
    return response


@transaction.atomic
def response_submit(*, response: Response, actor: User, ip: str | None) -> Response:
    """Score and complete an unfinished response (a second submit changes nothing). Raises
    AnswerError naming the first unanswered question."""
    response = (
        Response.objects.select_for_update().select_related("client__practice").get(pk=response.pk)
    )
    if response.completed is not None:
        return response
    definition = catalog.instrument(response.instrument_key, practice=response.client.practice)
    _check_complete(definition, response.answers)
    return _complete(response, definition, actor=actor, ip=ip)


@transaction.atomic
def response_enter(
    *,
    client: Client,
    instrument_key: str,
    answers: dict[str, int],
    actor: User,
    ip: str | None,
    submission_key: uuid.UUID | None = None,
) -> Response:
    """Answers given in session, typed in by the therapist all at once. The form's one-time
    `submission_key` makes a double submit save one response."""
    if submission_key is not None:
        earlier = Response.objects.filter(submission_key=submission_key, client=client).first()
        if earlier is not None:
            return earlier
    definition = catalog.instrument(instrument_key, practice=client.practice)
    _check_answers(definition, answers)
    _check_complete(definition, answers)
    response = Response.objects.create(
        client=client,
        instrument_key=instrument_key,
        instrument_version=definition.version,
        answers=answers,
        entered_by=actor,
        submission_key=submission_key,
    )
    return _complete(response, definition, actor=actor, ip=ip)


def _complete(response: Response, definition, *, actor: User, ip: str | None) -> Response:
    result = score(definition, response.answers)
    response.scores = result.as_dict()
    response.risk_items = list(result.risk_items)
    response.completed = timezone.now()
    response.save(update_fields=["scores", "risk_items", "completed"])
    assignment = response.assignment
    if assignment is not None:
        if assignment.every_days:
            assignment.next_due = timezone.localdate() + datetime.timedelta(
                days=assignment.every_days
            )
            assignment.save(update_fields=["next_due"])
        else:
            assignment.active = False
            assignment.save(update_fields=["active"])
    care_services.audit_record(
        actor=actor, client=response.client, action=AuditEvent.Action.CREATE, target=response, ip=ip
    )
    if response.risk_items:
        _raise_alert(response)
    return response


def _raise_alert(response: Response) -> RiskAlert:
    """Open the response's alert (once) and tell the care team, through the task worker so
    that a mail server's trouble never stands between the client and the crisis page. With
    no therapist to tell, the practice admins are told at once instead of after the
    practice's escalation time."""
    alert, created = RiskAlert.objects.get_or_create(client=response.client, response=response)
    if created:
        emails = list(
            CareTeamMember.objects.filter(
                client=response.client,
                therapist__is_active=True,
                therapist__is_therapist=True,
                therapist__user__is_active=True,
            ).values_list("therapist__user__email", flat=True)
        )
        for email in emails:
            transaction.on_commit(lambda email=email: notify_attention.enqueue(email=email))
        if not emails:
            _escalate_practice(
                response.client.practice_id, RiskAlert.objects.filter(pk=alert.pk), timezone.now()
            )
    return alert


@task(queue_name=settings.ALERT_TASK_QUEUE, priority=50)
def notify_attention(*, email: str) -> None:
    """Nothing clinical: not who, not what, only that something needs attention."""
    link = settings.SITE_URL + reverse("care:caseload")
    send_mail(
        subject=_("Something in Outward needs your attention"),
        message=_("Something in Outward needs your attention. Please sign in to see it:")
        + f"\n\n{link}",
        from_email=None,
        recipient_list=[email],
    )


def alerts_escalate(*, now: datetime.datetime | None = None) -> int:
    """Tell each practice's admins, once, about risk alerts nobody acknowledged within the
    practice's time. Idempotent and safe to run from cron (`outward escalate_alerts`): an
    alert is marked escalated in the same transaction that queues the e-mails, so a second
    run, or two at once, tells no one twice. Returns how many alerts were escalated."""
    now = now or timezone.now()
    waiting = RiskAlert.objects.filter(acknowledged_at__isnull=True, escalated_at__isnull=True)
    practices = Practice.objects.filter(pk__in=waiting.values("client__practice_id")).values_list(
        "pk", "alert_escalation_hours"
    )
    escalated = 0
    for practice_id, hours in practices:
        escalated += _escalate_practice(
            practice_id, waiting.filter(created__lte=now - datetime.timedelta(hours=hours)), now
        )
    return escalated


@transaction.atomic
def _escalate_practice(practice_id: int, overdue, now: datetime.datetime) -> int:
    ids = list(overdue.filter(client__practice_id=practice_id).values_list("pk", flat=True))
    # The update re-checks the condition under the row lock, so of two runs at once only the
    # first marks (and e-mails about) an alert.
    marked = RiskAlert.objects.filter(pk__in=ids, escalated_at__isnull=True).update(
        escalated_at=now
    )
    if marked:
        admins = Membership.objects.filter(
            practice_id=practice_id, is_admin=True, is_active=True, user__is_active=True
        ).values_list("user__email", flat=True)
        for email in admins:
            transaction.on_commit(lambda email=email: notify_escalation.enqueue(email=email))
    return marked


@task(queue_name=settings.ALERT_TASK_QUEUE, priority=50)
def notify_escalation(*, email: str) -> None:
    """To a practice admin. Nothing clinical: not who, not what, only that a client's record
    needs attention that it has not had in time."""
    link = settings.SITE_URL + reverse("care:practice_clients")
    send_mail(
        subject=_("A client's record in Outward needs attention"),
        message=_(
            "Something on a client's record in Outward has waited longer than your practice "
            "allows for a therapist to see it. Please sign in and check that someone on the "
            "care team does:"
        )
        + f"\n\n{link}",
        from_email=None,
        recipient_list=[email],
    )


@transaction.atomic
def alert_acknowledge(*, alert: RiskAlert, therapist: User, note: str, ip: str | None) -> RiskAlert:
    alert = RiskAlert.objects.select_for_update().select_related("client").get(pk=alert.pk)
    if alert.acknowledged_at is not None:  # a colleague got there first; keep their note
        return alert
    alert.acknowledged_by = therapist
    alert.acknowledged_at = timezone.now()
    alert.note = note
    care_services.record_saved(
        alert,
        actor=therapist,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=["acknowledged_by", "acknowledged_at", "note"],
    )
    return alert


@transaction.atomic
def readiness_record(
    *,
    client: Client,
    author: User,
    held_on: datetime.date,
    answers: dict[str, str],
    rulers: dict[str, tuple[int, int]],
    focus_area: str,
    focus_note: str,
    ip: str | None,
) -> ReadinessCheck:
    if focus_area and focus_area not in dict(readiness.AREAS):
        raise ValidationError(_("Choose one of the areas."))
    CARE_DATES.check(held_on, "held_on")
    check = ReadinessCheck(
        client=client, author=author, held_on=held_on, focus_area=focus_area, focus_note=focus_note
    )
    check.full_clean()
    check.save()
    ReadinessAnswer.objects.bulk_create(
        ReadinessAnswer(readiness=check, question=key, text=text)
        for key, text in answers.items()
        if text
    )
    ReadinessRuler.objects.bulk_create(
        ReadinessRuler(readiness=check, area=area, importance=importance, confidence=confidence)
        for area, (importance, confidence) in rulers.items()
    )
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=check, ip=ip
    )
    return check
