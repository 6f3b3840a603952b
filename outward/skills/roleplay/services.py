"""Writes for role-play and rehearsal. A rehearsal is audited and announced as a happening
(goals count it toward cadences and a first one is a win); a client's first rehearsal of a
scenario is a win of its own."""

from django.db import transaction
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice

from ..models import Rehearsal, Scenario, ScenarioAdaptation
from . import selectors

SCENARIO_FIELDS = (
    "title",
    "setting",
    "intensity",
    "situation",
    "aim",
    "role_card",
    "warm",
    "neutral",
    "busy",
    "opening_lines",
    "debrief_questions",
)
ADAPTATION_FIELDS = ("situation", "aim", "role_card", "opening_lines")


@transaction.atomic
def practice_scenario_create(*, practice: Practice, author: User, **fields) -> Scenario:
    """A scenario for the practice's therapists to use with any of its clients."""
    if set(fields) != set(SCENARIO_FIELDS):
        raise TypeError(f"scenario fields: {sorted(set(fields) ^ set(SCENARIO_FIELDS))}")
    scenario = Scenario(practice=practice, author=author, **fields)
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
def practice_scenario_update(*, scenario: Scenario, actor: User, **changes) -> Scenario:
    """Change a practice scenario (any therapist of the practice may: it is shared work);
    `author` stays who first wrote it. Rehearsals keep its key, so they follow the change."""
    if set(changes) - set(SCENARIO_FIELDS):
        raise TypeError(f"not a scenario field: {sorted(set(changes) - set(SCENARIO_FIELDS))}")
    for name, value in changes.items():
        setattr(scenario, name, value)
    scenario.full_clean()
    scenario.save(update_fields=[*changes, "updated"])
    return scenario


@transaction.atomic
def scenario_adapt(
    *, client: Client, actor: User, scenario_key: str, ip: str | None, **fields
) -> ScenarioAdaptation:
    """Set the care team's version of a scenario for one client (blank fields keep the
    scenario's own words). The key must name a scenario of the library or the practice."""
    if set(fields) != set(ADAPTATION_FIELDS):
        raise TypeError(f"adaptation fields: {sorted(set(fields) ^ set(ADAPTATION_FIELDS))}")
    selectors.scenario_original(practice=client.practice, key=scenario_key)  # 404 if none
    row = ScenarioAdaptation.objects.filter(client=client, scenario_key=scenario_key).first()
    created = row is None
    if created:
        row = ScenarioAdaptation(client=client, author=actor, scenario_key=scenario_key)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    care_services.audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=row,
        ip=ip,
    )
    return row


@transaction.atomic
def rehearsal_record(*, client: Client, author: User, ip: str | None, **fields) -> Rehearsal:
    """Save one rehearsal (of a scenario or a starter; `fields` are Rehearsal's: mode, the key,
    setting, roles, seconds, times_said, the confidence ratings and the client's words), audit
    it and announce it. The rules (one key, ratings 0–10, a known setting) are the model's."""
    rehearsal = Rehearsal(client=client, author=author, **fields)
    rehearsal.full_clean()
    first = bool(rehearsal.scenario_key) and not (
        Rehearsal.objects.filter(client=client, scenario_key=rehearsal.scenario_key).exists()
    )
    rehearsal.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=rehearsal, ip=ip
    )
    happenings.announce(client=client, happening=selectors.rehearsal_happening(rehearsal))
    if first:
        text = selectors.scenario_texts(
            practice=client.practice, keys=[rehearsal.scenario_key]
        ).get(rehearsal.scenario_key)
        title = text.title if text else rehearsal.scenario_key
        happenings.announce(
            client=client,
            happening=happenings.Happening(
                selectors.REHEARSAL_WIN,
                client.pk,
                rehearsal.occurred,
                _("Rehearsed “%(title)s” for the first time") % {"title": title},
                f"skills.scenario:{rehearsal.scenario_key}",
            ),
        )
    return rehearsal
