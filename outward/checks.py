"""Refuse to start production with a configuration that would be unsafe."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def production_settings(app_configs, **kwargs):
    if settings.DEBUG:
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
