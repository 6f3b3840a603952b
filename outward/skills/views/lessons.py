"""Lessons: assigned and read on the client's record; written by practice admins."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import admin_required, audit_view, client_record
from outward.lib import markdown
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from .. import selectors, services
from ..forms import (
    LessonAssignForm,
    LessonReadForm,
    PracticeLessonForm,
)

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
