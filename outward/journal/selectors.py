"""Reads for the journal. A client's private notes and private contacts never leave here for
anyone but the client: each selector takes the viewer and `for_viewer` (care.records) drops
what they may not see, so no caller has to remember to ask."""

import datetime
from collections.abc import Sequence

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care import happenings
from outward.care.models import Client
from outward.care.records import Visibility
from outward.lib.periods import local_date

from .models import CheckIn, CheckInSchedule, Contact

HAPPENING_KINDS = {
    "journal.check_in": gettext_lazy("did a check-in"),
    "journal.week.win": gettext_lazy("noted a win of the week"),
    **{
        f"journal.contact.{kind}": label
        for kind, label in [
            ("reached_out", gettext_lazy("reached out to someone")),
            ("met_up", gettext_lazy("met up with someone")),
            ("event", gettext_lazy("went to a group or event")),
            ("online", gettext_lazy("talked with someone online")),
        ]
    },
}
TREND_POINTS = 12


def journal_happenings(client_ids: Sequence[int], start, end) -> list[happenings.Happening]:
    """Check-ins, their wins of the week, and contacts. Summaries carry no private text."""
    found = []
    for pk, client_id, occurred, win in CheckIn.objects.filter(
        client_id__in=client_ids, occurred__gte=start, occurred__lt=end
    ).values_list("pk", "client_id", "occurred", "win"):
        found.append(
            happenings.Happening(
                "journal.check_in", client_id, occurred, "", f"journal.checkin:{pk}"
            )
        )
        if win:
            found.append(
                happenings.Happening(
                    "journal.week.win", client_id, occurred, win, f"journal.checkin:{pk}"
                )
            )
    for pk, client_id, occurred, kind, visibility in Contact.objects.filter(
        client_id__in=client_ids, occurred__gte=start, occurred__lt=end
    ).values_list("pk", "client_id", "occurred", "kind", "visibility"):
        label = str(HAPPENING_KINDS[f"journal.contact.{kind}"])
        found.append(
            happenings.Happening(
                f"journal.contact.{kind}",
                client_id,
                occurred,
                label,
                f"journal.contact:{pk}",
                private=visibility == Visibility.PRIVATE,
            )
        )
    return found


def check_in_every_days(*, client: Client) -> int:
    schedule = CheckInSchedule.objects.filter(client=client).first()
    return schedule.every_days if schedule else 7


def next_check_in_due(*, client: Client, today: datetime.date) -> datetime.date:
    """The day the next check-in is due: `every_days` after the last one (today if none)."""
    last = CheckIn.objects.filter(client=client).aggregate(last=Max("occurred"))["last"]
    if last is None:
        return today
    return local_date(last, client.user.time_zone) + datetime.timedelta(
        days=check_in_every_days(client=client)
    )


def due_today(client: Client, day: datetime.date) -> list[happenings.DueItem]:
    due = next_check_in_due(client=client, today=day)
    if due > day:
        return []
    return [
        happenings.DueItem(
            key=f"check_in:{due.isoformat()}",
            title=_("Your check-in"),
            detail=_("A few quick questions about your week."),
            open_url=reverse("journal:my_check_in"),
        )
    ]


def last_check_in_cell(clients: Sequence[Client], now) -> dict[int, str]:
    rows = (
        CheckIn.objects.filter(client__in=clients)
        .values("client_id")
        .annotate(last=Max("occurred"))
        .values_list("client_id", "last")
    )
    return {client_id: date_format(timezone.localtime(last), "j M") for client_id, last in rows}


def check_ins(*, client: Client, viewer) -> QuerySet[CheckIn]:
    """The client's check-ins, newest first; a note the client kept private reads blank to
    anyone else (and is never read from the database for them)."""
    return CheckIn.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-id")


def trend(*, client: Client, viewer) -> list[CheckIn]:
    """The latest check-ins for the trend chart, oldest first (never the whole history)."""
    latest = list(
        CheckIn.objects.for_viewer(client=client, viewer=viewer)
        .order_by("-occurred", "-id")
        .only("occurred", "mood", "loneliness", "meaningful_interactions", "in_person", "online")[
            :TREND_POINTS
        ]
    )
    latest.reverse()
    return latest


def contacts(*, client: Client, viewer) -> QuerySet[Contact]:
    """The contact log, newest first; only the client sees the contacts they kept private."""
    return Contact.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-id")
