import time
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import selectors, services

SIGNED_IN_AT = "outward_signed_in_at"  # epoch seconds, set at sign-in (see apps.py)
RENEWED_AT = "outward_renewed_at"  # epoch seconds: the session's last save (its idle clock)
SECONDS_HEADER = "X-Session-Seconds"  # the seconds left, on htmx answers (session.js)
STASH_COOKIE = "outward_form_stash"
STASH_SALT = "outward.accounts.form_stash"
FORM_TOKEN_FIELD = "form_token"
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def renew_every() -> int:
    """A session is saved again (its idle clock restarted) at most this often: a minute, or a
    thirtieth of the idle time-out if that is shorter, so no page view writes to the database
    just to say the person is still there. The time-out is then between a thirtieth short and
    exact, never longer than configured."""
    return min(settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // 30)


def session_renew(request, *, now: float, force: bool = False) -> None:
    """Restart the idle clock if it was last restarted longer ago than renew_every(): a
    changed session is saved by SessionMiddleware, with a new expiry SESSION_COOKIE_AGE on."""
    if force or now - request.session.get(RENEWED_AT, 0) >= renew_every():
        request.session[RENEWED_AT] = now


def session_seconds_left(request) -> int:
    """Until this session ends, whichever comes first: idle time-out (counted from the
    session's last save) or absolute lifetime (counted from signing in)."""
    now = time.time()
    idle = request.session.get(RENEWED_AT, now) + settings.SESSION_COOKIE_AGE - now
    absolute = request.session.get(SIGNED_IN_AT, now) + settings.SESSION_MAX_HOURS * 3600 - now
    return max(0, round(min(idle, absolute)))


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == resolve_url(
        settings.LOGIN_URL
    )


def _form_page(request) -> str:
    """The page the form was on: its Referer when same-origin, else the URL it posted to."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.netloc == request.get_host() and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.path


class SessionSafetyMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without activity (the stored session's expiry,
    renewed at most every renew_every() seconds) or SESSION_MAX_HOURS after signing in,
    whichever comes first (here). An htmx answer says how long is left (SECONDS_HEADER), as a
    page does in its body, so the idle warning comes on time.

    Nothing typed is lost when that happens in the middle of a form: a POST that arrives after
    the session ended is kept for the person whose session it was (FormStash, keyed by a
    signed cookie, a day at most) and put back into the form after they sign in again. It is
    never saved as a record until they press Save.

    It also shows every time in the signed-in person's own time zone (one middleware fewer
    for every request to pass through)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ended_user, why = None, ""
        if request.user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(request.user.time_zone))
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            session_renew(request, now=now)
            if now - started > settings.SESSION_MAX_HOURS * 3600:
                ended_user = request.user
                logout(request)
                why = ngettext(
                    "For your safety, you are signed out %(hours)s hour after signing in.",
                    "For your safety, you are signed out %(hours)s hours after signing in.",
                    settings.SESSION_MAX_HOURS,
                ) % {"hours": settings.SESSION_MAX_HOURS}
        else:
            timezone.deactivate()
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                ended_user = selectors.user_of_expired_session(
                    session_key=request.COOKIES[settings.SESSION_COOKIE_NAME]
                )
                why = _("You were signed out after %(minutes)s minutes without activity.") % {
                    "minutes": settings.SESSION_COOKIE_AGE // 60
                }
        done_with_stash = False
        if (
            request.method == "GET"
            and ended_user is None
            and request.user.is_authenticated
            and STASH_COOKIE in request.COOKIES
        ):
            done_with_stash = self._take_stash(request)
        response = self.get_response(request)
        if ended_user is not None and _is_login_redirect(response):
            response = self._ended(request, response, ended_user, why)
        if done_with_stash:
            response.delete_cookie(STASH_COOKIE)
        if request.headers.get("HX-Request") and request.user.is_authenticated:
            response[SECONDS_HEADER] = str(session_seconds_left(request))
        return response

    def _take_stash(self, request) -> bool:
        """Put back the form kept for this page, if any. True when the cookie has done its
        work (put back, or nothing is waiting for this person under it)."""
        key = request.get_signed_cookie(
            STASH_COOKIE,
            default=None,
            salt=STASH_SALT,
            max_age=services.FORM_STASH_HOURS * 3600,
        )
        if not key:
            return True
        form = services.form_stash_take(user=request.user, key=key, path=request.path)
        if form is None:
            # Another page first (the form's page comes next), or someone else's form.
            return not selectors.form_stash_waiting(user=request.user, key=key)
        request.restored_form = form
        messages.info(request, _("We kept what you typed; press Save to keep it."))
        return True

    def _ended(self, request, response, user, why):
        if request.method != "POST" or request.content_type not in FORM_CONTENT_TYPES:
            messages.info(request, why)
            return response
        page = _form_page(request)
        key = services.form_stash_create(
            user=user, path=urlsplit(page).path, action=request.path, data=request.POST
        )
        messages.info(
            request,
            _("%(why)s Nothing was saved yet: sign in again and we will put back what you typed.")
            % {"why": why},
        )
        response = redirect_to_login(page)
        response.set_signed_cookie(
            STASH_COOKIE,
            key,
            salt=STASH_SALT,
            max_age=services.FORM_STASH_HOURS * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


class CreateOnceMiddleware:
    """Every create form carries a one-time token (`{% form_token %}`). Its first submit claims
    it in the same transaction as the create and records where the create went; a second
    submit of the same form — Back + Save, a double tap, ten at once — is shown that record
    instead of making a copy. A submit that comes back with errors releases the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = ""
        if (
            request.method == "POST"
            and request.content_type in FORM_CONTENT_TYPES
            and request.user.is_authenticated
        ):
            # No NUL: PostgreSQL text cannot hold one (forms refuse it; this is read raw).
            token = request.POST.get(FORM_TOKEN_FIELD, "").replace("\x00", "")
        if not token:
            return self.get_response(request)
        with transaction.atomic():
            earlier = services.form_token_claim(user=request.user, token=token)
            if earlier is None:
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)
                    return response
                created = (
                    response.status_code in (301, 302, 303) or "HX-Redirect" in response
                ) and not getattr(request, "form_not_saved", False)
                services.form_token_settle(
                    user=request.user,
                    token=token,
                    # A create shown as a page names its record (lib.forms.saved_at).
                    result_url=getattr(request, "form_saved_url", None)
                    or (
                        (response.get("HX-Redirect") or response.get("Location"))
                        if created
                        else None
                    ),
                )
                return response
        messages.info(request, _("That was saved already, so here it is. Nothing was saved twice."))
        return redirect(earlier.result_url or _form_page(request))
