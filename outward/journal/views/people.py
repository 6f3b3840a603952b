"""The relationship map: the client's people in three circles, edited as a list (a circle
picker, no dragging) and drawn as an SVG; its history and a comparison of two dates. The
care team reads the shared map; only the client changes it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.convoy import convoy_layout
from outward.lib.forms import confirm_page, confirmed, posted, submit_and_say
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.periods import local_date

from .. import selectors, services
from ..forms import MapCompareForm, PersonAddForm, PersonCircleForm, PersonForm
from ..models import Person


def _map_page(request, add_form=None):
    client = request.record_client
    people = selectors.people(client=client, viewer=request.user)
    if request.in_portal and add_form is None:
        names = selectors.contact_names(client=client, viewer=request.user, on_map=people)
        add_form = PersonAddForm(names=names)
    circles = [
        (value, label, [person for person in people if person.circle == value])
        for value, label in Person.Circle.choices
    ]
    context = {
        "client": client,
        "tab": "journal",
        "section": "map",
        "people": people,
        "circles": circles,
        "counts": [(label, len(members)) for _value, label, members in circles],
        "layout": convoy_layout([(person.name, person.circle) for person in people]),
        "rows": [
            (
                person,
                PersonCircleForm(initial={"circle": person.circle}, auto_id=f"p{person.pk}_%s"),
            )
            for person in people
        ]
        if request.in_portal
        else [],
        "add_form": add_form,
    }
    return render(request, "journal/map.html", context)


@client_record()
@require_http_methods(["GET"])
def relationship_map(request):
    audit_view(request, request.record_client)
    return _map_page(request)


@client_record(care_team=False)
@require_POST
def person_add(request):
    client = request.record_client
    people = selectors.people(client=client, viewer=request.user)
    names = selectors.contact_names(client=client, viewer=request.user, on_map=people)
    form = PersonAddForm(request.POST, names=names)
    if not form.is_valid():
        request.form_not_saved = True
        return _map_page(request, add_form=form)
    person = services.person_add(
        client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
    )
    messages.success(request, _("%(name)s is on your map.") % {"name": person.name})
    return redirect("journal:my_map")


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    client = request.record_client
    person = selectors.person_for_client(client=client, viewer=request.user, person_id=person_id)
    form = PersonForm(posted(request), initial=PersonForm.initial_from(person))
    if request.method == "POST" and form.is_valid():
        services.person_update(
            person=person, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("journal:my_map")
    context = {"client": client, "section": "map", "form": form, "person": person}
    return render(request, "journal/person_form.html", context)


@client_record(care_team=False)
@require_POST
def person_move(request, person_id):
    """The circle picker on the map's list."""
    person = selectors.person_for_client(
        client=request.record_client, viewer=request.user, person_id=person_id
    )
    submit_and_say(
        request,
        PersonCircleForm,
        lambda circle: services.person_update(
            person=person, actor=request.user, ip=client_ip(request), circle=circle
        ),
        saved=_("Moved %(name)s.") % {"name": person.name},
        not_saved=_("Not moved: %(why)s"),
    )
    return redirect(f"{record_reverse(request, 'journal:map')}#person-{person.pk}")


@client_record(care_team=False)
@require_POST
def person_remove(request, person_id):
    person = selectors.person_for_client(
        client=request.record_client, viewer=request.user, person_id=person_id
    )
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Take %(name)s off your map?") % {"name": person.name},
            message=_("Your earlier maps will still show them where they were."),
            button=_("Take off the map"),
            cancel=record_reverse(request, "journal:map"),
        )
    services.person_remove(person=person, actor=request.user, ip=client_ip(request))
    messages.success(request, _("%(name)s is off your map.") % {"name": person.name})
    return redirect("journal:my_map")


@client_record()
@require_http_methods(["GET"])
def map_history(request):
    """The map's snapshots, each with what changed since the one before, and any two dates
    compared side by side (`?since=&until=`)."""
    client = request.record_client
    audit_view(request, client)
    today = local_date(timezone.now(), client.user.time_zone)
    form = MapCompareForm(request.GET if "since" in request.GET else None)
    compared = None
    if form.is_bound and form.is_valid():
        compared = selectors.map_compare(client=client, viewer=request.user, **form.cleaned_data)
    page = paginate(
        request, selectors.snapshots(client=client), per_page=selectors.SNAPSHOTS_PER_PAGE
    )
    context = {
        "client": client,
        "tab": "journal",
        "section": "map",
        "form": form,
        "compared": compared,
        "today": today,
        "sessions": selectors.session_days(client=client),
        "page": page,
        "history": selectors.map_history(client=client, viewer=request.user, page=page),
    }
    return render(request, "journal/map_history.html", context)
