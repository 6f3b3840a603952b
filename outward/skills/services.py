"""Writes for the skills room. Every change is audited like the other rooms' records."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client
from outward.lib.periods import CARE_DATES

from . import selectors
from .models import Exposure, FearLadder, Rung, RungDecision


@transaction.atomic
def ladder_create(*, client: Client, author: User, title: str, ip: str | None) -> FearLadder:
    ladder = FearLadder(client=client, author=author, title=title)
    ladder.full_clean()
    ladder.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=ladder, ip=ip
    )
    return ladder


# --- Exposures (issue 9) ----------------------------------------------------------------------

BEFORE_FIELDS = ("prediction", "likelihood", "expected_suds", "safety_behaviours")
AFTER_FIELDS = ("suds_start", "suds_peak", "suds_end", "what_happened", "came_true", "learned")
RATINGS = ("likelihood", "expected_suds", "suds_start", "suds_peak", "suds_end")


def _check(exposure: Exposure, *, logging: bool) -> None:
    """The rules again, whoever calls: ratings 0–100 (the database agrees), a prediction in
    words, a peak when the attempt is logged, an attempt at one of the client's own rungs."""
    errors = {}
    for name in RATINGS:
        value = getattr(exposure, name)
        if value is not None and not 0 <= value <= 100:
            errors[name] = _("Choose a number from 0 to 100.")
    if not (exposure.prediction or "").strip():
        errors["prediction"] = _("Write down what you fear will happen, in your own words.")
    if logging and exposure.suds_peak is None:
        errors["suds_peak"] = _("How anxious were you at the highest point (0–100)?")
    if exposure.rung.client_id != exposure.client_id:
        errors["rung"] = _("This step is not on your ladder.")
    if exposure.planned_for is not None:
        CARE_DATES.check(exposure.planned_for, "planned_for")
    if errors:
        raise ValidationError(errors)


def _announce_attempt(exposure: Exposure) -> None:
    """An attempt counts toward goal cadences (and is a first, once)."""
    happenings.announce(client=exposure.client, happening=selectors.exposure_happening(exposure))


def _practising(rung: Rung) -> None:
    if rung.status == Rung.Status.NOT_TRIED:
        rung.status = Rung.Status.PRACTISING
        rung.save(update_fields=["status", "updated"])


@transaction.atomic
def exposure_plan(
    *,
    rung: Rung,
    author: User,
    planned_for: datetime.date,
    ip: str | None,
    prediction: str,
    likelihood: int,
    expected_suds: int,
    safety_behaviours: str = "",
) -> Exposure:
    """Plan an attempt at a rung for a day: the "before" half. It shows on Today that day."""
    if planned_for is None:
        raise ValidationError({"planned_for": _("Choose the day you plan to try it.")})
    exposure = Exposure(
        client=rung.client,
        rung=rung,
        author=author,
        planned_for=planned_for,
        prediction=prediction,
        likelihood=likelihood,
        expected_suds=expected_suds,
        safety_behaviours=safety_behaviours,
    )
    _check(exposure, logging=False)
    exposure.full_clean()
    exposure.save()
    care_services.audit_record(
        actor=author, client=rung.client, action=AuditEvent.Action.CREATE, target=exposure, ip=ip
    )
    return exposure


@transaction.atomic
def exposure_log(
    *,
    rung: Rung,
    author: User,
    ip: str | None,
    occurred: datetime.datetime | None = None,
    **fields,
) -> Exposure:
    """Log an attempt afterwards, before and after halves at once."""
    unknown = set(fields) - {*BEFORE_FIELDS, *AFTER_FIELDS}
    if unknown:
        raise TypeError(f"not an exposure field: {sorted(unknown)}")
    exposure = Exposure(
        client=rung.client, rung=rung, author=author, occurred=occurred or timezone.now(), **fields
    )
    _check(exposure, logging=True)
    exposure.full_clean()
    exposure.save()
    _practising(rung)
    care_services.audit_record(
        actor=author, client=rung.client, action=AuditEvent.Action.CREATE, target=exposure, ip=ip
    )
    _announce_attempt(exposure)
    return exposure


@transaction.atomic
def exposure_complete(*, exposure: Exposure, actor: User, ip: str | None, **after) -> Exposure:
    """Say how a planned attempt went: the "after" half. Logged once; a second post is refused
    (the attempt already counted)."""
    unknown = set(after) - set(AFTER_FIELDS)
    if unknown:
        raise TypeError(f"not an after field: {sorted(unknown)}")
    exposure = (
        Exposure.objects.select_for_update().select_related("rung", "client").get(pk=exposure.pk)
    )
    if exposure.is_logged:
        raise ValidationError(_("This attempt is already logged."))
    for name, value in after.items():
        setattr(exposure, name, value)
    exposure.occurred = timezone.now()
    _check(exposure, logging=True)
    exposure.full_clean()
    exposure.save(update_fields=[*after, "occurred", "updated"])
    _practising(exposure.rung)
    care_services.audit_record(
        actor=actor, client=exposure.client, action=AuditEvent.Action.UPDATE, target=exposure, ip=ip
    )
    _announce_attempt(exposure)
    return exposure


@transaction.atomic
def rung_decide(
    *, rung: Rung, therapist: User, decision: str, note: str = "", ip: str | None
) -> RungDecision:
    """The therapist's word on moving up. Done: the rung is finished, a win for the client.
    Keep practising: the suggestion rests until the next attempt."""
    rung = Rung.objects.select_for_update().select_related("client").get(pk=rung.pk)
    if rung.status == Rung.Status.DONE:
        raise ValidationError(_("This step is already done."))
    attempts = selectors.attempt_count(rung=rung)
    record = RungDecision(
        client=rung.client,
        author=therapist,
        rung=rung,
        decision=decision,
        attempts_seen=attempts,
        note=note,
    )
    record.full_clean()
    record.save()
    care_services.audit_record(
        actor=therapist, client=rung.client, action=AuditEvent.Action.CREATE, target=record, ip=ip
    )
    if decision == RungDecision.Decision.DONE:
        rung.status, rung.done_at = Rung.Status.DONE, timezone.now()
        rung.full_clean()
        rung.save(update_fields=["status", "done_at", "updated"])
        care_services.audit_record(
            actor=therapist, client=rung.client, action=AuditEvent.Action.UPDATE, target=rung, ip=ip
        )
        # Goals' listener turns a ".win" happening into a win (the client's own words kind).
        happenings.announce(client=rung.client, happening=selectors.rung_win(rung))
    return record
