"""Reads for accounts."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Invitation, User


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: User, device_id: int) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).first()


def latest_invitation(*, user: User) -> Invitation | None:
    return Invitation.objects.filter(user=user).order_by("-created").first()
