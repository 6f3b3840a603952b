from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted
from outward.lib.net import client_ip

from . import selectors, services
from .forms import LadderForm


@client_record()
@require_http_methods(["GET"])
def skills(request):
    """The Skills overview (the therapist's tab, the client's "Practice"): the ladders."""
    client = request.record_client
    audit_view(request, client)
    context = {
        "client": client,
        "tab": "skills",
        "ladders": selectors.ladders(client=client, viewer=request.user),
        "ladder_form": LadderForm(),
    }
    return render(request, "skills/skills.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def ladder_create(request):
    client = request.record_client
    form = LadderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.ladder_create(
            client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Your ladder is made. Add a first, small step to it."))
        return redirect(record_reverse(request, "skills:skills"))
    return render(
        request, "skills/ladder_form.html", {"client": client, "tab": "skills", "form": form}
    )
