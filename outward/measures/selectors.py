"""Reads for measures: what is due, scores over time, change from baseline, open alerts."""

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from outward.care import happenings
from outward.care.models import Client
from outward.lib.moments import moment_text
from outward.lib.rci import RELIABLY_DETERIORATED, RELIABLY_IMPROVED, Change

from . import catalog, fhir
from .definitions import CLINICAL_SAMPLE, ReliableChange
from .models import Assignment, CrisisInfo, CrisisLine, ReadinessCheck, Response, RiskAlert

HAPPENING_KINDS = {"measures.completed": gettext_lazy("answered a questionnaire")}
HISTORY_LIMIT = 100  # responses drawn on one measure page: years of weekly measures

DEFAULT_CRISIS_TEXT = gettext_lazy(
    "If you are in danger or thinking about harming yourself, please contact your local "
    "emergency services now, or call a crisis line. Outward is not monitored in real time, "
    "so your answers may not be seen straight away. Your care team has been told that "
    "something needs their attention."
)


def measure_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    return [
        happenings.Happening(
            "measures.completed", client_id, completed, "", f"measures.response:{pk}"
        )
        for pk, client_id, completed in _completed(client_ids, start, end).values_list(
            "pk", "client_id", "completed"
        )
    ]


def _completed(client_ids: Sequence[int], start, end) -> QuerySet[Response]:
    return Response.objects.filter(
        client_id__in=client_ids, completed__gte=start, completed__lt=end
    )


def measure_counts(client_id: int, start, end, own: bool) -> list:
    """`measure_happenings` counted."""
    return [happenings.count_rows(_completed([client_id], start, end), "measures.completed")]


def assignments_due(client: Client, day: datetime.date) -> QuerySet[Assignment]:
    """Active assignments due by `day`: Today's probe (is anything due?) and the start of
    `due_assignments`."""
    return Assignment.objects.filter(client=client, active=True, next_due__lte=day)


def due_assignments(*, client: Client, day: datetime.date) -> list[Assignment]:
    """Active assignments due by `day` of instruments the practice still offers (the
    practice's instruments are read only when something is due: most days nothing is)."""
    due = list(assignments_due(client, day).order_by("next_due", "pk"))
    if not due:
        return []
    offered = {definition.key for definition in catalog.offered(practice=client.practice)}
    return [assignment for assignment in due if assignment.instrument_key in offered]


def assignment_open(*, assignment: Assignment, today: datetime.date) -> bool:
    """Can the client answer it now: active, due (or already started), and still offered."""
    started = assignment.responses.filter(completed__isnull=True).exists()
    return (
        assignment.active
        and (assignment.next_due <= today or started)
        and catalog.is_offered(practice=assignment.client.practice, key=assignment.instrument_key)
    )


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    items = []
    for assignment in due_assignments(client=client, day=day):
        definition = catalog.instrument(assignment.instrument_key, practice=client.practice)
        if definition is None:
            continue
        items.append(
            happenings.DueItem(
                key=f"measure:{assignment.pk}:{assignment.next_due.isoformat()}",
                # Plain words for the client: no instrument code ("GAD-7") on their Today.
                title=_("A few questions about how you have been"),
                detail=ngettext(
                    "%(n)s question, a minute or two",
                    "%(n)s questions, a few minutes",
                    len(definition.items),
                )
                % {"n": len(definition.items)},
                open_url=reverse("measures:my_questionnaire", args=[assignment.pk]),
                order=0,
            )
        )
    return items


def open_alert_clients():
    """The clients with an open risk alert (from the `riskalert_open` index): care sorts the
    caseload, counts the header badge and guards the care team with them."""
    return RiskAlert.objects.filter(acknowledged_at__isnull=True).values("client_id")


def alerts_cell(clients: Sequence[Client], now) -> dict[int, happenings.Cell]:
    """The caseload's attention column: open risk alerts per client, in one query; the badge
    opens the client's alerts, where the answer is and where it is acknowledged. The clients'
    ids go into the query, not the objects (each would be taken apart again for its id)."""
    rows = (
        RiskAlert.objects.filter(
            client_id__in=[client.pk for client in clients], acknowledged_at__isnull=True
        )
        .values("client_id")
        .annotate(open=Count("pk"))
        .values_list("client_id", "open")
    )
    return {
        client_id: happenings.Cell(
            _("⚠ Needs attention"), url=reverse("measures:alerts", args=[client_id]), urgent=True
        )
        for client_id, count in rows
        if count
    }


def alert_notices(client: Client) -> list[happenings.Notice]:
    """The top of the client's Overview: each open alert, linking to the answer; otherwise a
    quiet link to the alert history if there is one. Two queries."""
    notices = [
        happenings.Notice(
            _("⚠ Risk alert open since %(when)s: a risk answer on %(instrument)s.")
            % {
                "when": moment_text(timezone.localtime(alert.created), zone=True),
                "instrument": instrument_name(alert.response.instrument_key, client.practice),
            },
            url=reverse("measures:alerts", args=[client.pk]) + f"#alert-{alert.pk}",
            link_text=_("See the answer and acknowledge"),
            urgent=True,
        )
        for alert in open_alerts(client=client)
    ]
    if not notices and RiskAlert.objects.filter(client=client).exists():
        notices.append(
            happenings.Notice(
                _("No open risk alerts."),
                url=reverse("measures:alerts", args=[client.pk]),
                link_text=_("Alert history"),
            )
        )
    return notices


def instrument_name(key: str, practice) -> str:
    definition = catalog.instrument(key, practice=practice)
    return definition.short_name if definition else key


def assignment_for_client(*, client: Client, assignment_id: int) -> Assignment:
    assignment = Assignment.objects.filter(client=client, pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def alert_for_client(*, client: Client, alert_id: int) -> RiskAlert:
    """An open alert of this client (an acknowledged one is not acknowledged again)."""
    alert = RiskAlert.objects.filter(
        client=client, pk=alert_id, acknowledged_at__isnull=True
    ).first()
    if alert is None:
        raise Http404
    return alert


def response_for_client(*, client: Client, response_id: int) -> Response:
    response = Response.objects.filter(
        client=client, pk=response_id, completed__isnull=False
    ).first()
    if response is None:
        raise Http404
    return response


def active_assignments(*, client: Client) -> QuerySet[Assignment]:
    return Assignment.objects.filter(client=client, active=True).order_by("next_due", "pk")


def open_alerts(*, client: Client) -> QuerySet[RiskAlert]:
    return RiskAlert.objects.filter(client=client, acknowledged_at__isnull=True).select_related(
        "response"
    )


def _risk_answers(alert: RiskAlert, definition) -> list[tuple]:
    """(question, option) of each risk answer the response gave."""
    if definition is None:
        return []
    answers = alert.response.answers
    item_ids = alert.response.risk_items or [
        item.id for item in definition.risk_items if item.is_risk_answer(answers.get(item.id))
    ]
    return [
        (definition.item(item_id), definition.item(item_id).option(answers.get(item_id)))
        for item_id in item_ids
    ]


def _described(alerts, practice) -> list[tuple]:
    definitions: dict[str, object] = {}  # one look-up per instrument, not per alert
    described = []
    for alert in alerts:
        key = alert.response.instrument_key
        if key not in definitions:
            definitions[key] = catalog.instrument(key, practice=practice)
        described.append((alert, definitions[key], _risk_answers(alert, definitions[key])))
    return described


def open_alerts_described(*, client: Client) -> list[tuple]:
    """Open alerts with their instrument and the risk answers given (question, option), so
    the care team sees what was answered."""
    return _described(open_alerts(client=client), client.practice)


def alert_history(*, client: Client) -> QuerySet[RiskAlert]:
    """Every alert of the client, open ones first, then newest first."""
    return (
        RiskAlert.objects.filter(client=client)
        .select_related("response", "acknowledged_by")
        .annotate(
            is_open=ExpressionWrapper(Q(acknowledged_at__isnull=True), output_field=BooleanField())
        )
        .order_by("-is_open", "-created", "-pk")
    )


def alerts_described(alerts, *, client: Client) -> list[tuple]:
    """One page of `alert_history` with each alert's instrument and risk answers."""
    return _described(alerts, client.practice)


def latest_by_instrument(*, client: Client) -> list[Response]:
    """The latest completed response to each instrument the client has answered: one query
    per instrument, and there are only a handful of instruments."""
    completed = Response.objects.filter(client=client, completed__isnull=False)
    keys = completed.order_by("instrument_key").values_list("instrument_key", flat=True).distinct()
    return [completed.filter(instrument_key=key).latest("completed") for key in keys]


@dataclass(frozen=True)
class History:
    responses: list[Response]  # oldest first, at most HISTORY_LIMIT (the latest ones)
    baseline: Response | None  # the client's first response to this instrument ever
    change: Change | None  # latest vs baseline, where published norms allow
    norm: ReliableChange | None = None  # the published figures `change` was computed with

    @property
    def summary(self) -> str:
        """The change in one sentence for the therapist, naming the norm it used, e.g. "From
        18 at baseline to 6 now (−12; a change of at least 3.2 is reliable, by the
        general-population SD 3.5 (German representative sample) and reliability 0.89):
        reliably improved, and past the published cut-off (recovered)."."""
        change = self.change
        if change is None or self.norm is None:
            return ""
        status = {
            RELIABLY_IMPROVED: _("reliably improved"),
            RELIABLY_DETERIORATED: _("reliably deteriorated"),
        }.get(change.status, _("no reliable change"))
        if self.norm.population == CLINICAL_SAMPLE:
            norm = _("clinical-sample SD %(sd)s (%(sample)s)")
        else:
            norm = _("general-population SD %(sd)s (%(sample)s)")
        norm %= {"sd": number_format(self.norm.sd), "sample": self.norm.sample}
        sentence = _(
            "From %(before)s at baseline to %(after)s now (%(difference)+g; a change of at least "
            "%(minimum).1f is reliable, by the %(norm)s and reliability %(reliability)s): "
            "%(status)s"
        ) % {
            "before": number_format(change.baseline),
            "after": number_format(change.latest),
            "difference": change.difference,
            "minimum": change.minimum_change,
            "norm": norm,
            "reliability": number_format(self.norm.reliability),
            "status": status,
        }
        if change.recovered:
            sentence += _(", and past the published cut-off (recovered)")
        return sentence + "."


def history(*, client: Client, instrument_key: str) -> History:
    definition = catalog.instrument(instrument_key, practice=client.practice)
    completed = Response.objects.filter(
        client=client, instrument_key=instrument_key, completed__isnull=False
    )
    responses = list(completed.order_by("-completed")[:HISTORY_LIMIT])
    responses.reverse()
    baseline = completed.order_by("completed").first()
    change = None
    scale = definition.primary if definition else None
    if scale and baseline and responses and responses[-1].pk != baseline.pk:
        before, after = scale_score(baseline, scale.key), scale_score(responses[-1], scale.key)
        if before is not None and after is not None:
            change = scale.classify_change(before, after)
    return History(responses, baseline, change, scale.rci if change else None)


def scale_score(response: Response, scale_key: str):
    """A stored score of one scale (as computed on submit), or None."""
    return response.scores.get("scales", {}).get(scale_key, {}).get("score")


def crisis_lines(*, practice) -> QuerySet[CrisisLine]:
    return CrisisLine.objects.filter(practice=practice).order_by("created", "pk")


def crisis_setup_notices(practice) -> list[happenings.Notice]:
    """Until the practice has set its local crisis lines, its admins are asked to."""
    if CrisisLine.objects.filter(practice=practice).exists():
        return []
    return [
        happenings.Notice(
            _(
                "Set up your local crisis lines: until you do, a client who gives a risk "
                "answer sees only generic advice, with no number to call."
            ),
            url=reverse("measures:practice_measures") + "#crisis",
            link_text=_("Set up crisis lines"),
            urgent=True,
        )
    ]


def crisis_line_for_admin(*, practice, line_id: int) -> CrisisLine:
    line = CrisisLine.objects.filter(practice=practice, pk=line_id).first()
    if line is None:
        raise Http404
    return line


def crisis_text_for_practice(*, practice) -> str:
    info = CrisisInfo.objects.filter(practice=practice).first()
    return info.text if info else str(DEFAULT_CRISIS_TEXT)


def crisis_text(*, client: Client) -> str:
    return crisis_text_for_practice(practice=client.practice)


def readiness_checks(*, client: Client) -> QuerySet[ReadinessCheck]:
    return (
        ReadinessCheck.objects.filter(client=client)
        .prefetch_related("answers", "rulers")
        .select_related("author")
        .order_by("-held_on", "-id")
    )


REPORT_RESPONSES_LIMIT = 1000  # responses a progress report reads for one period


def histories_between(
    *, client: Client, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[object, History]]:
    """For a progress report: each instrument answered in [start, end), with its definition
    and a History of the responses in the period whose change compares the latest of them
    with the client's first response ever (the baseline). Two queries, plus one for each
    instrument the practice imported rather than shipped."""
    completed = Response.objects.filter(client=client, completed__isnull=False)
    in_period = list(
        completed.filter(completed__gte=start, completed__lt=end).order_by(
            "instrument_key", "completed", "pk"
        )[:REPORT_RESPONSES_LIMIT]
    )
    by_key: dict[str, list[Response]] = {}
    for response in in_period:
        by_key.setdefault(response.instrument_key, []).append(response)
    first_ever = completed.filter(
        instrument_key=OuterRef("instrument_key"), completed__isnull=False
    ).order_by("completed", "pk")
    baselines = {
        response.instrument_key: response
        for response in completed.filter(
            instrument_key__in=list(by_key), pk=Subquery(first_ever.values("pk")[:1])
        )
    }
    found = []
    for key, responses in by_key.items():
        definition = catalog.instrument(key, practice=client.practice)
        if definition is None:
            continue
        baseline, change = baselines.get(key), None
        scale = definition.primary
        if scale and baseline and responses[-1].pk != baseline.pk:
            before, after = scale_score(baseline, scale.key), scale_score(responses[-1], scale.key)
            if before is not None and after is not None:
                change = scale.classify_change(before, after)
        found.append((definition, History(responses, baseline, change)))
    return sorted(found, key=lambda pair: pair[0].short_name)


def scale_band(response: Response, scale_key: str) -> str:
    """The band label stored with one scale's score (as computed on submit), or ""."""
    return response.scores.get("scales", {}).get(scale_key, {}).get("band") or ""


def fhir_bundle_pieces(client: Client, viewer) -> Iterator[str]:
    """The client's completed responses as one FHIR Bundle, for their data export. One query
    for the responses (read in chunks), one per imported instrument they answered."""
    known: dict[str, object] = {}

    def definition(key: str):
        if key not in known:
            known[key] = catalog.instrument(key, practice=client.practice)
        return known[key]

    responses = (
        Response.objects.filter(client=client, completed__isnull=False)
        .order_by("completed", "pk")
        .iterator(chunk_size=500)
    )
    return fhir.client_bundle_pieces(responses, definition=definition)
