from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import therapist_required
from outward.lib.forms import posted
from outward.lib.net import local_path
from outward.lib.pagination import paginate

from . import selectors, services
from .directory import selectors as directory_selectors
from .directory.grading import intensity_guess
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
        {
            "page": page,
            "search": search,
            "kind": kind,
            "kinds": Resource.Kind.choices,
            "unlocated": directory_selectors.needs_location(practice=practice).exists(),
        },
    )


@therapist_required
@require_http_methods(["GET"])
def resource_detail(request, resource_id):
    resource = selectors.resource_for_practice(
        practice=request.membership.practice, resource_id=resource_id
    )
    return render(
        request,
        "community/resource_detail.html",
        {"resource": resource, "area": selectors.area_name(resource)},
    )


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
    guess = None
    if resource is not None and resource.social_intensity is None:
        guess = intensity_guess(list(resource.interests.prefetch_related("broader")))
    form = ResourceForm(posted(request), initial=initial, intensity_guess=guess)
    # Back to where the edit was opened from (the "needs a location" list), if on this site.
    back = local_path(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in RESOURCE_FIELDS}
        saved = services.resource_save(
            practice=request.membership.practice,
            resource=resource,
            interests=form.cleaned_data["interests"],
            **fields,
        )
        if saved.online or saved.latitude is not None or saved.placed_in_id is not None:
            messages.success(request, _("Saved to the directory."))
        else:
            messages.warning(
                request,
                _(
                    "Saved, but clients cannot find it by place yet: no area lists its postcode "
                    "or town, and the practice's postcode file does not know it."
                ),
            )
        return redirect(back or reverse("community:resource_detail", args=[saved.pk]))
    return render(
        request,
        "community/resource_form.html",
        {"form": form, "resource": resource, "back": back},
    )
