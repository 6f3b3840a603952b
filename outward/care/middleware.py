from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from outward.accounts import selectors as account_selectors

from . import selectors


class PracticeRoleMiddleware:
    """Knows who the signed-in person is to a practice (staff or client), once per request,
    and holds staff of a practice that requires two-step sign-in to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership, request.portal_client = selectors.practice_role(user=request.user)
        if request.portal_client is not None and not request.portal_client.portal_open():
            return _portal_closed(request)
        request.requires_two_factor = bool(
            request.membership and request.membership.practice.require_two_factor
        )
        if request.requires_two_factor and not request.user.is_verified():
            if account_selectors.totp_device_confirmed(user=request.user):
                # A session from before the app was set up: sign in again, with a code.
                logout(request)
                return redirect_to_login(request.get_full_path())
            allowed = {reverse("accounts:two_factor"), reverse("accounts:logout")}
            if request.path not in allowed:
                messages.info(
                    request, _("Your practice asks all staff to turn on two-step sign-in first.")
                )
                return redirect("accounts:two_factor")
        return self.get_response(request)


def _portal_closed(request):
    """A discharged client is signed out, kindly, wherever they were going: their record stays
    with the care team, and signing in again works once the practice reopens it."""
    practice = request.portal_client.practice
    logout(request)
    request.portal_client = None
    return render(request, "care/portal_closed.html", {"practice": practice}, status=403)
