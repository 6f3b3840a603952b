"""The calendar feed as iCalendar text (RFC 5545), built with the icalendar package."""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from outward.goals.models import Step
from outward.skills.models import Exposure

PRODID = "-//Outward//Calendar feed//EN"


def feed_ics(
    *, steps: Iterable[Step], own_wording: bool, exposures: Iterable[Exposure] = ()
) -> bytes:
    """One all-day event per planned step. Titles say only "Outward: a step you planned"
    unless the client chose their own words; no goal, description or note ever goes in, as a
    synced or shared calendar is seen by other people and other companies. Planned attempts
    at a fear-ladder rung are events too, as plainly worded (never the prediction)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Outward")
    generic = _("Outward: a step you planned")
    for step in steps:
        event = Event()
        event.add("uid", f"step-{step.pk}@outward")
        # The step's last change, so that an unchanged feed reads the same on every fetch.
        event.add("dtstamp", step.updated)
        event.add("dtstart", step.scheduled_for)
        event.add("dtend", step.scheduled_for + datetime.timedelta(days=1))
        event.add("summary", step.title if own_wording else generic)
        event.add("status", "CONFIRMED")
        # A planned step is not an appointment: it should not make the day look busy.
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    generic_practice = _("Outward: a practice you planned")
    for exposure in exposures:
        event = Event()
        event.add("uid", f"exposure-{exposure.pk}@outward")
        event.add("dtstamp", exposure.updated)
        event.add("dtstart", exposure.planned_for)
        event.add("dtend", exposure.planned_for + datetime.timedelta(days=1))
        event.add("summary", exposure.rung.situation if own_wording else generic_practice)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
