"""Reads for accounts."""

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp.plugins.otp_totp.models import TOTPDevice

from outward.lib.tokens import token_digest

from .models import FormStash, Invitation, Session, User


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: User, device_id: int) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def latest_invitation(*, user: User) -> Invitation | None:
    return Invitation.objects.filter(user=user).order_by("-created").first()


def user_of_expired_session(*, session_key: str) -> User | None:
    """Whose session this was, if it ended by running out of time (not by signing out, which
    deletes it, nor by a password change or "sign out everywhere", which change the hash)."""
    row = Session.objects.filter(session_key=session_key, expire_date__lte=timezone.now()).first()
    if row is None:
        return None
    data = row.get_decoded()
    user_id = str(data.get(SESSION_KEY, ""))
    user = user_by_id(int(user_id)) if user_id.isdigit() else None
    if user is None or not constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    ):
        return None
    return user


def form_stash_waiting(*, user: User, key: str) -> bool:
    """Is a form kept under this cookie key still waiting for `user` (on some page)?"""
    return FormStash.objects.filter(
        key_digest=token_digest(key), user=user, expires__gt=timezone.now()
    ).exists()
