"""The journal page: check-ins, the contact log and the check-in schedule."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.charts import line_chart
from outward.lib.forms import posted, submit_and_say
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from .. import selectors, services
from ..forms import CareTeamContactForm, CheckInForm, ContactForm, ScheduleForm


def _trend_charts(points):
    # The viewer's day, not UTC's: a Sunday-evening check-in in New York is not Monday's.
    labels = [date_format(timezone.localtime(point.occurred), "j M") for point in points]
    return [
        line_chart(
            list(zip(labels, [point.mood for point in points], strict=True)),
            y_min=0,
            y_max=10,
            title=_("Mood at each check-in"),
            description=_("0 = very low, 10 = very good. The table below has the numbers."),
        ),
        line_chart(
            list(zip(labels, [point.loneliness for point in points], strict=True)),
            y_min=0,
            y_max=10,
            title=_("Loneliness at each check-in"),
            description=_(
                "0 = not at all lonely, 10 = very lonely. The table below has the numbers."
            ),
        ),
    ]


@client_record()
@require_http_methods(["GET"])
def journal(request):
    client = request.record_client
    audit_view(request, client)
    trend = selectors.trend(client=client, viewer=request.user)
    return render(
        request,
        "journal/journal.html",
        {
            "client": client,
            "tab": "journal",
            "section": "checkins",
            "trend": trend,
            "charts": _trend_charts(trend) if trend else [],
            "check_ins": paginate(
                request, selectors.check_ins(client=client, viewer=request.user), per_page=10
            ),
            "contacts": selectors.contacts(client=client, viewer=request.user)[:20],
            "contact_form": ContactForm() if request.in_portal else CareTeamContactForm(),
            "schedule_form": ScheduleForm(
                initial={"every_days": selectors.check_in_every_days(client=client)}
            ),
        },
    )


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def check_in(request):
    client = request.record_client
    form = CheckInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_create(
                client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except services.AlreadyCheckedIn:
            messages.info(request, _("You have checked in today already: here it is."))
            return redirect(record_reverse(request, "journal:journal"))
        messages.success(request, _("Thank you for checking in."))
        return redirect("care:today")
    return render(request, "journal/check_in.html", {"client": client, "form": form})


@client_record()
@require_POST
def contact_add(request):
    submit_and_say(
        request,
        ContactForm if request.in_portal else CareTeamContactForm,
        partial(
            services.contact_log,
            client=request.record_client,
            author=request.user,
            ip=client_ip(request),
        ),
        saved=_("Logged. Every contact counts."),
        not_saved=_("Not logged: please say what happened."),
    )
    return redirect(record_reverse(request, "journal:journal"))


@client_record(portal=False)
@require_POST
def schedule(request):
    submit_and_say(
        request,
        ScheduleForm,
        partial(
            services.check_in_schedule_set,
            client=request.record_client,
            actor=request.user,
            ip=client_ip(request),
        ),
        saved=_("Check-in schedule saved."),
        not_saved=_("Choose between 1 and 31 days."),
    )
    return redirect(record_reverse(request, "journal:journal"))
