import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.accounts.models import validate_time_zone
from outward.lib.hashchain import GENESIS, canonical_ip, link_hash


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
    # How long a closed client's record is kept before it is erased, counted from the day the
    # account was closed (the discharge). 0: erased at the next purge run.
    retention_years = models.PositiveSmallIntegerField(
        _("keep a closed client's record for (years)"),
        default=7,
        validators=[MaxValueValidator(100)],
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_years__lte=100),
                name="practice_retention_at_most_100_years",
            ),
            models.CheckConstraint(
                condition=models.Q(alert_escalation_hours__gte=1)
                & models.Q(alert_escalation_hours__lte=168),
                name="practice_alert_escalation_1_to_168_hours",
            ),
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
        # The account was closed at the client's request: nobody signs in as them again, and
        # the record waits for erasure (`erase_after`).
        CLOSED = "closed", _("Account closed")

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
    # Set when the account is closed: `outward purge_due` erases the record from then on.
    erase_after = models.DateTimeField(null=True, blank=True)
    # Set by the erasure: the row stays as the tombstone the audit log points at, holding no
    # name and no clinical content.
    erased_at = models.DateTimeField(null=True, blank=True)

    # A client in one of these keeps no portal, calendar feed or reminders; the care team
    # keeps reading the record, and setting the client active again gives it all back.
    # (Paused clients keep their portal: a break is not an ending.)
    PORTAL_CLOSED = frozenset({Status.DISCHARGED, Status.CLOSED})

    class Meta:
        indexes = [
            # The practice admin's client list, alphabetical.
            models.Index(fields=["practice", "display_name"], name="client_practice_name"),
            # `purge_due`: records whose retention has ended and are not erased yet.
            models.Index(
                fields=["erase_after"],
                condition=models.Q(erased_at__isnull=True, erase_after__isnull=False),
                name="client_erase_due",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def short_name(self) -> str:
        """How the care team's screens name the client in a sentence ("Alex's goal"), as
        accounts.User.get_short_name does for a person."""
        return self.display_name.split(" ")[0] or self.display_name

    def portal_open(self) -> bool:
        return self.status not in self.PORTAL_CLOSED


class ClosureRequest(models.Model):
    """A client's request to close their account, and the practice's decision on it. The
    practice admin confirms (the account closes at once, the record is erased after the
    practice's retention period) or declines, with a reason either way."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the practice")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="closure_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The client's own words, if they gave any (erased with the record).
    note = models.TextField(_("anything you would like the practice to know"), blank=True)
    created = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(state="pending"),
                name="closure_one_pending_per_client",
            ),
            models.CheckConstraint(
                condition=models.Q(state="pending") | ~models.Q(reason=""),
                name="closure_decision_has_reason",
            ),
        ]
        # The admin's list of requests waiting: the unique constraint's partial index.


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


class ChainHead(models.Model):
    """The newest link of one hash chain (e.g. "audit:3", "security:3", "security:-"). Its row
    is locked while a link is added, so two appends at once cannot fork the chain, and it
    remembers the last hash, so rows cut from the end of a table show too."""

    name = models.CharField(max_length=40, unique=True)
    last_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default=GENESIS)


class HashChained(models.Model):
    """An append-only row that carries a link of its practice's hash chain (see
    services._chain_append and `outward verify_audit_chain`)."""

    CHAIN: str  # the chain's name prefix
    CHAIN_FIELDS: tuple[str, ...]  # what the hash covers, besides the previous hash

    # Null only for rows from before the chain, until migration 0005 links them.
    prev_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001
    hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")

    @classmethod
    def chain_name(cls, practice_id: int | None) -> str:
        return f"{cls.CHAIN}:{practice_id if practice_id is not None else '-'}"

    def link(self, prev_hash: str) -> str:
        fields = {name: getattr(self, name) for name in self.CHAIN_FIELDS}
        fields["ip"] = canonical_ip(fields.get("ip"))
        return link_hash(prev_hash=prev_hash, fields=fields)


class AuditEvent(HashChained):
    """Append-only: who looked at or changed which client's record, when and from where."""

    CHAIN = "audit"
    CHAIN_FIELDS = ("practice_id", "client_id", "actor_id", "action", "target", "ip", "created")

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        INVITE = "invite", _("invitation link made")
        INVITE_EMAIL = "invite_email", _("invitation link emailed")
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

    class Meta:
        indexes = [
            # A client's audit log, newest first.
            models.Index(fields=["client", "-created", "-id"], name="audit_client_recent"),
        ]


class SecurityEvent(HashChained):
    """Append-only: the practice's security and administration log (sign-ins, two-step
    sign-in, passwords, staff, care teams, licences, crisis text, imports, exports). `before`
    and `after` are short labels, never clinical content."""

    CHAIN = "security"
    CHAIN_FIELDS = (
        "practice_id",
        "actor_id",
        "action",
        "target",
        "before",
        "after",
        "ip",
        "created",
    )

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
        SIGN_OUT = "sign_out", _("signed out")
        TWO_FACTOR_ON = "two_factor_on", _("two-step sign-in turned on")
        TWO_FACTOR_OFF = "two_factor_off", _("two-step sign-in turned off")
        PASSWORD_CHANGE = "password_change", _("password changed")
        PASSWORD_RESET_REQUEST = "password_reset_request", _("password reset asked for")
        PASSWORD_RESET = "password_reset", _("password reset")
        INVITATION_ACCEPT = "invitation_accept", _("invitation accepted")
        STAFF_INVITE = "staff_invite", _("staff member invited")
        STAFF_DEACTIVATE = "staff_deactivate", _("staff member deactivated")
        STAFF_REACTIVATE = "staff_reactivate", _("staff member reactivated")
        STAFF_ROLE_CHANGE = "staff_role_change", _("staff roles changed")
        PRACTICE_SETTINGS = "practice_settings", _("practice security settings changed")
        CARE_TEAM_ADD = "care_team_add", _("added to a care team")
        CARE_TEAM_REMOVE = "care_team_remove", _("removed from a care team")
        LICENCE_SWITCH = "licence_switch", _("questionnaire licence switched")
        CRISIS_TEXT_EDIT = "crisis_text_edit", _("crisis text edited")
        DIRECTORY_IMPORT = "directory_import", _("community directory imported")
        FHIR_IMPORT = "fhir_import", _("FHIR questionnaire imported")
        EXPORT = "export", _("data exported")
        DELETION = "deletion", _("data deleted")

    # Empty only for failed sign-ins with an e-mail that no account uses: no practice owns them.
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    # Who or what it was done to, readable by the admin: "Cole Colleague", "client:12", "phq9".
    target = models.CharField(max_length=200, blank=True)
    before = models.CharField(max_length=200, blank=True)
    after = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The admin's log page, newest first (and its date range).
            models.Index(fields=["practice", "-created", "-id"], name="security_practice_recent"),
            # ... filtered by what happened.
            models.Index(
                fields=["practice", "action", "-created"], name="security_practice_action"
            ),
            # ... filtered by who did it.
            models.Index(fields=["practice", "actor", "-created"], name="security_practice_actor"),
        ]


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
