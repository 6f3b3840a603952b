"""The practice's security log hears what happened to accounts (accounts cannot import care):
Django's sign-in signals and accounts' own `account_event`. Connected in CareConfig.ready.

A failed sign-in for an e-mail that no account uses is kept in the practice-less stream
(practice empty) with only its address of origin: no practice owns it, and the typed text
may be a stranger's address or a password typed into the wrong box, so it is not stored."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from outward.accounts.signals import account_event
from outward.lib.net import client_ip

from . import selectors, services
from .models import SecurityEvent


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else None


def _record_for(user, *, action: str, request, before: str = "", after: str = "") -> None:
    services.security_event_record(
        practice=selectors.practice_of_user(user=user),
        actor=user,
        action=action,
        target=user.email,
        before=before,
        after=after,
        ip=_ip(request),
    )


def _signed_in(sender, request, user, **kwargs):
    _record_for(user, action=SecurityEvent.Action.SIGN_IN, request=request)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        _record_for(user, action=SecurityEvent.Action.SIGN_OUT, request=request)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    email = str(credentials.get(get_user_model().USERNAME_FIELD) or "").lower()
    user = get_user_model().objects.filter(email=email).first() if email else None
    services.security_event_record(
        practice=selectors.practice_of_user(user=user) if user is not None else None,
        actor=None,
        action=SecurityEvent.Action.SIGN_IN_FAILED,
        target=user.email if user is not None else "",
        after="wrong password",
        ip=_ip(request),
    )


def _account_event(sender, user, action, request, before="", after="", **kwargs):
    _record_for(user, action=action, request=request, before=before, after=after)


SIGNED_IN = "care.security.signed_in"  # the sign-in receiver's dispatch_uid


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid=SIGNED_IN)
    user_logged_out.connect(_signed_out, dispatch_uid="care.security.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="care.security.sign_in_failed")
    account_event.connect(_account_event, dispatch_uid="care.security.account_event")
