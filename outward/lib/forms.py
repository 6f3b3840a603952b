from django.contrib import messages
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data to bind on POST (even an empty POST, which must show "required" errors)."""
    return request.POST if request.method == "POST" else None


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
