from django.conf import settings

from .middleware import session_seconds_left


def session(request):
    """For the idle warning (seconds until the session ends) and for putting back what was
    typed into a form when the session had ended (see SessionSafetyMiddleware)."""
    signed_in = request.user.is_authenticated
    return {
        "session_seconds_left": session_seconds_left(request) if signed_in else 0,
        "restored_form_data": getattr(request, "restored_form", None) if signed_in else None,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_max_hours": settings.SESSION_MAX_HOURS,
    }
