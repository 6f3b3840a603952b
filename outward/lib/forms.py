from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from outward.lib.periods import CARE_DATES, DateWindow


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data to bind on POST (even an empty POST, which must show "required" errors).

    On the GET after signing in again, what the person had typed into this page's form when
    their session ended (accounts.middleware.SessionSafetyMiddleware), so the form shows it
    without JavaScript. Views save only on POST, so nothing is saved until they press Save."""
    if request.method == "POST":
        return request.POST
    kept = getattr(request, "restored_form", None)
    if kept and kept.get("action") == request.path:
        data = QueryDict(mutable=True)
        for name, value in kept["fields"]:
            data.appendlist(name, value)
        request.restored_form_bound = True
        return data
    return None


def row_id(value: str | None) -> int | None:
    """A database id posted by hand (a hidden input, not a form field), or None when it is not
    one. str.isdigit() accepts "²", which int() refuses, and a run of thousands of digits is
    past what int() parses and any id column holds."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def submit_and_say(request: HttpRequest, form_class, save, *, saved: str, not_saved: str) -> bool:
    """The small one-form POSTs that return to the page they came from: validate, call
    `save(**cleaned_data)`, and tell the person how it went (`not_saved` gets the first
    error as %(why)s, if it has that placeholder). True when saved."""
    form = form_class(request.POST)
    if not form.is_valid():
        # The redirect that follows is not a saved record: the form's one-time token
        # (accounts.middleware.CreateOnceMiddleware) stays usable for the corrected submit.
        request.form_not_saved = True
        first_error = next(iter(form.errors.values()))[0]
        messages.error(request, not_saved % {"why": first_error})
        return False
    save(**form.cleaned_data)
    messages.success(request, saved)
    return True


def saved_at(request: HttpRequest, url: str) -> None:
    """A create that answers with a page, not a redirect (the one-time invitation link it
    shows cannot be shown again): a second submit of its form is sent to `url`, the record
    (accounts.middleware.CreateOnceMiddleware), instead of trying the create again."""
    request.form_saved_url = url


def warn_if_past(request: HttpRequest, day, message: str) -> None:
    """A date already gone is allowed (catching up on what was agreed on paper) but said out
    loud, as a slip of the month or year usually causes it. `message` names it as %(date)s."""
    if day is not None and day < timezone.localdate():
        messages.warning(request, message % {"date": date_format(day, "j F Y")})


def confirmed(request: HttpRequest) -> bool:
    """A destructive POST goes through only with the confirmation page's `confirmed=1`."""
    return request.POST.get("confirmed") == "1"


def confirm_page(
    request: HttpRequest, *, title: str, message: str, button: str, cancel: str, fields=()
) -> HttpResponse:
    """Ask before a destructive action, without JavaScript: the same POST again, with
    `fields` and `confirmed=1`, or a way back to `cancel`."""
    return render(
        request,
        "includes/confirm.html",
        {
            "confirm": {
                "title": title,
                "message": message,
                "button": button,
                "cancel": cancel,
                "action": request.path,
                "fields": list(fields),
            }
        },
    )


class BoundedDateField(forms.DateField):
    """A date within a named `DateWindow` (the care window unless told), as a field error.
    Use it for every date input: an unbounded one lets year 1 or 9999 through, and those
    overflow when the day becomes an instant in a time zone east or west of UTC."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {
        "out_of_window": _("Enter a date between %(earliest)s and %(latest)s."),
    }

    def __init__(self, *, window: DateWindow = CARE_DATES, **kwargs):
        super().__init__(**kwargs)
        self.window = window

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if not self.window.contains(value):
            raise ValidationError(
                self.error_messages["out_of_window"],
                code="out_of_window",
                params=self.window.params(),
            )
