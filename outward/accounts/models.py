from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from outward.lib.zones import known_zones


def validate_time_zone(value: str) -> None:
    if value not in known_zones():
        raise ValidationError(_("%(value)s is not a time zone we know."), params={"value": value})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        validate_time_zone(fields.get("time_zone", "UTC"))
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: therapists, practice admins and clients. E-mail is the login."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Raised by "sign out everywhere": it is part of the session hash, so every session
    # signed in before the raise stops verifying (as a password change does).
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def _get_session_auth_hash(self, secret=None):
        if not self.session_generation:
            # Generation 0 hashes as Django does, so sessions from before this field survive.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "outward.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Session(AbstractBaseSession):
    """A signed-in browser's session, as Django stores it, with whose it is in a column of its
    own: the person (and who they are to a practice) is read with the session row in one
    statement on every signed-in request (sessions.SessionStore). The session data stays the
    authority; the column is written from it on every save.

    Not a database constraint: a session saved while its person is being deleted must not
    fail. Deleting a person deletes their sessions all the same (on_delete)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        return import_module(settings.SESSION_ENGINE).SessionStore


class Invitation(models.Model):
    """A one-time link that lets a person set their first password. Only the digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # "Is there an open invitation for this person?" on the client page.
            models.Index(fields=["user", "-created"], name="invitation_user_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires__gt=models.F("created")),
                name="invitation_expires_after_created",
            )
        ]

    def is_open(self) -> bool:
        return self.used is None and self.revoked is None and self.expires > timezone.now()


class _Attempt(models.Model):
    """One attempt by an address (typed) from an address of origin, counted over a sliding
    window (services._over_limit)."""

    email = models.CharField(max_length=254)
    ip = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class LoginFailure(_Attempt):
    """One failed sign-in; counted over a sliding window to throttle guessing."""

    class Meta:
        indexes = [
            # Failures for one account in the window.
            models.Index(fields=["email", "created"], name="loginfailure_email_time"),
            # Failures from one address in the window.
            models.Index(fields=["ip", "created"], name="loginfailure_ip_time"),
        ]


class PasswordResetRequest(_Attempt):
    """One request for a password-reset e-mail; counted like LoginFailure to stop floods."""

    class Meta:
        indexes = [
            # Requests for one address in the window.
            models.Index(fields=["email", "created"], name="resetrequest_email_time"),
            # Requests from one address of origin in the window.
            models.Index(fields=["ip", "created"], name="resetrequest_ip_time"),
        ]


class FormToken(models.Model):
    """A create form's one-time token, claimed in the same transaction as the record it
    creates. A second submit of the same form (Back + Save, a double tap, a retry on a slow
    line) finds the claim and is shown the record the first one saved, not a copy."""

    token = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    # Where the first submit went when it succeeded: the saved record, or the page listing it.
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token"], name="formtoken_token_unique")]
        indexes = [
            # Pruning claims older than a resubmit could plausibly come.
            models.Index(fields=["created"], name="formtoken_created"),
        ]


class FormStash(models.Model):
    """What a person typed into a form that arrived after their session had ended. Kept for
    that person only, until they sign in again (within a day), then put back into the form
    for them to press Save again. Never saved as a record by itself."""

    key_digest = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    # {"action": the URL the form posted to, "fields": [[name, value], ...] in the order sent}
    form = models.JSONField(default=dict)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key_digest"], name="formstash_key_unique"),
            models.CheckConstraint(
                condition=models.Q(expires__gt=models.F("created")),
                name="formstash_expires_after_created",
            ),
        ]
        indexes = [
            # Pruning stashes nobody came back for.
            models.Index(fields=["expires"], name="formstash_expires"),
        ]
