import base64
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from outward.lib.forms import posted, row_id
from outward.lib.net import client_ip, local_path

from . import selectors, services, signals
from .forms import (
    CodeForm,
    InvitationAcceptForm,
    LoginForm,
    ProfileForm,
    TwoFactorOffForm,
)
from .middleware import session_renew, session_seconds_left

PENDING_KEY = "outward_2fa_pending"  # {"user": id, "next": url, "until": epoch seconds}
PENDING_SECONDS = 5 * 60
THROTTLED = _lazy(
    "Too many sign-in attempts. For your safety, signing in is paused for a while — "
    "try again in 15 minutes, or reset your password."
)


def _safe_next(request, candidate: str | None) -> str:
    return local_path(request, candidate) or reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    next_url = request.POST.get("next") or request.GET.get("next")
    form = LoginForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        # Counted before the password is checked, so parallel guesses cannot outrun the limit.
        if not services.login_attempt_begin(email=email, ip=ip):
            form.add_error(None, THROTTLED)
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                form.add_error(None, _("That email and password do not match an account."))
            elif selectors.totp_device_confirmed(user=user):
                # Failures are cleared only when the code is right too, so that knowing the
                # password does not reset the count against guessing codes.
                request.session[PENDING_KEY] = {
                    "user": user.pk,
                    "next": _safe_next(request, next_url),
                    "until": time.time() + PENDING_SECONDS,
                }
                return redirect("accounts:login_verify")
            else:
                services.login_failures_clear(email=email)
                auth_login(request, user)
                return HttpResponseRedirect(_safe_next(request, next_url))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url or ""},
        status=429 if THROTTLED in form.non_field_errors() else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request):
    """Second step for people with an authenticator app."""
    pending = request.session.get(PENDING_KEY) or {}
    fresh = pending.get("until", 0) > time.time()
    user = selectors.user_by_id(pending["user"]) if fresh else None
    device = user and selectors.totp_device_confirmed(user=user)
    if not device:
        request.session.pop(PENDING_KEY, None)
        return redirect("home" if request.user.is_authenticated else "accounts:login")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if not services.login_attempt_begin(email=user.email, ip=ip):
            form.add_error(None, THROTTLED)
        elif not device.verify_is_allowed()[0]:
            form.add_error(
                "code", _("Too many tries in a row. Wait a few seconds, then try again.")
            )
        elif device.verify_token(form.cleaned_data["code"]):
            services.login_failures_clear(email=user.email)
            auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            otp_login(request, device)
            # auth_login started a new session; the pending state went with the old one.
            return HttpResponseRedirect(_safe_next(request, pending["next"]))
        else:
            signals.account_event_send(
                user=user, action=signals.SIGN_IN_FAILED, request=request, after="wrong code"
            )
            form.add_error("code", _("That code did not work. Codes change every 30 seconds."))
    return render(
        request,
        "accounts/login_verify.html",
        {"form": form},
        status=429 if THROTTLED in form.non_field_errors() else 200,
    )


@sensitive_post_parameters("password", "password_again")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_check(token)
    except services.InvitationInvalid as invalid:
        return _invitation_invalid(request, invalid.reason)
    form = InvitationAcceptForm(
        posted(request), user=invitation.user, initial={"time_zone": invitation.user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except services.InvitationInvalid as invalid:
            return _invitation_invalid(request, invalid.reason)
        signals.account_event_send(user=user, action=signals.INVITATION_ACCEPT, request=request)
        auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, _("Welcome to Outward. Your password is set."))
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invited": invitation.user}
    )


INVALID_INVITATION_MESSAGES = {
    "unknown": _lazy("This invitation link is not valid. Check that you copied all of it."),
    "used": _lazy("This invitation has already been used. If it was you, sign in instead."),
    "revoked": _lazy(
        "A newer invitation replaced this one. Use the most recent link you were sent."
    ),
    "expired": _lazy("This invitation has expired."),
}


def _invitation_invalid(request, reason):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason, "message": INVALID_INVITATION_MESSAGES[reason]},
        status=404 if reason == "unknown" else 410,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    form = ProfileForm(
        posted(request), initial={"full_name": user.full_name, "time_zone": user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {"form": form, "has_2fa": selectors.totp_device_confirmed(user=user) is not None},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn on an authenticator app: show a QR code, confirm with one code."""
    user = request.user
    if selectors.totp_device_confirmed(user=user):
        # Replacing the app means turning two-step sign-in off first, from a verified session.
        return render(request, "accounts/two_factor_on.html")
    device = None
    device_id = row_id(request.POST.get("device"))
    if request.method == "POST" and device_id is not None:
        device = selectors.totp_device_pending(user=user, device_id=device_id)
    form = CodeForm(request.POST if device else None)
    if device and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            signals.account_event_send(
                user=user, action=signals.TWO_FACTOR_ON, request=request, before="off", after="on"
            )
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("accounts:account")
        form.add_error(
            "code", _("That code did not work. Check the time on your phone and try again.")
        )
    device = device or services.totp_device_start(user=user)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "device": device,
            # segno writes the SVG itself from the key; nothing user-typed goes into it.
            "qr_svg": mark_safe(  # noqa: S308
                qr.svg_inline(scale=5, title=_("QR code for your authenticator app"))
            ),
            "secret": base64.b32encode(device.bin_key).decode().rstrip("="),
        },
    )


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_disable(request):
    """Turning it off asks for the password and a current code: a session left open on a
    shared computer is not enough to weaken the account."""
    user, device = request.user, selectors.totp_device_confirmed(user=request.user)
    if device is None:
        return redirect("accounts:account")
    if getattr(request, "requires_two_factor", False):
        messages.error(request, _("Your practice requires two-step sign-in, so it stays on."))
        return redirect("accounts:account")
    form = TwoFactorOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not services.login_attempt_begin(email=user.email, ip=client_ip(request)):
            form.add_error(None, THROTTLED)
        elif user.check_password(form.cleaned_data["password"]) and device.verify_token(
            form.cleaned_data["code"]
        ):
            services.login_failures_clear(email=user.email)
            services.totp_disable(user=user)
            signals.account_event_send(
                user=user, action=signals.TWO_FACTOR_OFF, request=request, before="on", after="off"
            )
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:account")
        else:
            form.add_error(None, _("The password or the code is not right."))
    return render(request, "accounts/two_factor_off.html", {"form": form})


class _PasswordSetLogged:
    """A password form that sets `form.user`'s password: once it has, the security log
    hears `account_action`."""

    account_action = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        signals.account_event_send(user=form.user, action=self.account_action, request=self.request)
        return response


class PasswordChangeView(_PasswordSetLogged, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")
    account_action = signals.PASSWORD_CHANGE


class PasswordResetView(auth_views.PasswordResetView):
    """Limited per address and per address of origin. Over the limit the answer is the same
    "check your e-mail" page, so it never says whether the address has an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not services.password_reset_allowed(email=email, ip=client_ip(self.request)):
            return redirect(self.success_url)
        for user in form.get_users(email):
            signals.account_event_send(
                user=user, action=signals.PASSWORD_RESET_REQUEST, request=self.request
            )
        return super().form_valid(form)


class PasswordResetConfirmView(_PasswordSetLogged, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    account_action = signals.PASSWORD_RESET


@login_required
@never_cache
@require_http_methods(["POST"])
def keep_alive(request):
    """ "Stay signed in" from the idle warning: renews the session now, however recently it
    was renewed, and answers how long it has (the absolute lifetime still counts)."""
    session_renew(request, now=time.time(), force=True)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"seconds": session_seconds_left(request)})
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere(request):
    """Every browser signed in as this person, this one included, has to sign in again."""
    services.sessions_end_everywhere(user=request.user)
    auth_logout(request)
    messages.success(
        request, _("You are signed out everywhere, on this device and every other one.")
    )
    return redirect("accounts:login")
