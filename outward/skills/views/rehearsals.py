"""The rehearsal history (issue 10): every rehearsal, of a scenario or a starter, in session
or alone, a page at a time; confidence before and after as a chart with its table; and the
rehearsed situations the client has since faced for real."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import audit_view, client_record
from outward.lib.pagination import paginate
from outward.lib.suds_charts import bar_chart

from ..roleplay import selectors
from .ladders import TAB

CONFIDENCE_TICKS = (0, 5, 10)


def _chart(series):
    return bar_chart(
        labels=[date_format(timezone.localtime(r.occurred), "j M") for r in series],
        series=[
            (_("Before"), [rehearsal.confidence_before for rehearsal in series]),
            (_("After"), [rehearsal.confidence_after for rehearsal in series]),
        ],
        title=_("Confidence before and after each rehearsal"),
        description=_("Confidence from 0 to 10, before and after, the latest rehearsals."),
        top=10,
        ticks=CONFIDENCE_TICKS,
    )


@client_record()
@require_http_methods(["GET"])
def rehearsals(request):
    client = request.record_client
    audit_view(request, client)
    page = paginate(
        request, selectors.rehearsals(client=client, viewer=request.user), selectors.HISTORY_PAGE
    )
    rows = selectors.history_rows(client=client, viewer=request.user, rehearsals=page.object_list)
    series = selectors.confidence_series(client=client, viewer=request.user)
    context = {
        "client": client,
        "tab": TAB,
        "page": page,
        "rows": rows,
        "faced": selectors.faced_summary(rows),
        "series": series,
        "charts": [_chart(series)] if series else [],
    }
    return render(request, "skills/rehearsal_history.html", context)
