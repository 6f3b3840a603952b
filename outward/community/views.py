from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import therapist_required
from outward.lib.forms import posted
from outward.lib.pagination import paginate

from . import selectors, services
from .forms import ResourceForm
from .models import RESOURCE_FIELDS, Resource


@therapist_required
@require_http_methods(["GET"])
def directory(request):
    practice = request.membership.practice
    # NUL cannot be in a PostgreSQL query parameter; nobody types it.
    search = request.GET.get("q", "").replace("\x00", "")[:100]
    kind = request.GET.get("kind", "")
    if kind not in Resource.Kind.values:
        kind = ""
    page = paginate(request, selectors.directory(practice=practice, search=search, kind=kind))
    return render(
        request,
        "community/directory.html",
        {"page": page, "search": search, "kind": kind, "kinds": Resource.Kind.choices},
    )


@therapist_required
@require_http_methods(["GET"])
def resource_detail(request, resource_id):
    resource = selectors.resource_for_practice(
        practice=request.membership.practice, resource_id=resource_id
    )
    return render(request, "community/resource_detail.html", {"resource": resource})


@therapist_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    return _resource_form(request, None)


@therapist_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, resource_id):
    resource = selectors.resource_for_practice(
        practice=request.membership.practice, resource_id=resource_id
    )
    return _resource_form(request, resource)


def _resource_form(request, resource):
    initial = {}
    if resource is not None:
        initial = {name: getattr(resource, name) for name in RESOURCE_FIELDS}
        initial["interests"] = ", ".join(interest.label for interest in resource.interests.all())
    form = ResourceForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RESOURCE_FIELDS}
        saved = services.resource_save(
            practice=request.membership.practice,
            resource=resource,
            interests=form.cleaned_data["interests"],
            **fields,
        )
        messages.success(request, _("Saved to the directory."))
        return redirect("community:resource_detail", resource_id=saved.pk)
    return render(request, "community/resource_form.html", {"form": form, "resource": resource})
