"""Refuse to start production with a configuration that would be unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def production_settings(app_configs, **kwargs):
    if settings.LOCAL:  # development, tests, the demo on this machine
        return []
    errors = []
    if settings.SECRET_KEY == settings.INSECURE_DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 40:
        errors.append(
            Error(
                "OUTWARD_SECRET_KEY is the built-in development key or shorter than 40 characters.",
                hint="Set OUTWARD_SECRET_KEY (or OUTWARD_SECRET_KEY_FILE) to a long random value, "
                "e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="outward.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "OUTWARD_ALLOWED_HOSTS is empty.",
                hint="Set it to the host names Outward is served under, comma-separated.",
                id="outward.E002",
            )
        )
    return errors


@register(Tags.security)
def production_email(app_configs, **kwargs):
    """Without SMTP, e-mail (password resets, reminders, risk alerts to the care team) is
    only printed to the server's console: Outward runs, but nobody receives it."""
    if settings.LOCAL:
        return []
    backend = settings.MAILERS.get("default", {}).get("BACKEND", "")
    if backend.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        return [
            Warning(
                "E-mail is not sent: no SMTP server is configured, so password resets, "
                "reminders and risk alerts go to the server's console only.",
                hint="Set OUTWARD_EMAIL_HOST (and OUTWARD_EMAIL_PORT, _USER, _PASSWORD, _TLS, "
                "OUTWARD_FROM_EMAIL). See the README's Configuration section.",
                id="outward.W001",
            )
        ]
    return []


@register()
def session_lifetime(app_configs, **kwargs):
    """An absolute lifetime shorter than the idle time-out would sign people out mid-sentence
    with no warning (the idle warning counts on the idle time-out coming first or together)."""
    if settings.SESSION_MAX_HOURS < 1 or settings.SESSION_MAX_HOURS * 3600 < (
        settings.SESSION_COOKIE_AGE
    ):
        return [
            Error(
                "OUTWARD_SESSION_MAX_HOURS is under an hour or shorter than "
                "OUTWARD_SESSION_IDLE_MINUTES.",
                hint="Set OUTWARD_SESSION_MAX_HOURS to at least 1 and at least the idle time.",
                id="outward.E020",
            )
        ]
    return []
