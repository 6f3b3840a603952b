"""Where directory entries are, for the practice's staff: the areas with the postcodes and
places they cover, the entries that need a location (with a way to fix each), and the
practice's postcode/place-centroid file (admins)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import admin_required, therapist_required
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from .. import selectors as community_selectors
from . import selectors, services
from .forms import AreaForm, CentroidFileForm


@therapist_required
@require_http_methods(["GET"])
def areas(request):
    practice = request.membership.practice
    return render(
        request,
        "community/area_list.html",
        {
            "areas": community_selectors.areas(practice=practice),
            "centroids": selectors.centroid_count(practice=practice),
        },
    )


@therapist_required
@require_http_methods(["GET", "POST"])
def area_create(request):
    return _area_form(request, None)


@therapist_required
@require_http_methods(["GET", "POST"])
def area_edit(request, area_id):
    area = selectors.area_for_practice(practice=request.membership.practice, area_id=area_id)
    if area is None:
        raise Http404
    return _area_form(request, area)


def _area_form(request, area):
    practice = request.membership.practice
    form = AreaForm(posted(request), instance=area, practice=practice)
    if request.method == "POST" and form.is_valid():
        services.area_save(
            practice=practice,
            area=area,
            actor=request.user,
            ip=client_ip(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Area saved; entries without coordinates were placed again."))
        return redirect("community:areas")
    return render(request, "community/area_form.html", {"form": form, "area": area})


@therapist_required
@require_http_methods(["GET"])
def needs_location(request):
    practice = request.membership.practice
    page = paginate(request, selectors.needs_location(practice=practice))
    return render(
        request,
        "community/needs_location.html",
        {
            "page": page,
            "centroids": selectors.centroid_count(practice=practice),
            "geocoder": services.geocoder_enabled(),
        },
    )


@therapist_required
@require_POST
def locate(request):
    """Fill in coordinates from the centroid file and place entries in areas, now; and, where
    the deployment has an online geocoder, ask it in the background for the rest."""
    practice = request.membership.practice
    located = services.locate_soon(practice=practice)
    if located is None:
        messages.info(
            request,
            _("Finding locations in the background: reload this page in a few minutes."),
        )
        return redirect("community:needs_location")
    messages.success(
        request,
        ngettext(
            "%(filled)s entry got coordinates and %(placed)s are placed in an area; "
            "%(missing)s still need a location.",
            "%(filled)s entries got coordinates and %(placed)s are placed in an area; "
            "%(missing)s still need a location.",
            located.filled,
        )
        % {"filled": located.filled, "placed": located.placed, "missing": located.missing},
    )
    if located.missing and services.geocoder_enabled():
        services.geocode_practice.enqueue(practice_id=practice.pk)
        messages.info(
            request,
            _("The online geocoder looks up the rest in the background, about one a second."),
        )
    return redirect("community:needs_location")


@admin_required
@require_http_methods(["GET", "POST"])
def centroids(request):
    practice = request.membership.practice
    form = CentroidFileForm(posted(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count, located = services.centroids_load(
                practice=practice,
                data=upload.read(),
                file_name=upload.name,
                actor=request.user,
                ip=client_ip(request),
            )
        except services.CentroidsRefused as refused:
            problems = refused.problems
        else:
            said = _("Loaded %(count)s postcodes and places.") % {"count": count}
            if located is None:
                said += " " + _("Directory entries get coordinates from it in the background.")
            else:
                said += " " + _("%(filled)s directory entries got coordinates from it.") % {
                    "filled": located.filled
                }
            messages.success(request, said)
            return redirect("community:centroids")
    return render(
        request,
        "community/centroids.html",
        {
            "form": form,
            "problems": problems,
            "centroids": selectors.centroid_count(practice=practice),
        },
    )
