import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from outward.lib.forms import posted
from outward.lib.net import client_ip

from . import selectors, services
from .forms import CodeForm, LoginForm, ProfileForm, SetPasswordForm

PENDING_USER_KEY = "outward_2fa_pending_user"
PENDING_NEXT_KEY = "outward_2fa_pending_next"
THROTTLED = _(
    "Too many sign-in attempts. For your safety, signing in is paused for a while — "
    "try again in 15 minutes, or reset your password."
)


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    next_url = request.POST.get("next") or request.GET.get("next")
    form = LoginForm(posted(request))
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        if services.login_throttled(email=email, ip=ip):
            form.add_error(None, THROTTLED)
        else:
            user = authenticate(request, email=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(email=email, ip=ip)
                form.add_error(None, _("That e-mail and password do not match an account."))
            else:
                services.login_failures_clear(email=email)
                if selectors.totp_device_confirmed(user=user):
                    request.session[PENDING_USER_KEY] = user.pk
                    request.session[PENDING_NEXT_KEY] = _safe_next(request, next_url)
                    return redirect("accounts:login_verify")
                auth_login(request, user)
                return redirect(_safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or ""})


@never_cache
@require_http_methods(["GET", "POST"])
def login_verify(request):
    """Second step for people with an authenticator app."""
    user = selectors.user_by_id(request.session.get(PENDING_USER_KEY) or 0)
    device = user and selectors.totp_device_confirmed(user=user)
    if not device:
        return redirect("home" if request.user.is_authenticated else "accounts:login")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if services.login_throttled(email=user.email, ip=ip):
            form.add_error(None, THROTTLED)
        elif not device.verify_is_allowed()[0]:
            form.add_error(
                "code", _("Too many tries in a row. Wait a few seconds, then try again.")
            )
        elif device.verify_token(form.cleaned_data["code"]):
            next_url = request.session.get(PENDING_NEXT_KEY)
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(_safe_next(request, next_url))
        else:
            services.login_failure_record(email=user.email, ip=ip)
            form.add_error("code", _("That code did not work. Codes change every 30 seconds."))
    return render(request, "accounts/login_verify.html", {"form": form})


@sensitive_post_parameters("password", "password_again")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = services.invitation_check(token)
    except services.InvitationInvalid as invalid:
        return _invitation_invalid(request, invalid.reason)
    form = SetPasswordForm(posted(request), user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password"])
        except services.InvitationInvalid as invalid:
            return _invitation_invalid(request, invalid.reason)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to Outward. Your password is set."))
        return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invited": invitation.user}
    )


def _invitation_invalid(request, reason):
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason, "message": services.invalid_invitation_messages[reason]},
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
    if selectors.totp_device_confirmed(user=user) and request.method == "GET":
        return render(request, "accounts/two_factor_on.html")
    device = None
    if request.method == "POST":
        device = selectors.totp_device_pending(
            user=user, device_id=int(request.POST.get("device") or 0)
        )
    form = CodeForm(request.POST if device else None)
    if device and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
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


@login_required
@require_http_methods(["POST"])
def two_factor_disable(request):
    if getattr(request, "requires_two_factor", False):
        messages.error(request, _("Your practice requires two-step sign-in, so it stays on."))
    else:
        services.totp_disable(user=request.user)
        messages.success(request, _("Two-step sign-in is off."))
    return redirect("accounts:account")
