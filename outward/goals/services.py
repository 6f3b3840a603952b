"""Writes for goals. Wins are noticed here, in the same transaction as what earned them."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client
from outward.lib.periods import CARE_DATES

from . import selectors
from .models import Goal, GoalCheckIn, GoalReview, Step, Win

GOAL_FIELDS = (
    "title",
    "specific",
    "measurable",
    "achievable",
    "relevant",
    "target_date",
    "cadence_count",
    "cadence_period",
    "counts_kind",
    "gas_minus2",
    "gas_minus1",
    "gas_0",
    "gas_plus1",
    "gas_plus2",
    "weight",
)


@transaction.atomic
def goal_create(
    *, client: Client, author: User, steps: list[str] = (), ip: str | None, **fields
) -> Goal:
    _check_dates(fields)
    goal = Goal(client=client, author=author, **fields)
    goal.full_clean()
    goal.save()
    for position, title in enumerate(steps):
        _step_save(Step(goal=goal, client=client, author=author, position=position, title=title))
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=goal, ip=ip
    )
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, actor: User, ip: str | None, status: str, **fields) -> Goal:
    _check_dates(fields)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.status = status
    care_services.record_saved(
        goal,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=[*fields, "status", "updated"],
    )
    return goal


def _check_dates(fields: dict) -> None:
    if fields.get("target_date") is not None:
        CARE_DATES.check(fields["target_date"], "target_date")


def _step_save(step: Step, update_fields=None) -> Step:
    if step.scheduled_for is not None:
        CARE_DATES.check(step.scheduled_for, "scheduled_for")
    step.full_clean()
    step.save(update_fields=update_fields)
    return step


@transaction.atomic
def step_add(
    *, goal: Goal, author: User, title: str, scheduled_for: datetime.date | None, ip: str | None
) -> Step:
    last = goal.steps.aggregate(last=Max("position"))["last"]
    step = _step_save(
        Step(
            goal=goal,
            client=goal.client,
            author=author,
            title=title,
            scheduled_for=scheduled_for,
            position=0 if last is None else last + 1,
        )
    )
    care_services.audit_record(
        actor=author, client=goal.client, action=AuditEvent.Action.CREATE, target=step, ip=ip
    )
    return step


@transaction.atomic
def step_update(
    *, step: Step, actor: User, title: str, scheduled_for: datetime.date | None, ip: str | None
) -> Step:
    step.title, step.scheduled_for = title, scheduled_for
    _step_save(step, update_fields=["title", "scheduled_for", "updated"])
    care_services.audit_record(
        actor=actor, client=step.client, action=AuditEvent.Action.UPDATE, target=step, ip=ip
    )
    return step


@transaction.atomic
def step_move(*, step: Step, actor: User, up: bool, ip: str | None) -> Step:
    """Swap a step with the one before (`up`) or after it. The goal's steps are numbered
    0, 1, 2... again on the way, so equal positions (older data) cannot stall a move."""
    steps = list(
        Step.objects.select_for_update().filter(goal_id=step.goal_id).order_by("position", "id")
    )
    index = next(i for i, each in enumerate(steps) if each.pk == step.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(steps):
        return step  # already first (or last): nothing to do
    steps[index], steps[other] = steps[other], steps[index]
    changed = []
    for position, each in enumerate(steps):
        if each.position != position:
            each.position = position
            changed.append(each)
    Step.objects.bulk_update(changed, ["position"])
    care_services.audit_record(
        actor=actor, client=step.client, action=AuditEvent.Action.UPDATE, target=step, ip=ip
    )
    return step


@transaction.atomic
def step_delete(*, step: Step, actor: User, ip: str | None) -> None:
    """Remove a step. A win it earned stays: it happened."""
    care_services.audit_record(
        actor=actor, client=step.client, action=AuditEvent.Action.DELETE, target=step, ip=ip
    )
    step.delete()


@transaction.atomic
def goal_delete(*, goal: Goal, actor: User, ip: str | None) -> None:
    """Remove a goal with its steps, taps and reviews. Wins stay (they happened); the audit
    log keeps who removed which goal."""
    care_services.audit_record(
        actor=actor, client=goal.client, action=AuditEvent.Action.DELETE, target=goal, ip=ip
    )
    goal.delete()


@transaction.atomic
def step_complete(*, step: Step, actor: User, ip: str | None) -> Step:
    """Mark a step done (once: a second tap changes nothing) and celebrate it."""
    step = Step.objects.select_for_update().select_related("goal", "client__user").get(pk=step.pk)
    if step.done_at is not None:
        return step
    step.done_at = timezone.now()
    step.save(update_fields=["done_at", "updated"])
    _win(step.client, Win.Kind.STEP, _("Done: %(step)s") % {"step": step.title}, f"step:{step.pk}")
    care_services.audit_record(
        actor=actor, client=step.client, action=AuditEvent.Action.UPDATE, target=step, ip=ip
    )
    happenings.announce(
        client=step.client,
        happening=happenings.Happening(
            "goals.step_done", step.client_id, step.done_at, step.title, f"goals.step:{step.pk}"
        ),
    )
    return step


@transaction.atomic
def step_reopen(*, step: Step, actor: User, ip: str | None) -> Step:
    """Undo a tap made by mistake; its win goes too."""
    step.done_at = None
    step.save(update_fields=["done_at", "updated"])
    Win.objects.filter(client=step.client, source=f"step:{step.pk}").delete()
    care_services.audit_record(
        actor=actor, client=step.client, action=AuditEvent.Action.UPDATE, target=step, ip=ip
    )
    return step


@transaction.atomic
def goal_did_it(*, goal: Goal, actor: User, ip: str | None) -> GoalCheckIn:
    """One tap: "I did it" toward a cadence goal."""
    tap = GoalCheckIn.objects.create(goal=goal, client=goal.client, author=actor)
    care_services.audit_record(
        actor=actor, client=goal.client, action=AuditEvent.Action.CREATE, target=tap, ip=ip
    )
    happenings.announce(
        client=goal.client,
        happening=happenings.Happening(
            "goals.did_it", goal.client_id, tap.occurred, goal.title, f"goals.checkin:{tap.pk}"
        ),
    )
    return tap


@transaction.atomic
def goal_review(
    *, goal: Goal, author: User, reviewed_on: datetime.date, level: int, note: str, ip: str | None
) -> GoalReview:
    CARE_DATES.check(reviewed_on, "reviewed_on")
    review = GoalReview(
        goal=goal,
        client=goal.client,
        author=author,
        reviewed_on=reviewed_on,
        level=level,
        note=note,
    )
    care_services.record_saved(review, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return review


@transaction.atomic
def win_create(*, client: Client, author: User, text: str, ip: str | None) -> Win:
    win = Win(client=client, author=author, kind=Win.Kind.OWN, text=text)
    care_services.record_saved(win, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    return win


@transaction.atomic
def win_acknowledge(*, win: Win, therapist: User, message: str, ip: str | None) -> Win:
    win.acknowledged_by = therapist
    win.acknowledgement = message
    win.acknowledged_at = timezone.now()
    care_services.record_saved(
        win,
        actor=therapist,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=["acknowledged_by", "acknowledgement", "acknowledged_at"],
    )
    return win


def _win(client: Client, kind: str, text: str, source: str, *, occurred=None) -> Win:
    """Record a noticed win once per source (a repeat of the same event adds nothing), when
    it happened (now, unless said)."""
    win, _created = Win.objects.get_or_create(
        client=client,
        source=source,
        defaults={"kind": kind, "text": text[:300], "occurred": occurred or timezone.now()},
    )
    return win


def on_happening(client: Client, happening: happenings.Happening) -> None:
    """Listener: a target met this period, a first time, or a win in the client's own words
    (a happening whose kind ends in ".win", e.g. the check-in's win of the week) is a win.
    Private happenings are the client's alone: they make no win the care team would see."""
    if happening.private:
        return
    if happening.kind.endswith(".win"):
        _win(client, Win.Kind.OWN, happening.summary, happening.source)
        return
    now = happening.occurred
    goals = list(
        Goal.objects.filter(client=client, status=Goal.Status.ACTIVE, cadence_count__isnull=False)
    )
    counting = [
        goal
        for goal in goals
        if happening.kind in ("goals.did_it", "goals.step_done")
        or goal.counts_kind == happening.kind
    ]
    progress = selectors.cadence_progress(
        goals=counting, time_zones={client.pk: client.user.time_zone}, now=now
    )
    for goal in counting:
        if progress[goal.pk].met:
            _win(
                client,
                Win.Kind.TARGET,
                _("Target met: “%(goal)s” %(period)s")
                % {"goal": goal.title, "period": progress[goal.pk].period_label},
                f"target:{goal.pk}:{selectors.period_key(goal, now)}",
            )
    if happening.kind != "goals.step_done":  # a finished step is its own win already
        label = happenings.kinds().get(happening.kind, happening.kind)
        _win(
            client,
            Win.Kind.FIRST,
            _("A first: you %(what)s") % {"what": label},
            f"{selectors.FIRST_SOURCE}{happening.kind}",
            occurred=happening.occurred,
        )
