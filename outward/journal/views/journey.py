"""My journey: the client's wins, firsts, rungs climbed and map changes, a month a page."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from outward.care.decorators import client_record
from outward.lib.periods import local_date

from .. import selectors


@client_record(care_team=False)
@require_http_methods(["GET"])
def journey(request):
    client = request.record_client
    today = local_date(timezone.now(), client.user.time_zone)
    month = selectors.parse_month(request.GET.get("month"), today=today)
    context = {
        "client": client,
        "section": "journey",
        "journey": selectors.journey(client=client, viewer=request.user, month=month, today=today),
    }
    return render(request, "journal/journey.html", context)
