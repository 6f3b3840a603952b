"""The skills room's pages: the overview (the therapist's Skills tab, the client's Practice),
fear ladders, a rung's attempts (exposures), lessons and thought records. Every page reaches
the record through `client_record`; reads go through the selectors with the viewer, writes
through the services (which audit them)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care import happenings
from outward.care.decorators import admin_required, audit_view, client_record
from outward.care.records import Visibility
from outward.care.templatetags.records import record_reverse
from outward.lib import markdown
from outward.lib.forms import confirm_page, confirmed, posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.readiness import LOW_PEAK
from outward.lib.suds_charts import bar_chart

from . import library, selectors, services
from .forms import (
    ArchiveForm,
    CareTeamThoughtRecordForm,
    ExposureAfterForm,
    ExposureLogForm,
    ExposurePlanForm,
    LadderForm,
    LessonAssignForm,
    LessonReadForm,
    PickForm,
    PracticeLessonForm,
    RungDecisionForm,
    RungEditForm,
    RungForm,
    SearchForm,
    ThoughtRecordForm,
    ThoughtSettingsForm,
)
from .models import Exposure, Rung

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
        if form.is_valid():
            services.rung_add(
                client=request.record_client,
                ladder=ladder,
                author=request.user,
                situation=picked.text,
                expected_suds=form.cleaned_data["expected_suds"],
                source=Rung.Source.LIBRARY,
                source_ref=f"library:{picked.key}",
                ip=client_ip(request),
            )
            messages.success(request, _("Added “%(rung)s”.") % {"rung": picked.text})
            return redirect(_back(request, ladder.pk))
        request.form_not_saved = True
        messages.error(request, _("Not added: %(why)s") % {"why": _first_error(form)})
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
        if form.is_valid():
            services.rung_add(
                client=client,
                ladder=ladder,
                author=request.user,
                situation=idea.text[:300],
                expected_suds=form.cleaned_data["expected_suds"],
                source=source,
                source_ref=idea.ref,
                ip=client_ip(request),
            )
            messages.success(request, _("Added “%(rung)s”.") % {"rung": idea.text})
            return redirect(_back(request, ladder.pk))
        request.form_not_saved = True
        messages.error(request, _("Not added: %(why)s") % {"why": _first_error(form)})
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


# Lessons ---------------------------------------------------------------------------------
# Who writes practice lessons: practice admins (admin_required), like the practice's other
# shared content (crisis lines, imported questionnaires): a lesson speaks for the practice to
# all of its clients. Therapists assign any published lesson from a client's Skills tab.


@client_record()
@require_http_methods(["GET"])
def lessons(request):
    """The client's lessons (the therapist's Skills tab: assigned and read; the client's
    Practice: to read and read), a page at a time, with the assign form for the care team."""
    client = request.record_client
    audit_view(request, client)
    page = paginate(request, selectors.lesson_assignments(client=client, viewer=request.user))
    context = {
        "client": client,
        "tab": "skills",
        "page": page,
        "rows": selectors.with_lesson_texts(client=client, assignments=page.object_list),
    }
    context["assign_form"] = None
    if not request.in_portal:
        offered = selectors.lessons_offered(practice=client.practice)
        context["assign_form"] = LessonAssignForm(lessons=offered)
    return render(request, "skills/lesson_list.html", context)


@client_record(portal=False)
@require_POST
def lesson_assign(request):
    client = request.record_client
    form = LessonAssignForm(
        request.POST, lessons=selectors.lessons_offered(practice=client.practice)
    )
    try:
        if not form.is_valid():
            raise ValidationError(next(iter(form.errors.values())))
        services.lesson_assign(
            client=client,
            actor=request.user,
            lesson_key=form.cleaned_data["lesson"],
            ip=client_ip(request),
        )
    except ValidationError as error:
        request.form_not_saved = True  # the form's one-time token stays usable
        messages.error(request, _("Not assigned: %(why)s") % {"why": error.messages[0]})
    else:
        messages.success(request, _("Lesson assigned. It will be on the client's Today page."))
    return redirect("skills:lessons", client_id=client.pk)


@client_record()
@require_http_methods(["GET", "POST"])
def lesson(request, assignment_id):
    """One lesson to read (phone first), marked read with the client's answer to its
    question. The care team reads the same page, with the answer only if it was shared."""
    client = request.record_client
    assignment = selectors.lesson_assignment_for_client(
        client=client, viewer=request.user, assignment_id=assignment_id
    )
    text = selectors.lesson_text(practice=client.practice, key=assignment.lesson_key)
    if text is None:
        raise Http404
    if request.method == "POST" and not request.in_portal:
        raise Http404  # the answer is the client's to give
    initial = {"reflection": assignment.reflection}
    if assignment.read_at:
        initial["visibility"] = assignment.reflection_visibility
    form = LessonReadForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.lesson_mark_read(
            assignment=assignment,
            actor=request.user,
            reflection=form.cleaned_data["reflection"],
            reflection_visibility=form.cleaned_data["visibility"],
            ip=client_ip(request),
        )
        messages.success(request, _("Marked as read. Thank you for taking the time."))
        return redirect("skills:my_lessons")
    audit_view(request, assignment)
    context = {
        "client": client,
        "tab": "skills",
        "assignment": assignment,
        "lesson": text,
        "body_html": mark_safe(markdown.render(text.body)),  # noqa: S308 (lib.markdown: no raw HTML)
        "sources_html": mark_safe(markdown.render(text.sources)),  # noqa: S308
        "form": form if request.in_portal else None,
    }
    return render(request, "skills/lesson_read.html", context)


@admin_required
@require_http_methods(["GET"])
def practice_lessons(request):
    practice = request.membership.practice
    context = {
        "page": paginate(request, selectors.practice_lessons(practice=practice)),
        "library": selectors.library().values(),
    }
    return render(request, "skills/lesson_practice_list.html", context)


def _lesson_form_page(request, form, *, lesson=None):
    preview = None
    if "preview" in request.POST and form.is_valid():
        preview = {
            "title": form.cleaned_data["title"],
            "body_html": mark_safe(markdown.render(form.cleaned_data["body"])),  # noqa: S308
            "sources_html": mark_safe(markdown.render(form.cleaned_data["sources"])),  # noqa: S308
            "reflection_question": form.cleaned_data["reflection_question"],
        }
    return render(
        request,
        "skills/lesson_form.html",
        {"form": form, "lesson": lesson, "preview": preview},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def practice_lesson_create(request):
    form = PracticeLessonForm(posted(request))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.practice_lesson_create(
                practice=request.membership.practice, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Lesson saved."))
            return redirect("skills:practice_lessons")
    return _lesson_form_page(request, form)


@admin_required
@require_http_methods(["GET", "POST"])
def practice_lesson_edit(request, lesson_id):
    lesson = selectors.practice_lesson(practice=request.membership.practice, lesson_id=lesson_id)
    initial = {name: getattr(lesson, name) for name in PracticeLessonForm.base_fields}
    form = PracticeLessonForm(posted(request), initial=initial)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            services.practice_lesson_update(lesson=lesson, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Lesson saved."))
            return redirect("skills:practice_lessons")
    return _lesson_form_page(request, form, lesson=lesson)


# --- Exposures (issue 9) ----------------------------------------------------------------------

CAME_TRUE_SCORE = {"yes": 100, "partly": 50, "no": 0}


def _rung_url(request, rung_id: int) -> str:
    return record_reverse(request, "skills:rung", rung_id)


def _charts(attempts) -> list:
    """The rung page's three charts; the attempts table beside them holds the same numbers."""
    labels = [date_format(attempt.occurred, "j M") for attempt in attempts]
    exposures = [attempt.exposure for attempt in attempts if attempt.exposure is not None]
    charts = [
        bar_chart(
            labels=labels,
            series=[
                (_("Expected"), [attempt.expected_suds for attempt in attempts]),
                (_("Highest"), [attempt.suds_peak for attempt in attempts]),
            ],
            title=_("Expected and actual anxiety, attempt by attempt"),
            description=_("Anxiety from 0 to 100: what you expected, and the highest it got."),
        ),
        bar_chart(
            labels=labels,
            series=[(_("Highest"), [attempt.suds_peak for attempt in attempts])],
            title=_("The highest anxiety across repeats"),
            description=_("Anxiety from 0 to 100 at its highest, each time you tried."),
        ),
    ]
    if exposures:
        charts.append(
            bar_chart(
                labels=[date_format(exposure.occurred, "j M") for exposure in exposures],
                series=[
                    (_("How likely it felt"), [exposure.likelihood for exposure in exposures]),
                    (
                        _("What happened (yes 100, partly 50, no 0)"),
                        [CAME_TRUE_SCORE.get(exposure.came_true) for exposure in exposures],
                    ),
                ],
                title=_("The prediction and what happened"),
                description=_("How likely the feared outcome felt, and whether it came true."),
            )
        )
    return charts


@client_record()
@require_http_methods(["GET"])
def rung(request, rung_id):
    """One rung: its attempts (exposures and plans attended), the charts, planned attempts,
    and whether the ladder's rule suggests moving up."""
    client = request.record_client
    rung = selectors.rung_for_client(client=client, viewer=request.user, rung_id=rung_id)
    audit_view(request, rung)
    attempts = selectors.attempts_by_rung([rung], viewer=request.user).get(rung.pk, [])
    state = selectors.rung_state(rung=rung, attempts=attempts)
    context = {
        "client": client,
        "tab": TAB,
        "rung": rung,
        "attempts": attempts,
        "state": state,
        "low_peak": LOW_PEAK,
        "charts": _charts(attempts) if attempts else [],
        "planned": selectors.exposures(client=client, viewer=request.user).filter(
            rung=rung, occurred__isnull=True
        )[:10],
        "decision_form": RungDecisionForm(),
    }
    return render(request, "skills/exposure_rung.html", context)


def _exposure_form(request, *, rung, form, heading: str, exposure=None):
    return render(
        request,
        "skills/exposure_form.html",
        {
            "client": request.record_client,
            "tab": TAB,
            "rung": rung,
            "form": form,
            "heading": heading,
            "exposure": exposure,
        },
    )


def _saved_or_errors(form, save) -> bool:
    """Run the service; its refusals become the form's errors (nothing was written)."""
    try:
        save(**form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def _exposure_create(request, rung_id, *, form_class, service, done: str, heading: str):
    """Plan or log an attempt at a rung: the same selector → form → service → redirect."""
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        save = partial(service, rung=rung, author=request.user, ip=client_ip(request))
        if _saved_or_errors(form, save):
            messages.success(request, done)
            return redirect(_rung_url(request, rung.pk))
    return _exposure_form(request, rung=rung, form=form, heading=heading)


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_plan(request, rung_id):
    """Plan an attempt at a rung for a day: the "before" half."""
    return _exposure_create(
        request,
        rung_id,
        form_class=ExposurePlanForm,
        service=services.exposure_plan,
        done=_("Planned. It will be on Today that day."),
        heading=_("Plan an attempt"),
    )


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_new(request, rung_id):
    """Log an attempt afterwards: before and after at once."""
    return _exposure_create(
        request,
        rung_id,
        form_class=ExposureLogForm,
        service=services.exposure_log,
        done=_("Logged. Every attempt counts — well done."),
        heading=_("Log an attempt"),
    )


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_log(request, exposure_id):
    """Say how a planned attempt went: the "after" half."""
    exposure = selectors.exposure_for_client(
        client=request.record_client, viewer=request.user, exposure_id=exposure_id
    )
    if exposure.is_logged:
        messages.info(request, _("This attempt is already logged."))
        return redirect(_rung_url(request, exposure.rung_id))
    if request.method == "GET":
        audit_view(request, exposure)
    form = ExposureAfterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.exposure_complete, exposure=exposure, actor=request.user, ip=client_ip(request)
        )
        if _saved_or_errors(form, save):
            messages.success(request, _("Logged. Every attempt counts — well done."))
            return redirect(_rung_url(request, exposure.rung_id))
    return _exposure_form(
        request, rung=exposure.rung, form=form, heading=_("How did it go?"), exposure=exposure
    )


@client_record()
@require_http_methods(["GET"])
def exposures(request):
    """Every attempt, planned and logged, newest first."""
    client = request.record_client
    audit_view(request, client)
    page = paginate(request, selectors.exposures(client=client, viewer=request.user), per_page=20)
    return render(
        request,
        "skills/exposure_list.html",
        {"client": client, "tab": TAB, "page": page, "Exposure": Exposure},
    )


@client_record(portal=False)
@require_POST
def rung_decide(request, rung_id):
    """The therapist's word on moving up: done (a win for the client) or keep practising."""
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    form = RungDecisionForm(request.POST)
    if form.is_valid() and _saved_or_errors(
        form,
        partial(services.rung_decide, rung=rung, therapist=request.user, ip=client_ip(request)),
    ):
        messages.success(request, _("Saved."))
    else:
        request.form_not_saved = True
        messages.error(request, _("Not saved: %(why)s") % {"why": _first_error(form)})
    return redirect(_rung_url(request, rung.pk))


# Thought records (issue 9) -----------------------------------------------------------------

THOUGHTS_PER_PAGE = 10


def _thought_form_class(request):
    return ThoughtRecordForm if request.in_portal else CareTeamThoughtRecordForm


def _say_not_saved(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@client_record()
@require_http_methods(["GET"])
def thought_records(request):
    """The thought records, newest first; for the care team (shared records only), the traps
    that recur and the average drop from first rating to re-rating."""
    client = request.record_client
    audit_view(request, client)
    summary = None
    if not request.in_portal:
        summary = selectors.thought_summary(client=client, viewer=request.user, now=timezone.now())
    context = {
        "client": client,
        "tab": "skills",
        "records": paginate(
            request,
            selectors.thought_records(client=client, viewer=request.user),
            per_page=THOUGHTS_PER_PAGE,
        ),
        "summary": summary,
        "bars": selectors.trap_bars(summary) if summary else None,
    }
    return render(request, "skills/thought_records.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def thought_create(request):
    client = request.record_client
    form_class = _thought_form_class(request)
    initial = {"started_from": request.GET.get("from", "")[:100]}
    if request.in_portal:
        default = selectors.thought_default_visibility(practice=client.practice)
        initial["private"] = default == Visibility.PRIVATE
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.thought_record_create(
                client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            _say_not_saved(form, error)
        else:
            messages.success(request, _("Saved. You can come back and add to it any time."))
            return redirect(record_reverse(request, "skills:thought_detail", record.pk))
    context = {"client": client, "tab": "skills", "form": form, "creating": True}
    return render(request, "skills/thought_form.html", context)


@client_record()
@require_http_methods(["GET"])
def thought_detail(request, record_id):
    client = request.record_client
    record = selectors.thought_record_for_client(
        client=client, viewer=request.user, record_id=record_id
    )
    audit_view(request, record)
    versions = list(selectors.thought_record_versions(record=record))
    context = {
        "client": client,
        "tab": "skills",
        "record": record,
        "original": versions[0].snapshot if versions else None,
        "versions": versions,
    }
    return render(request, "skills/thought_detail.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def thought_edit(request, record_id):
    client = request.record_client
    record = selectors.thought_record_for_client(
        client=client, viewer=request.user, record_id=record_id
    )
    if request.method == "GET":
        audit_view(request, record)
    form_class = _thought_form_class(request)
    initial = form_class.initial_from(record, list(record.emotions.all()))
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("started_from", None)  # where it began does not change
        try:
            services.thought_record_update(
                record=record, client=client, actor=request.user, ip=client_ip(request), **fields
            )
        except ValidationError as error:
            _say_not_saved(form, error)
        else:
            messages.success(request, _("Saved. The earlier version is kept in its history."))
            return redirect(record_reverse(request, "skills:thought_detail", record.pk))
    context = {"client": client, "tab": "skills", "form": form, "record": record}
    return render(request, "skills/thought_form.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def thought_settings(request):
    """The practice's default for new thought records: shared or kept to the client."""
    practice = request.membership.practice
    initial = {"default_visibility": selectors.thought_default_visibility(practice=practice)}
    form = ThoughtSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.thought_record_settings_set(
            practice=practice, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("skills:thought_settings")
    return render(request, "skills/thought_settings.html", {"form": form})
