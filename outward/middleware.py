"""Project-wide HTTP hardening that belongs to no one room."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

# Outward uses none of these browser features; saying so stops an injected frame or script
# from asking for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
    )
)
DOWNLOAD_TYPES = ("application/json", "application/fhir+json", "text/csv", "application/pdf")
# What add_never_cache_headers writes into a response that has no caching headers yet.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


def never_cache(response) -> None:
    """Django's add_never_cache_headers; written directly when the response says nothing about
    caching yet (most pages), instead of parsing and joining an empty Cache-Control on every
    signed-in request."""
    if "Cache-Control" in response or "Expires" in response:
        add_never_cache_headers(response)
    else:
        response.headers["Expires"] = http_date()
        response.headers["Cache-Control"] = NEVER_CACHE


class SecurityHeadersMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: no-store` (with Django's other
    never-cache headers) on every response to a signed-in person, since any of their pages may
    show clinical content, and on every download (JSON, FHIR, CSV, PDF, attachments), which
    may be reached by a secret link without signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or response.get("Content-Type", "").split(";")[0].strip() in DOWNLOAD_TYPES
            or "attachment" in response.get("Content-Disposition", "")
        ):
            never_cache(response)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than OUTWARD_MAX_REQUEST_MB before anything reads it.
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover file uploads, which would otherwise
    be streamed to disk in full before a form could say "too large". A body sent in chunks
    without a length is refused too: Django would read none of it anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked" and not (
            request.META.get("CONTENT_LENGTH")
        ):
            return render(request, "too_large.html", {"chunked": True}, status=411)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats an unreadable length as no body
        if length > settings.MAX_REQUEST_BYTES:
            response = render(
                request,
                "too_large.html",
                {"limit": settings.MAX_REQUEST_BYTES},
                status=413,
            )
            response["Connection"] = "close"  # the unread body cannot be skipped reliably
            return response
        return self.get_response(request)
