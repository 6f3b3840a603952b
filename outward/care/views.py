import datetime

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from outward.accounts import selectors as account_selectors
from outward.lib.forms import confirm_page, confirmed, posted, saved_at
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.periods import local_date, local_midnight
from outward.lib.routes import id_url

from . import closures, happenings, selectors, services
from . import reminders as reminder_tokens
from .decorators import admin_required, audit_view, client_required, therapist_required
from .forms import (
    CareTeamForm,
    CaseloadFilterForm,
    ClientCreateForm,
    ClientEditForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    InvitationEmailForm,
    PracticeSettingsForm,
    ReminderForm,
    SecurityLogFilterForm,
    SessionNoteForm,
    StaffInviteForm,
)
from .models import Client


@login_required
def home(request):
    """Send each person to where their work starts."""
    if request.portal_client is not None:
        return redirect("care:today")
    if request.membership is not None:
        return redirect("care:caseload" if request.membership.is_therapist else "care:practice")
    raise Http404


# Therapist workspace ---------------------------------------------------------------------


@therapist_required
@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def caseload(request):
    form = CaseloadFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    clients = selectors.caseload_for_user(
        therapist=request.membership, search=filters.get("q", ""), status=filters.get("status", "")
    )
    page = paginate(request, clients)
    # The page's rows, read once: the columns ask about these clients, not re-run the
    # caseload's query as a subquery each.
    page.object_list = selectors.caseload_rows(ids=list(page.object_list))
    columns = happenings.caseload_cells(clients=page.object_list, now=timezone.now())
    context = {
        "form": form,
        "page": page,
        "column_labels": [label for label, _cells in columns],
        "rows": _caseload_rows(page.object_list, columns),
    }
    if not clients.filtered:
        # The header's count of clients who need attention is the caseload's first part.
        context["attention_count"] = len(clients.first)
    # Restoring history after "back" needs the whole page, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "care/caseload.html#results", context)
    return render(request, "care/caseload.html", context)


def _caseload_rows(clients, columns) -> list[str]:
    """The table's rows as markup made here, once per row: through the template, a variable,
    a tag or a lookup per cell cost more than the rest of the row (the caseload's growth from
    10 to 25 rows). What is the same on many rows (a status, a last-session day, whether the
    client joined) is written once; every text is escaped."""
    detail_url = id_url("care:client_detail")
    statuses = {
        status: format_html(
            '<td class="keep-words" data-label="{}"><span class="status status-{}">{}</span></td>',
            _("Status"),
            status,
            label,
        )
        for status, label in Client.Status.choices
    }
    session = format_html('<td class="keep-words" data-label="{}">', _("Last session"))
    sessions = {None: format_html('{}<span class="quiet">{}</span></td>', session, _("None yet"))}
    for client in clients:
        if client.last_session not in sessions:
            day = date_format(client.last_session, "j M Y")
            sessions[client.last_session] = format_html("{}{}</td>", session, day)
    portal = format_html('<td class="keep-words" data-label="{}">', _("Portal"))
    joined = {
        True: format_html("{}{}</td>", portal, _("Joined")),
        False: format_html('{}<span class="quiet">{}</span></td>', portal, _("Not joined yet")),
    }
    columns = [(_CellColumn(label), cells) for label, cells in columns]
    rows = []
    for client in clients:
        name = conditional_escape(client.display_name)
        rows.append(
            mark_safe(  # noqa: S308 - every piece is escaped here or by _CellColumn
                f'<th scope="row"><a href="{escape(detail_url(client.pk))}">{name}</a></th>'
                f"{statuses[client.status]}{sessions[client.last_session]}"
                f"{joined[client.user.is_active]}"
                + "".join(column.cell(cells.get(client.pk), name) for column, cells in columns)
            )
        )
    return rows


class _CellColumn:
    """One room's column of the caseload: its label escaped once, not once a row."""

    def __init__(self, label: str):
        self.opening = format_html('<td data-label="{}">', label)
        self.empty = self.opening + "—</td>"

    def cell(self, cell: happenings.Cell | None, name: str) -> str:
        if cell is None:
            return self.empty
        text = conditional_escape(cell.text)
        if cell.url:
            return format_html(
                '{}<a class="{}" href="{}">{}<span class="visually-hidden"> · {}</span></a></td>',
                self.opening,
                "badge badge-urgent" if cell.urgent else "",
                cell.url,
                text,
                name,
            )
        if cell.urgent:
            return f'{self.opening}<span class="badge badge-urgent">{text}</span></td>'
        return f"{self.opening}{text}</td>"


@therapist_required
@require_http_methods(["GET", "POST"])
def client_create(request):
    form = ClientCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            client = services.client_create(
                therapist=request.membership,
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                ip=client_ip(request),
            )
        except ValidationError as error:  # e.g. the same e-mail submitted twice at once
            form.add_error(None, error.messages)
        else:
            saved_at(request, reverse("care:client_detail", args=[client.pk]))
            return _invitation_page(request, client)
    return render(request, "care/client_create.html", {"form": form})


@therapist_required
@require_http_methods(["POST"])
def client_invitation(request, client_id):
    client = selectors.client_for_user(user=request.user, client_id=client_id)
    return _invitation_page(request, client)


def _invitation_page(request, client):
    """Make a one-time link and show it this once: only its digest is stored."""
    try:
        token = services.client_invitation_create(
            client=client, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("care:client_detail", client_id=client.pk)
    return _client_invitation_page(request, client, token)


def _client_invitation_page(request, client, token, *, emailed=False, email_error=""):
    return render(
        request,
        "care/client_invitation.html",
        {
            "client": client,
            "email_form": InvitationEmailForm(initial={"token": token}),
            "emailed": emailed,
            "email_error": email_error,
            **_invitation_context(request, token),
        },
    )


@therapist_required
@require_http_methods(["POST"])
def client_invitation_email(request, client_id):
    """ "E-mail it": send the link on the invitation page to the client, then show the page
    again (the same link; no new one is made)."""
    client = selectors.client_for_user(user=request.user, client_id=client_id)
    form = InvitationEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.INVITATION_GONE)
        return redirect("care:client_detail", client_id=client.pk)
    token = form.cleaned_data["token"]
    link = _invitation_context(request, token)["link"]
    try:
        services.client_invitation_email(
            client=client, token=token, link=link, actor=request.user, ip=client_ip(request)
        )
    except ValidationError as error:
        if error.code == "gone":
            messages.error(request, error.messages[0])
            return redirect("care:client_detail", client_id=client.pk)
        return _client_invitation_page(request, client, token, email_error=error.messages[0])
    return _client_invitation_page(request, client, token, emailed=True)


OVERVIEW_FALLBACK_DAYS = 7


@therapist_required
@require_http_methods(["GET"])
def client_detail(request, client_id):
    client = selectors.client_for_user(user=request.user, client_id=client_id)
    audit_view(request, client, client=client)
    summary = selectors.client_summary(client=client)
    now = timezone.now()
    # Since the day of the last session; before the first one, the last week.
    since = (
        local_midnight(summary["last_session"], client.user.time_zone)
        if summary["last_session"]
        else now - datetime.timedelta(days=OVERVIEW_FALLBACK_DAYS)
    )
    return render(
        request,
        "care/client_detail.html",
        {
            "client": client,
            "tab": "overview",
            "summary": summary,
            "since": since,
            "sections": happenings.overview_sections(
                client=client, viewer=request.user, since=since, now=now
            ),
            "care_team": selectors.care_team(client=client),
            "invitation": account_selectors.latest_invitation(user=client.user),
            "notices": happenings.record_notices(client=client),
        },
    )


@therapist_required
@require_http_methods(["GET", "POST"])
def client_edit(request, client_id):
    client = selectors.client_for_user(user=request.user, client_id=client_id)
    form = ClientEditForm(
        posted(request),
        initial={"display_name": client.display_name, "status": client.status},
        closed=client.status == Client.Status.CLOSED,
    )
    if request.method == "POST" and form.is_valid():
        services.client_update(
            client=client, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("care:client_detail", client_id=client.pk)
    audit_view(request, client, client=client)
    return render(request, "care/client_edit.html", {"client": client, "form": form})


@therapist_required
@require_http_methods(["GET", "POST"])
def session_notes(request, client_id):
    client = selectors.client_for_user(user=request.user, client_id=client_id)
    # Most notes are written on the day of the session: today, in the viewer's zone.
    form = SessionNoteForm(posted(request), initial={"session_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.session_note_create(
            client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Note saved."))
        return redirect("care:session_notes", client_id=client.pk)
    audit_view(request, client, client=client)
    page = paginate(request, selectors.session_notes(client=client), per_page=10)
    return render(
        request,
        "care/session_notes.html",
        {"client": client, "tab": "notes", "form": form, "page": page},
    )


@therapist_required
@require_http_methods(["GET", "POST"])
def session_note_edit(request, client_id, note_id):
    note = selectors.session_note_for_author(
        user=request.user, client_id=client_id, note_id=note_id
    )
    form = SessionNoteForm(
        posted(request), initial={"session_date": note.session_date, "text": note.text}
    )
    if request.method == "POST" and form.is_valid():
        services.session_note_update(
            note=note, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Note saved."))
        return redirect("care:session_notes", client_id=client_id)
    audit_view(request, note, client=note.client)
    return render(
        request,
        "care/session_note_edit.html",
        {"client": note.client, "tab": "notes", "form": form, "note": note},
    )


# Client portal ---------------------------------------------------------------------------


@client_required
@require_http_methods(["GET"])
def today(request):
    client = request.portal_client
    now = timezone.now()
    return render(
        request,
        "care/today.html",
        {
            "client": client,
            "due": happenings.due_items(client=client, day=local_date(now, client.user.time_zone)),
            "notices": happenings.today_notices(client=client),
            "week": selectors.week_summary(client=client, viewer=request.user, now=now),
            "care_team": selectors.care_team(client=client),
            "any_time": happenings.links("today"),
        },
    )


# Practice administration -----------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def practice(request):
    practice = request.membership.practice
    form = PracticeSettingsForm(
        posted(request),
        initial={
            "require_two_factor": practice.require_two_factor,
            "alert_escalation_hours": practice.alert_escalation_hours,
            "retention_years": practice.retention_years,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.practice_settings_update(
            practice=practice, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Practice settings saved."))
        return redirect("care:practice")
    staff = paginate(request, selectors.practice_staff(membership=request.membership))
    context = {
        "form": form,
        "page": staff,
        "notices": happenings.practice_notices(practice=practice),
        "settings_links": happenings.links("practice"),
    }
    return render(request, "care/practice.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def staff_invite(request):
    form = StaffInviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member, token = services.staff_invite(
                practice=request.membership.practice,
                invited_by=request.user,
                ip=client_ip(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            saved_at(request, reverse("care:practice"))
            return _staff_invitation_page(request, member, token)
    return render(request, "care/staff_invite.html", {"form": form})


@admin_required
@require_http_methods(["POST"])
def staff_invitation(request, member_id):
    member = selectors.staff_member_for_admin(membership=request.membership, member_id=member_id)
    try:
        token = services.staff_invitation_renew(member=member, invited_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("care:practice")
    return _staff_invitation_page(request, member, token)


def _staff_invitation_page(request, member, token):
    return render(
        request,
        "care/staff_invitation.html",
        {"member": member, **_invitation_context(request, token)},
    )


def _invitation_context(request, token):
    link = request.build_absolute_uri(reverse("accounts:invitation_accept", args=[token]))
    return {
        "link": link,
        "valid_days": settings.INVITATION_VALID_DAYS,
        # To show on the screen in session: the client scans it with their phone's camera.
        # segno draws the SVG from the link alone (no one's typing goes into it).
        "qr_svg": mark_safe(  # noqa: S308
            segno.make(link, error="m").svg_inline(
                title=_("QR code of the invitation link"), border=2, omitsize=True
            )
        ),
    }


@admin_required
@require_http_methods(["POST"])
def staff_active(request, member_id):
    member = selectors.staff_member_for_admin(membership=request.membership, member_id=member_id)
    if request.POST.get("active") not in {"0", "1"}:
        return HttpResponseBadRequest(_("Say whether the member should be active (1) or not (0)."))
    active = request.POST["active"] == "1"
    # Ask first, unless it would be refused anyway: then the service says why at once.
    if not (
        active
        or confirmed(request)
        or member == request.membership
        or selectors.deactivation_refusal(member=member)
    ):
        return confirm_page(
            request,
            title=_("Deactivate %(name)s?") % {"name": member.user},
            message=_(
                "They will be signed out and cannot sign in until you reactivate them. "
                "Their care-team places stay, but grant nothing while they are inactive."
            ),
            button=_("Deactivate"),
            cancel=reverse("care:practice"),
            fields=[("active", "0")],
        )
    try:
        services.staff_set_active(
            member=member, active=active, acting=request.membership, ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        template = _("%(name)s can sign in again.") if active else _("%(name)s is deactivated.")
        messages.success(request, template % {"name": member.user})
    return redirect("care:practice")


@admin_required
@require_http_methods(["GET"])
def practice_clients(request):
    form = CaseloadFilterForm(request.GET)
    search = form.cleaned_data.get("q", "") if form.is_valid() else ""
    clients = selectors.practice_clients(membership=request.membership, search=search)
    context = {
        "form": form,
        "page": paginate(request, clients),
        "client_links": happenings.links("admin_client"),
    }
    return render(request, "care/practice_clients.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def care_team(request, client_id):
    client = selectors.client_for_admin(user=request.user, client_id=client_id)
    removing = bool(request.POST.get("remove"))
    therapists = (
        selectors.care_team_members(client=client)  # deactivated ones too
        if removing
        else selectors.practice_staff(membership=request.membership).filter(
            is_therapist=True, is_active=True
        )
    )
    form = CareTeamForm(posted(request), therapists=therapists)
    if request.method == "POST" and form.is_valid():
        therapist = form.cleaned_data["therapist"]
        if removing and not confirmed(request):
            return _confirm_care_team_removal(request, client, therapist)
        change = services.care_team_remove if removing else services.care_team_add
        try:
            change(client=client, therapist=therapist, actor=request.user, ip=client_ip(request))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Care team updated."))
        return redirect("care:care_team", client_id=client.pk)
    audit_view(request, client, client=client)
    return render(
        request,
        "care/care_team.html",
        {"client": client, "form": form, "care_team": selectors.care_team(client=client)},
    )


def _confirm_care_team_removal(request, client, therapist):
    """Ask first, unless the removal would be refused anyway: then say why at once."""
    refusal = selectors.care_team_removal_refusal(client=client, therapist=therapist)
    if refusal:
        messages.error(request, refusal)
        return redirect("care:care_team", client_id=client.pk)
    return confirm_page(
        request,
        title=_("Remove %(name)s from the care team?") % {"name": therapist.user},
        message=_("%(name)s will no longer see %(client)s's record.")
        % {"name": therapist.user, "client": client.display_name},
        button=_("Remove"),
        cancel=reverse("care:care_team", args=[client.pk]),
        fields=[("therapist", therapist.pk), ("remove", "1")],
    )


@admin_required
@require_http_methods(["GET"])
def audit_log(request, client_id):
    client = selectors.client_for_admin(user=request.user, client_id=client_id)
    page = paginate(request, selectors.audit_events(client=client), per_page=50)
    audit_view(request, client, client=client)
    return render(request, "care/audit_log.html", {"client": client, "page": page})


@admin_required
@require_http_methods(["GET"])
def security_log(request):
    """Sign-ins, account security and administration of the practice: append-only."""
    form = SecurityLogFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    time_zone = request.membership.practice.time_zone
    start, end = filters.get("date_from"), filters.get("date_to")
    events = selectors.security_events(
        membership=request.membership,
        action=filters.get("action", ""),
        actor_email=filters.get("actor", ""),
        start=local_midnight(start, time_zone) if start else None,
        end=local_midnight(end + datetime.timedelta(days=1), time_zone) if end else None,
    )
    page = paginate(request, events)
    return render(request, "care/security_log.html", {"form": form, "page": page})


@client_required
@require_http_methods(["GET", "POST"])
def reminders(request):
    client = request.portal_client
    preference = selectors.reminder_preference(client=client)
    form = ReminderForm(
        posted(request),
        initial={
            "email_enabled": preference.email_enabled,
            "send_at": preference.send_at,
            "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_preference_set(
            client=client, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Reminder settings saved."))
        return redirect("care:my_reminders")
    return render(request, "care/reminders.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reminders_stop(request, token):
    """The link in every reminder e-mail: stops them without signing in."""
    client = reminder_tokens.client_for_unsubscribe_token(token)
    if client is None:
        raise Http404
    if request.method == "POST":
        services.reminders_stop(client=client, ip=client_ip(request))
        return render(request, "care/reminders_stopped.html")
    return render(request, "care/reminders_stop.html")


# Closing an account ------------------------------------------------------------------------


@client_required
@require_http_methods(["GET", "POST"])
def my_closure(request):
    """The client asks the practice to close their account (the practice decides)."""
    client = request.portal_client
    form = ClosureRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        closures.closure_request(
            client=client, actor=request.user, note=form.cleaned_data["note"], ip=client_ip(request)
        )
        messages.success(request, _("Your request was sent to your practice."))
        return redirect("care:my_closure")
    context = {
        "form": form,
        "pending": closures.pending_request(client=client),
        "last_decision": selectors.last_closure_decision(client=client),
    }
    return render(request, "care/my_closure.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def closure(request, client_id):
    """The practice admin closes a client's account, at the client's request or not, or
    declines the request; a reason either way."""
    client = selectors.client_for_admin(user=request.user, client_id=client_id)
    pending = closures.pending_request(client=client)
    form = ClosureDecisionForm(posted(request), can_decline=pending is not None)
    if client.status != Client.Status.CLOSED and request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            closures.closure_decide(
                client=client,
                actor=request.user,
                confirm=confirm,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The account is closed.") if confirm else _("The request was declined."),
            )
        return redirect("care:closure", client_id=client.pk)
    audit_view(request, client, client=client)
    context = {"client": client, "pending": pending, "form": form}
    return render(request, "care/closure.html", context)
