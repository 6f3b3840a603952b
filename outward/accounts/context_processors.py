from django.conf import settings

from .middleware import session_seconds_left


def session(request):
    """For the idle warning (seconds until the session ends) and for putting back what was
    typed into a form when the session had ended (see SessionSafetyMiddleware)."""
    # Pages answered before authentication (the request-size cap's 413) have no user.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "session_seconds_left": session_seconds_left(request) if signed_in else 0,
        # Put back by the page's own form (lib.forms.posted) when it can; by session.js else.
        "restored_form_data": None
        if not signed_in or getattr(request, "restored_form_bound", False)
        else getattr(request, "restored_form", None),
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_max_hours": settings.SESSION_MAX_HOURS,
    }
