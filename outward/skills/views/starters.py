"""Conversation starters: the client's starters and each setting's, level by level (the
client's Practice place, the therapist's Skills tab), keeping favourites and writing their
own, rehearsing one alone on the phone, and the practice's bank for its therapists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record, therapist_required
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import confirm_page, confirmed, posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from ..models import Setting
from ..starters import selectors, services
from ..starters.forms import (
    FavouriteForm,
    OwnStarterForm,
    PracticeStarterForm,
    StarterRehearsalForm,
)

TAB = "skills"
FAVOURITES_PER_PAGE = 20
REHEARSALS_SHOWN = 10  # the latest; the whole history is the rehearsals page's


def _not_saved(form, error: ValidationError) -> None:
    """The service's reasons on the form: on their field where the form has one."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, reasons in by_field.items():
        for reason in reasons:
            form.add_error(field if field in form.fields else None, reason)


@client_record()
@require_http_methods(["GET"])
def starters(request):
    """The client's favourite starters (with how often each was rehearsed and used for
    real), the settings to browse with the level to try next, and the latest rehearsals."""
    client = request.record_client
    audit_view(request, client)
    viewer = request.user
    page = paginate(
        request, selectors.favourites(client=client, viewer=viewer), FAVOURITES_PER_PAGE
    )
    latest = selectors.starter_rehearsals(client=client, viewer=viewer)[:REHEARSALS_SHOWN]
    context = {
        "client": client,
        "tab": TAB,
        "page": page,
        "rows": selectors.favourite_rows(client=client, viewer=viewer, page=page.object_list),
        "settings": selectors.setting_summaries(client=client, viewer=viewer),
        "rehearsals": selectors.with_starters(client=client, viewer=viewer, rehearsals=latest),
    }
    return render(request, "skills/starters/starters.html", context)


@client_record()
@require_http_methods(["GET"])
def starter_setting(request, setting):
    """One setting's starters, level by level, the next level up suggested."""
    client = request.record_client
    audit_view(request, client)
    setting = selectors.setting_or_404(setting)
    context = {
        "client": client,
        "tab": TAB,
        "view": selectors.setting_page(client=client, viewer=request.user, setting=setting),
        "settings": Setting.choices,
    }
    return render(request, "skills/starters/setting.html", context)


@client_record(care_team=False)
@require_POST
def starter_favourite(request):
    client = request.record_client
    form = FavouriteForm(request.POST)
    back_to = "skills:my_starters"
    if form.is_valid():
        data = form.cleaned_data
        if data["back_to"]:
            back_to = record_reverse(request, "skills:starter_setting", data["back_to"])
        try:
            services.favourite_set(
                client=client,
                actor=request.user,
                key=data["key"],
                favourite=data["favourite"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Kept in your favourites.") if data["favourite"] else _("Taken off your list."),
            )
    else:
        messages.error(request, _("That did not work. Please try again."))
    return redirect(back_to)


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def own_starter_create(request):
    client = request.record_client
    setting = request.GET.get("setting", "")
    initial = {"setting": setting} if setting in Setting.values else {}
    form = OwnStarterForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            starter = services.own_starter_add(
                client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            _not_saved(form, error)
        else:
            messages.success(request, _("Saved in your favourites. Try saying it aloud."))
            return redirect("skills:my_starter_setting", starter.setting)
    return render(
        request, "skills/starters/own_form.html", {"client": client, "tab": TAB, "form": form}
    )


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def starter_rehearse(request, key):
    """Rehearse one starter alone, in about two minutes."""
    client = request.record_client
    starter = selectors.starter_for_client(client=client, viewer=request.user, key=key)
    form = StarterRehearsalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.starter_rehearse(
                client=client,
                author=request.user,
                key=starter.key,
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _not_saved(form, error)
        else:
            messages.success(request, _("Well done. Practising out loud really does help."))
            return redirect("skills:my_starter_setting", starter.setting)
    context = {"client": client, "tab": TAB, "starter": starter, "form": form}
    return render(request, "skills/starters/rehearse.html", context)


@therapist_required
@require_http_methods(["GET", "POST"])
def practice_starters(request):
    """The practice's bank: any of its therapists adds to it; its clients see it."""
    practice = request.membership.practice
    form = PracticeStarterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_starter_add(
                practice=practice, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _not_saved(form, error)
        else:
            messages.success(request, _("Starter added to the practice's bank."))
            return redirect("skills:practice_starters")
    context = {
        "form": form,
        "page": paginate(request, selectors.practice_starters(practice=practice)),
    }
    return render(request, "skills/starters/practice.html", context)


@therapist_required
@require_POST
def practice_starter_delete(request, starter_id):
    """Take a starter out of the bank. Plans keep the words they picked; favourites of it
    and rehearsals of it stay, the starter shown as removed."""
    starter = selectors.practice_starter(
        practice=request.membership.practice, starter_id=starter_id
    )
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Take this starter out of the bank?"),
            message=_("“%(text)s” will no longer be offered to the practice's clients.")
            % {"text": starter.text},
            button=_("Take it out"),
            cancel=reverse("skills:practice_starters"),
        )
    services.practice_starter_delete(starter=starter)
    messages.success(request, _("Taken out of the bank."))
    return redirect("skills:practice_starters")
