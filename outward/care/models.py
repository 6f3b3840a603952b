import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.accounts.models import validate_time_zone


class Practice(models.Model):
    """A therapy practice: the tenant. Every clinical row reaches one in at most one join."""

    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    require_two_factor = models.BooleanField(_("require two-step sign-in for staff"), default=False)
    # A risk alert nobody acknowledged within this many hours is escalated to the admins.
    alert_escalation_hours = models.PositiveSmallIntegerField(
        _("tell the practice admins when a risk alert is unacknowledged after (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alert_escalation_hours__gte=1)
                & models.Q(alert_escalation_hours__lte=168),
                name="practice_alert_escalation_1_to_168_hours",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A staff member of one practice: a therapist, a practice admin, or both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="members")
    is_therapist = models.BooleanField(_("therapist"), default=True)
    is_admin = models.BooleanField(_("practice admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_therapist=True) | models.Q(is_admin=True),
                name="membership_has_a_role",
            )
        ]
        indexes = [
            # The practice's therapists (care-team choices, staff list).
            models.Index(fields=["practice", "is_therapist"], name="membership_practice_role"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Client(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        DISCHARGED = "discharged", _("Discharged")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client"
    )
    display_name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    # A client in one of these keeps no portal, calendar feed or reminders; the care team
    # keeps reading the record, and setting the client active again gives it all back.
    # (Paused clients keep their portal: a break is not an ending.)
    PORTAL_CLOSED = frozenset({Status.DISCHARGED})

    class Meta:
        indexes = [
            # The practice admin's client list, alphabetical.
            models.Index(fields=["practice", "display_name"], name="client_practice_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def portal_open(self) -> bool:
        return self.status not in self.PORTAL_CLOSED


class CareTeamMember(models.Model):
    """A therapist on a client's care team: the only way a therapist reaches client data."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    therapist = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="care_teams")
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["therapist", "client"], name="careteam_one_place_per_therapist"
            )
        ]
        # The unique constraint's index (therapist, client) serves the caseload query.


class SessionNote(models.Model):
    """A therapist's private note about a session. Never shown to the client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="session_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session_date = models.DateField(_("session date"))
    text = models.TextField(_("note"))
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The client's notes, newest session first; also "last session" on the caseload.
            models.Index(fields=["client", "-session_date", "-id"], name="note_client_date"),
        ]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Audit events are append-only.")

    def delete(self):
        raise ValueError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Append-only: who looked at or changed which client's record, when and from where."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        INVITE = "invite", _("invitation link made")
        CARE_TEAM_ADD = "care_team_add", _("added to care team")
        CARE_TEAM_REMOVE = "care_team_remove", _("removed from care team")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    # What was touched, as "kind:id" (e.g. "session_note:12", "client:3").
    target = models.CharField(max_length=80)
    ip = models.GenericIPAddressField(null=True)
    created = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [
            # A client's audit log, newest first.
            models.Index(fields=["client", "-created", "-id"], name="audit_client_recent"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class ReminderPreference(models.Model):
    """A client's opt-in to reminder e-mails, sent at most once a day in their time zone."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="+")
    email_enabled = models.BooleanField(_("e-mail me when something is planned"), default=False)
    send_at = models.TimeField(_("send at"), default=datetime.time(9, 0))
    quiet_start = models.TimeField(_("quiet from"), default=datetime.time(21, 0))
    quiet_end = models.TimeField(_("quiet until"), default=datetime.time(8, 0))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The reminder run walks only the clients who opted in.
            models.Index(
                fields=["client"],
                condition=models.Q(email_enabled=True),
                name="reminder_opted_in",
            )
        ]


class ReminderSent(models.Model):
    """One reminder e-mail per client per local day: what makes the run idempotent."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="remindersent_once_a_day")
        ]
