"""The overview (the therapist's Skills tab, the client's Practice) and fear ladders."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care import happenings
from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import confirm_page, confirmed, posted
from outward.lib.net import client_ip

from .. import library, selectors, services
from ..forms import (
    ArchiveForm,
    LadderForm,
    PickForm,
    RungEditForm,
    RungForm,
    SearchForm,
)
from ..models import Rung

TAB = "skills"


def _ladder_url(request, ladder_id: int) -> str:
    return record_reverse(request, "skills:ladder", ladder_id)


def _ladder(request, ladder_id: int):
    return selectors.ladder_for_client(
        client=request.record_client, viewer=request.user, ladder_id=ladder_id
    )


@client_record()
@require_http_methods(["GET"])
def skills(request):
    """The Skills overview: the client's ladders and where they are on each."""
    client = request.record_client
    audit_view(request, client)
    context = {
        "client": client,
        "tab": TAB,
        "ladders": [
            selectors.ladder_view(ladder)
            for ladder in selectors.ladders(client=client, viewer=request.user)
        ],
        "archived": selectors.ladders(client=client, viewer=request.user, archived=True),
    }
    return render(request, "skills/skills.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def ladder_create(request):
    client = request.record_client
    form = LadderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ladder = services.ladder_create(
            client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Your ladder is made. Add a first, small step to it."))
        return redirect(_ladder_url(request, ladder.pk))
    return render(
        request,
        "skills/ladder_form.html",
        {"client": client, "tab": TAB, "form": form, "ladder": None},
    )


@client_record()
@require_http_methods(["GET"])
def ladder(request, ladder_id):
    """One ladder, lowest SUDS first. `?together=1`: the in-session view for one shared
    screen, in large type, with nothing of the record around it (no tabs, no notes)."""
    ladder = _ladder(request, ladder_id)
    audit_view(request, ladder)
    rungs = selectors.ladder_rungs(ladder=ladder, viewer=request.user)
    together = request.GET.get("together") == "1"
    context = {
        "client": request.record_client,
        "tab": TAB,
        "view": selectors.ladder_view(ladder, rungs),
        "rung_form": RungForm(),
        "together": together,
        "sources": happenings.rung_sources(),
    }
    template = "skills/ladder_together.html" if together else "skills/ladder.html"
    return render(request, template, context)


@client_record()
@require_http_methods(["GET", "POST"])
def ladder_edit(request, ladder_id):
    ladder = _ladder(request, ladder_id)
    if request.method == "GET":  # a saved change is audited as a change
        audit_view(request, ladder)
    form = LadderForm(posted(request), initial={"title": ladder.title})
    if request.method == "POST" and form.is_valid():
        services.ladder_rename(
            ladder=ladder, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Renamed."))
        return redirect(_ladder_url(request, ladder.pk))
    context = {"client": request.record_client, "tab": TAB, "form": form, "ladder": ladder}
    return render(request, "skills/ladder_form.html", context)


@client_record()
@require_POST
def ladder_archive(request, ladder_id):
    """Archive (or, with archived=0, bring back) a ladder."""
    ladder = _ladder(request, ladder_id)
    form = ArchiveForm(request.POST)
    archived = form.is_valid() and form.cleaned_data["archived"]
    services.ladder_archive(
        ladder=ladder, actor=request.user, archived=archived, ip=client_ip(request)
    )
    if archived:
        messages.success(request, _("Archived. Its steps are kept; you can bring it back."))
        return redirect(record_reverse(request, "skills:skills"))
    messages.success(request, _("The ladder is back."))
    return redirect(_ladder_url(request, ladder.pk))


def _back(request, ladder_id: int) -> str:
    """Back to the ladder, in the shared-screen view if that is where the form was."""
    url = _ladder_url(request, ladder_id)
    return url + "?together=1" if request.POST.get("together") == "1" else url


@client_record()
@require_POST
def rung_add(request, ladder_id):
    ladder = _ladder(request, ladder_id)
    form = RungForm(request.POST)
    if form.is_valid():
        services.rung_add(
            client=request.record_client,
            ladder=ladder,
            author=request.user,
            ip=client_ip(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Added. It sits where its number puts it."))
    else:
        request.form_not_saved = True
        messages.error(request, _("Not added: %(why)s") % {"why": _first_error(form)})
    return redirect(_back(request, ladder.pk))


def _first_error(form) -> str:
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    return f"{label}: {errors[0]}" if label else errors[0]


@client_record()
@require_http_methods(["GET", "POST"])
def rung_edit(request, rung_id):
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    if request.method == "GET":  # a saved change is audited as a change
        audit_view(request, rung)
    initial = {"situation": rung.situation, "expected_suds": rung.expected_suds}
    form = RungEditForm(posted(request), initial=initial | {"status": rung.status})
    if request.method == "POST" and form.is_valid():
        services.rung_update(
            rung=rung, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        if rung.status == Rung.Status.DONE:
            messages.success(
                request, _("Done — well done. The next step is now the one to practise.")
            )
        else:
            messages.success(request, _("Saved."))
        return redirect(_back(request, rung.ladder_id))
    context = {"client": request.record_client, "tab": TAB, "form": form, "rung": rung}
    return render(request, "skills/rung_form.html", context)


@client_record()
@require_POST
def rung_status(request, rung_id):
    """One tap on the ladder: practising or done, keeping the rung's words and SUDS."""
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    status = request.POST.get("status", "")
    if status not in Rung.Status.values:
        messages.error(request, _("Nothing changed."))
    else:
        services.rung_update(
            rung=rung,
            actor=request.user,
            situation=rung.situation,
            expected_suds=rung.expected_suds,
            status=status,
            ip=client_ip(request),
        )
        messages.success(
            request,
            _("“%(rung)s”: %(status)s.")
            % {
                "rung": rung.situation,
                "status": rung.get_status_display().lower(),
            },
        )
    return redirect(_back(request, rung.ladder_id))


@client_record()
@require_POST
def rung_delete(request, rung_id):
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove this step from the ladder?"),
            message=_("“%(rung)s” will be removed for good.") % {"rung": rung.situation},
            button=_("Remove"),
            cancel=_ladder_url(request, rung.ladder_id),
        )
    services.rung_delete(rung=rung, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Removed."))
    return redirect(_ladder_url(request, rung.ladder_id))


def _add_picked(request, ladder, form, *, situation: str, source: str, source_ref: str):
    """Add a picked idea (from the library or the client's record) with the SUDS the person
    gave it: the redirect back to the ladder, or None (and a message) when the form is wrong."""
    if not form.is_valid():
        request.form_not_saved = True
        messages.error(request, _("Not added: %(why)s") % {"why": _first_error(form)})
        return None
    services.rung_add(
        client=request.record_client,
        ladder=ladder,
        author=request.user,
        situation=situation,
        expected_suds=form.cleaned_data["expected_suds"],
        source=source,
        source_ref=source_ref,
        ip=client_ip(request),
    )
    messages.success(request, _("Added “%(rung)s”.") % {"rung": situation})
    return redirect(_back(request, ladder.pk))


@client_record()
@require_http_methods(["GET", "POST"])
def rung_library(request, ladder_id):
    """Pick an example situation, grouped by area and graded, and correct its SUDS."""
    ladder = _ladder(request, ladder_id)
    if request.method == "POST":
        form = PickForm(request.POST)
        picked = library.situation(form.data.get("ref", ""))
        if picked is None:
            raise Http404
        added = _add_picked(
            request,
            ladder,
            form,
            situation=picked.text,
            source=Rung.Source.LIBRARY,
            source_ref=f"library:{picked.key}",
        )
        if added:
            return added
    else:
        audit_view(request, ladder)  # the page shows the ladder it adds to
    context = {
        "client": request.record_client,
        "tab": TAB,
        "ladder": ladder,
        "areas": library.areas(),
    }
    return render(request, "skills/library.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def rung_from(request, ladder_id, source):
    """Pick something from another room (a goal's step, a directory resource) through the
    care registry: skills never imports those rooms."""
    ladder = _ladder(request, ladder_id)
    origin = happenings.rung_source(source)
    if origin is None or source not in Rung.Source.values:
        raise Http404
    client = request.record_client
    if request.method == "POST":
        form = PickForm(request.POST)
        idea = origin.idea(client=client, viewer=request.user, ref=form.data.get("ref", "")[:100])
        if idea is None:
            raise Http404
        added = _add_picked(
            request, ladder, form, situation=idea.text[:300], source=source, source_ref=idea.ref
        )
        if added:
            return added
    audit_view(request, ladder)  # the ideas are the client's record (their goals' steps)
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    context = {
        "client": client,
        "tab": TAB,
        "ladder": ladder,
        "origin": origin,
        "search": search,
        "ideas": origin.ideas(client=client, viewer=request.user, query=query),
    }
    return render(request, "skills/rung_from.html", context)
