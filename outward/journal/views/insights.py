"""Pattern insights: the client's own, each with its evidence, and which they share."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.lib.net import client_ip

from .. import services
from ..forms import InsightShareForm
from ..insights import RULES, insights_for_viewer, rules_without_insight


@client_record()
@require_http_methods(["GET"])
def insights(request):
    """The client's pattern insights, each with its evidence; the care team sees only the ones
    the client shared (the selector decides, from the viewer)."""
    client = request.record_client
    audit_view(request, client)
    found = insights_for_viewer(client=client, viewer=request.user, now=timezone.now())
    return render(
        request,
        "journal/insights.html",
        {
            "client": client,
            "tab": "journal",
            "insights": found,
            "waiting": rules_without_insight(found=found) if request.in_portal else [],
            "rules": RULES.values(),
        },
    )


@client_record(care_team=False)
@require_POST
def insight_share(request):
    form = InsightShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That did not work: choose an insight to share or keep."))
    else:
        services.insight_share_set(
            client=request.record_client,
            actor=request.user,
            ip=client_ip(request),
            rule=form.cleaned_data["rule"],
            shared=form.cleaned_data["share"],
        )
        if form.cleaned_data["share"]:
            messages.success(request, _("Shared with your care team."))
        else:
            messages.success(request, _("No longer shared. Only you can see it."))
    return redirect("journal:my_insights")
