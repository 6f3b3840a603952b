"""Writes for accounts: invited users, invitations, sign-in throttling, two-factor devices."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from outward.lib.locks import hold_until_commit
from outward.lib.tokens import new_token, token_digest

from .models import (
    FormStash,
    FormToken,
    Invitation,
    LoginFailure,
    PasswordResetRequest,
    Session,
    User,
    validate_time_zone,
)

# One answer for every address some account already uses, in this practice or any other, and
# for two submits racing: which practice (if any) an address belongs to is not the asker's
# business, and a client's address is itself confidential.
EMAIL_UNAVAILABLE = _lazy(
    "This address cannot be used for a new account. Ask the person for another email address "
    "(for example, one they keep for Outward)."
)


def email_available(email: str) -> bool:
    return not User.objects.filter(email__iexact=email).exists()


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired; `reason` is one of those words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def invited_user_create(*, email: str, full_name: str, time_zone: str) -> User:
    """A person who cannot sign in until they accept an invitation and choose a password."""
    user = User(email=email, full_name=full_name, time_zone=time_zone, is_active=False)
    user.set_unusable_password()
    user.full_clean(validate_unique=False)  # uniqueness below, in the one wording
    if not email_available(user.email):
        raise ValidationError({"email": [EMAIL_UNAVAILABLE]})
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address submitted twice at once
        raise ValidationError({"email": [EMAIL_UNAVAILABLE]}) from None
    return user


@transaction.atomic
def invitation_create(*, user: User, created_by: User) -> tuple[Invitation, str]:
    """A fresh one-time link for `user`; any earlier open link stops working. Returns the token."""
    now = timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise ValidationError(_("%(name)s has already joined.") % {"name": user})
    invitations_revoke(user=user)
    token = new_token()
    invitation = Invitation(
        user=user,
        token_digest=token_digest(token),
        created_by=created_by,
        created=now,
        expires=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitations_revoke(*, user: User) -> None:
    """Every open link for `user` stops working."""
    Invitation.objects.filter(user=user, used=None, revoked=None).update(revoked=timezone.now())


def invitation_check(token: str, *, lock: bool = False) -> Invitation:
    """The open invitation for this token, or InvitationInvalid saying why not. With `lock`
    (inside a transaction) the row stays locked, so two submits cannot both use it."""
    invitations = Invitation.objects.select_related("user")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_digest=token_digest(token)).first()
    if invitation is None:
        raise InvitationInvalid("unknown")
    if invitation.used:
        raise InvitationInvalid("used")
    if invitation.revoked:
        raise InvitationInvalid("revoked")
    if invitation.expires <= timezone.now():
        raise InvitationInvalid("expired")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, time_zone: str | None = None) -> User:
    """Set the invited person's password (and time zone, when they chose one) and let them in;
    the link cannot be used again."""
    invitation = invitation_check(token, lock=True)
    user = User.objects.select_for_update().get(pk=invitation.user_id)
    if user.has_usable_password():
        # Someone who has joined changes their password by signing in, never through a link.
        raise InvitationInvalid("used")
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    if time_zone:
        validate_time_zone(time_zone)
        user.time_zone = time_zone
    user.save(update_fields=["password", "is_active", "time_zone"])
    invitation.used = timezone.now()
    invitation.save(update_fields=["used"])
    return user


def _over_limit(model, *, email: str, ip: str | None, window: int, per_email: int, per_ip: int):
    since = timezone.now() - timedelta(seconds=window)
    recent = model.objects.filter(created__gte=since)
    if recent.filter(email=email).count() >= per_email:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= per_ip


def login_throttled(*, email: str, ip: str | None) -> bool:
    """Too many recent failures for this account or from this address."""
    return _over_limit(
        LoginFailure,
        email=email.lower(),
        ip=ip,
        window=settings.LOGIN_THROTTLE_WINDOW_SECONDS,
        per_email=settings.LOGIN_THROTTLE_PER_ACCOUNT,
        per_ip=settings.LOGIN_THROTTLE_PER_IP,
    )


@transaction.atomic
def login_attempt_begin(*, email: str, ip: str | None) -> bool:
    """May this guess (a password or a code) be checked? If so it is counted as a failure at
    once, and a right answer takes it back (login_failures_clear). Count and record are one
    turn under a lock, so guesses fired in parallel cannot all slip under the limit."""
    email = email.lower()[:254]
    hold_until_commit(f"login:{email}", f"login-ip:{ip}")
    if login_throttled(email=email, ip=ip):
        return False
    LoginFailure.objects.create(email=email, ip=ip)
    return True


@transaction.atomic
def password_reset_allowed(*, email: str, ip: str | None) -> bool:
    """May a reset e-mail go to this address now? Limited per address and per address of
    origin, whether or not an account uses the address, so the answer reveals nothing."""
    email = email.lower()[:254]
    hold_until_commit(f"reset:{email}", f"reset-ip:{ip}")
    if _over_limit(
        PasswordResetRequest,
        email=email,
        ip=ip,
        window=settings.PASSWORD_RESET_THROTTLE_WINDOW_SECONDS,
        per_email=settings.PASSWORD_RESET_THROTTLE_PER_ADDRESS,
        per_ip=settings.PASSWORD_RESET_THROTTLE_PER_IP,
    ):
        return False
    PasswordResetRequest.objects.create(email=email, ip=ip)
    return True


def login_failures_clear(*, email: str) -> None:
    """A correct password ends the account's run of failures (the address's count stays)."""
    LoginFailure.objects.filter(email=email.lower()).delete()


def login_failures_prune() -> int:
    """Forget failures and reset requests older than their windows; safe to run from cron."""
    now = timezone.now()
    since = now - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    deleted, _counts = LoginFailure.objects.filter(created__lt=since).delete()
    since = now - timedelta(seconds=settings.PASSWORD_RESET_THROTTLE_WINDOW_SECONDS)
    resets, _counts = PasswordResetRequest.objects.filter(created__lt=since).delete()
    return deleted + resets


@transaction.atomic
def profile_update(*, user: User, full_name: str, time_zone: str) -> User:
    user.full_name = full_name
    user.time_zone = time_zone
    user.full_clean()
    user.save(update_fields=["full_name", "time_zone"])
    return user


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator key for `user` (replacing any unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the key with a code from the app; the first confirmed key replaces older ones."""
    if not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def totp_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


# --- No lost or doubled work: one-time form tokens, stashes of expired-session forms ---

FORM_STASH_MAX_CHARS = 64 * 1024
FORM_STASH_HOURS = 24
# Never kept: secrets, and tokens that belong to the page that sent them.
FORM_STASH_SKIP = {"csrfmiddlewaretoken", "form_token", "code", "token", "next"}


def form_token_claim(*, user: User, token: str) -> FormToken | None:
    """Claim a create form's token inside the caller's transaction (the one that creates the
    record). Returns None when this submit is the first; otherwise the earlier claim.

    A concurrent submit of the same token waits on the unique index (PostgreSQL) or on the
    write lock (SQLite, IMMEDIATE transactions) and then finds the first one's claim."""
    try:
        with transaction.atomic():
            FormToken.objects.create(token=token[:64], user=user)
    except IntegrityError:
        earlier = FormToken.objects.filter(token=token[:64]).first()
        # Someone else's token (only by guessing it) is treated like a stale form.
        return earlier if earlier is not None and earlier.user_id == user.pk else FormToken()
    return None


def form_token_settle(*, user: User, token: str, result_url: str | None) -> None:
    """The create went through (`result_url` is where it went) or did not (None: the form
    came back with errors, so the same token may be submitted again)."""
    claims = FormToken.objects.filter(token=token[:64], user=user)
    if result_url is None:
        claims.delete()
    else:
        claims.update(result_url=result_url[:500])


def form_stash_create(*, user: User, path: str, action: str, data) -> str:
    """Keep what `user` typed (`data`, a QueryDict) into the form on the page at `path` that
    posted to `action` after their session had ended.
    Returns the key for the cookie; only its digest is stored. Secrets are left out and the
    whole is capped in size (a field that does not fit is dropped, not the whole)."""
    fields, size = [], 0
    for name, values in data.lists():
        if name in FORM_STASH_SKIP or "password" in name.lower() or "\x00" in name:
            continue
        for value in values:
            value = value.replace("\x00", "")  # PostgreSQL's JSON holds no NUL character
            cost = len(name) + len(value)
            if size + cost > FORM_STASH_MAX_CHARS:
                continue  # too big to keep: the smaller fields still are
            size += cost
            fields.append([name, value])
    key = new_token()
    now = timezone.now()
    FormStash.objects.create(
        key_digest=token_digest(key),
        user=user,
        path=path[:500],
        form={"action": action, "fields": fields},
        created=now,
        expires=now + timedelta(hours=FORM_STASH_HOURS),
    )
    return key


@transaction.atomic
def form_stash_take(*, user: User, key: str, path: str) -> dict | None:
    """The fields kept for `user` at `path` under `key`, once: the stash is gone after."""
    stash = (
        FormStash.objects.select_for_update()
        .filter(key_digest=token_digest(key), user=user, path=path, expires__gt=timezone.now())
        .first()
    )
    if stash is None:
        return None
    stash.delete()
    return stash.form


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """Sign `user` out of every browser: a new session generation stops every session signed
    in before it from verifying (see User._get_session_auth_hash)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


FORM_TOKEN_KEEP_DAYS = 7  # a resubmit later than this (a tab left open for a week) is new


def sessions_prune() -> int:
    """Forget ended sessions, and form claims and stashes nobody can use any more (for cron).
    Returns how many rows went."""
    now = timezone.now()
    removed = Session.objects.filter(expire_date__lt=now - timedelta(hours=FORM_STASH_HOURS))
    count = removed.delete()[0]
    count += FormStash.objects.filter(expires__lte=now).delete()[0]
    old_claims = FormToken.objects.filter(created__lt=now - timedelta(days=FORM_TOKEN_KEEP_DAYS))
    return count + old_claims.delete()[0]


@transaction.atomic
def account_close(*, user: User) -> None:
    """Nobody signs in as `user` again: the account is switched off, every session ends and
    any open invitation link stops working."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    sessions_end_everywhere(user=user)
    invitations_revoke(user=user)


ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: never a real address


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Remove every personal detail of a closed account. The row stays, nameless and unable to
    sign in, because the audit log (hash-chained) names it as who did what."""
    email = user.email
    user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ""
    user.time_zone = "UTC"
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()
    user.save(
        update_fields=["email", "full_name", "time_zone", "is_active", "last_login", "password"]
    )
    sessions_end_everywhere(user=user)
    Invitation.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    FormToken.objects.filter(user=user).delete()
    FormStash.objects.filter(user=user).delete()
    LoginFailure.objects.filter(email=email.lower()).delete()
    PasswordResetRequest.objects.filter(email=email.lower()).delete()
