"""Writes for plans to go: make a plan, prepare the first visit, say how it went. Going is
announced (care.happenings) so goals can count it and notice a win."""

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

from ..models import Plan, Resource
from . import selectors as plan_selectors

BEFORE_FIELDS = frozenset(
    {
        "what_to_expect",
        "arrival_plan",
        "opening_line",
        "opening_line_key",
        "predicted_anxiety",
        "feared_outcome",
    }
)
WENT_FIELDS = ("actual_anxiety", "enjoyment", "talked_to_someone", "reflection")
LINE_FIELDS = ("opening_line_used", "opening_line_worked")
MISSED_FIELDS = ("obstacle", "smaller_step")
RANGES = {"predicted_anxiety": 100, "actual_anxiety": 100, "enjoyment": 10}


def _check_ranges(plan: Plan) -> None:
    """Field errors for ratings out of range (the database's check constraint agrees)."""
    errors = {
        name: _("Choose a number from 0 to %(top)s.") % {"top": top}
        for name, top in RANGES.items()
        if getattr(plan, name) is not None and not 0 <= getattr(plan, name) <= top
    }
    if errors:
        raise ValidationError(errors)


def _only_before_fields(fields: dict) -> None:
    unknown = set(fields) - BEFORE_FIELDS
    if unknown:
        raise TypeError(f"not a field to prepare a plan with: {sorted(unknown)}")


def _picked_line(*, client: Client, actor: User, fields: dict, plan: Plan | None = None) -> None:
    """A line picked from a conversation starter takes the starter's words (asked of the
    skills room through care.happenings); one that is not the client's to pick is refused.
    Words typed without a pick are the client's own: the plan no longer names a starter."""
    key = fields.get("opening_line_key") or ""
    if key:
        line = happenings.opening_line(client=client, viewer=actor, key=key)
        if line is None:
            raise ValidationError(
                {"opening_line_key": _("This starter is not one you can pick. Choose another.")}
            )
        fields["opening_line"] = line.text
    elif "opening_line" in fields:
        unchanged = plan is not None and fields["opening_line"] == plan.opening_line
        fields["opening_line_key"] = plan.opening_line_key if unchanged else ""


@transaction.atomic
def plan_create(
    *,
    client: Client,
    resource: Resource,
    when: datetime.datetime,
    author: User,
    ip: str | None,
    **before_fields,
) -> Plan:
    """A plan to go to one meeting of a resource in the client's practice's directory."""
    _only_before_fields(before_fields)
    if resource.practice_id != client.practice_id:
        raise ValidationError({"resource": _("This group is not in the practice's directory.")})
    if timezone.is_naive(when):
        raise ValueError("a plan's time must be an aware datetime")
    if when <= timezone.now():
        raise ValidationError({"when": _("Choose a time that has not passed yet.")})
    CARE_DATES.check(when.date(), "when")  # its own day: converting 9999-12-31 would overflow
    _picked_line(client=client, actor=author, fields=before_fields)
    plan = Plan(client=client, resource=resource, author=author, when=when, **before_fields)
    _check_ranges(plan)
    care_services.record_saved(plan, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return plan


@transaction.atomic
def plan_update_before(*, plan: Plan, actor: User, ip: str | None, **fields) -> Plan:
    """Prepare the first visit: what to expect, the arrival plan, an opening line, and the
    prediction (how anxious, 0–100, and what might happen)."""
    _only_before_fields(fields)
    _picked_line(client=plan.client, actor=actor, fields=fields, plan=plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    _check_ranges(plan)
    plan.full_clean()
    plan.save(update_fields=[*sorted(fields), "updated"])
    care_services.audit_record(
        actor=actor, client=plan.client, action=AuditEvent.Action.UPDATE, target=plan, ip=ip
    )
    return plan


@transaction.atomic
def plan_report(
    *,
    plan: Plan,
    went: bool,
    actor: User,
    ip: str | None,
    actual_anxiety: int | None = None,
    enjoyment: int | None = None,
    talked_to_someone: bool | None = None,
    reflection: str = "",
    obstacle: str = "",
    smaller_step: str = "",
    opening_line_used: bool | None = None,
    opening_line_worked: bool | None = None,
) -> Plan:
    """Say how it went. Going can be reported once the plan's time has come; not going at any
    time. Not going gets a smaller next step (the one offered, unless the client wrote their
    own). A plan with an opening line also asks whether it was used and, if so, whether it
    worked (counted for the starter it came from). A report may be corrected; going is
    announced, and goals count it once."""
    now = timezone.now()
    if went and plan.when > now:
        raise ValidationError(_("This plan’s time has not come yet."))
    if went:
        plan.status = Plan.Status.WENT
        plan.actual_anxiety, plan.enjoyment = actual_anxiety, enjoyment
        plan.talked_to_someone, plan.reflection = talked_to_someone, reflection
        plan.obstacle, plan.smaller_step = "", ""
        has_line = bool(plan.opening_line)
        plan.opening_line_used = opening_line_used if has_line else None
        plan.opening_line_worked = opening_line_worked if plan.opening_line_used else None
    else:
        plan.opening_line_used, plan.opening_line_worked = None, None
        plan.status = Plan.Status.DID_NOT_GO
        plan.actual_anxiety, plan.enjoyment, plan.talked_to_someone = None, None, None
        plan.reflection = ""
        plan.obstacle = obstacle
        plan.smaller_step = smaller_step.strip() or plan_selectors.smaller_step_suggestion(
            plan.resource
        )
    plan.reported = now
    _check_ranges(plan)
    plan.full_clean()
    plan.save(
        update_fields=[
            "status",
            "reported",
            *WENT_FIELDS,
            *LINE_FIELDS,
            *MISSED_FIELDS,
            "updated",
        ]
    )
    care_services.audit_record(
        actor=actor, client=plan.client, action=AuditEvent.Action.UPDATE, target=plan, ip=ip
    )
    if went:
        happenings.announce(client=plan.client, happening=plan_selectors.went_happening(plan))
    return plan
