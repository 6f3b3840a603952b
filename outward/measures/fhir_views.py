"""FHIR R4 exports and the Questionnaire import (see :mod:`outward.measures.fhir`)."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from outward.care import services as care_services
from outward.care.decorators import admin_required, client_record
from outward.care.models import AuditEvent
from outward.lib.net import client_ip

from . import catalog, fhir, selectors, services
from .forms import QuestionnaireUploadForm


def staff_required(view):
    """Any staff member of a practice (therapist or admin); clients get a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.membership is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _fhir_response(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type=fhir.FHIR_JSON
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_required
@require_GET
def questionnaire_export(request, key):
    """A shipped instrument, or one the staff member's practice imported, as a Questionnaire."""
    definition = catalog.instrument(key, practice=request.membership.practice)
    if definition is None:
        raise Http404
    return _fhir_response(fhir.questionnaire_json(definition), f"{definition.key}.json")


@client_record(portal=False)
@require_GET
def response_export(request, response_id):
    """One completed response as a Bundle (QuestionnaireResponse + Observation of the total),
    for the care team; the look is audited like any other view of the record."""
    client = request.record_client
    response = selectors.response_for_client(client=client, response_id=response_id)
    definition = catalog.instrument(response.instrument_key, practice=client.practice)
    if definition is None:
        raise Http404
    bundle = fhir.response_bundle_json(response, definition)
    care_services.audit_record(
        actor=request.user,
        client=client,
        action=AuditEvent.Action.VIEW,
        target=response,
        ip=client_ip(request),
    )
    return _fhir_response(bundle, f"{response.instrument_key}-response-{response.pk}.json")


@admin_required
@require_http_methods(["GET", "POST"])
def questionnaire_import(request):
    """Upload a FHIR Questionnaire; it becomes a new questionnaire of the practice, switched
    off until the admin confirms its licence. Anything Outward cannot score is refused with
    the reason, and nothing is saved."""
    form = QuestionnaireUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = (upload.name or "upload")[-80:]
        try:
            data = fhir.parse_upload(upload.read(), source=source)
            imported = services.instrument_import(
                practice=request.membership.practice,
                questionnaire=data,
                source=source,
                actor=request.user,
                ip=client_ip(request),
            )
        except fhir.FhirImportError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _(
                    "Imported “%(name)s”. It is switched off: read its note below, confirm the "
                    "licence and switch it on when you are ready."
                )
                % {"name": imported.definition["name"]},
            )
            return redirect("measures:practice_measures")
    return render(request, "measures/questionnaire_import.html", {"form": form})
