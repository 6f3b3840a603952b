from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data to bind on POST (even an empty POST, which must show "required" errors)."""
    return request.POST if request.method == "POST" else None


def submit_and_say(request: HttpRequest, form_class, save, *, saved: str, not_saved: str) -> bool:
    """The small one-form POSTs that return to the page they came from: validate, call
    `save(**cleaned_data)`, and tell the person how it went (`not_saved` gets the first
    error as %(why)s, if it has that placeholder). True when saved."""
    form = form_class(request.POST)
    if not form.is_valid():
        first_error = next(iter(form.errors.values()))[0]
        messages.error(request, not_saved % {"why": first_error})
        return False
    save(**form.cleaned_data)
    messages.success(request, saved)
    return True


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
