from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.models import Client, Practice
from outward.lib.links import tel_uri


class InstrumentSetting(models.Model):
    """A practice's choice to offer an instrument that ships disabled, after confirming its
    licence (or to switch off one that ships enabled)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    instrument_key = models.CharField(max_length=40)
    enabled = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "instrument_key"], name="instrumentsetting_once_per_practice"
            )
        ]


class CrisisInfo(models.Model):
    """What a client sees after answering a risk item; the practice may word it for its area."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("crisis information"))
    updated = models.DateTimeField(auto_now=True)


class CrisisLine(models.Model):
    """A local crisis line the practice set up (name, number, hours), shown with a tap-to-call
    link after a risk answer."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    number = models.CharField(
        _("phone number"),
        max_length=32,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ()./-]{1,30}$",
                _("Enter a phone number: digits, spaces and an optional leading +."),
            )
        ],
    )
    hours = models.CharField(_("hours"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # The practice's lines, in the order they were added (the crisis page).
            models.Index(fields=["practice", "created"], name="crisisline_practice"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tel(self) -> str:
        """The number as a tel: URI (digits and a leading +)."""
        return tel_uri(self.number)


class Assignment(models.Model):
    """A questionnaire given to a client once or on a schedule."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    instrument_key = models.CharField(max_length=40)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    every_days = models.PositiveSmallIntegerField(null=True, blank=True)  # None: once
    next_due = models.DateField()
    active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__isnull=True)
                | (Q(every_days__gte=1) & Q(every_days__lte=365)),
                name="assignment_every_1_to_365_days",
            )
        ]
        indexes = [
            # What is due for a client today (Today, reminders, the measures tab).
            models.Index(fields=["client", "active", "next_due"], name="assignment_client_due"),
        ]


class Response(models.Model):
    """One completion of an instrument. The answers are kept raw with the definition's
    version and the scores computed on submit; a later version never rescores it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="responses")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    instrument_key = models.CharField(max_length=40)
    instrument_version = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)  # item id -> option code
    scores = models.JSONField(default=dict)  # scale key -> {raw, score, band, complete}
    risk_items = models.JSONField(default=list)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started = models.DateTimeField(default=timezone.now)
    completed = models.DateTimeField(null=True, blank=True)  # None: in progress, resumable
    # The one-time key of the in-session entry form: submitting it twice saves once.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            # At most one unfinished response per assignment: leaving and coming back resumes it.
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(completed__isnull=True),
                name="response_one_in_progress_per_assignment",
            )
        ]
        indexes = [
            # A client's completed responses to one instrument over time (the measure page).
            models.Index(
                fields=["client", "instrument_key", "completed"], name="response_client_instrument"
            ),
        ]


class RiskAlert(models.Model):
    """Raised at once by a response with a risk answer; open until a therapist acknowledges."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="risk_alerts")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="alert")
    created = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("what you did"), blank=True)
    # When the practice admin was told that nobody acknowledged it in time (once).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # Open alerts of the clients on a caseload page.
            models.Index(
                fields=["client"], condition=Q(acknowledged_at__isnull=True), name="riskalert_open"
            ),
            # The escalation run: open alerts nobody has been told about yet, oldest first.
            models.Index(
                fields=["created"],
                condition=Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
                name="riskalert_to_escalate",
            ),
        ]


class ReadinessCheck(models.Model):
    """An in-session readiness conversation: the client's answers in their words, and the
    importance/confidence rulers per social area, with where the client chose to start."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="readiness_checks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    focus_area = models.CharField(_("where to start"), max_length=32, blank=True)
    focus_note = models.CharField(_("in the client's words"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["client", "-held_on", "-id"], name="readiness_client_recent")
        ]


class ReadinessAnswer(models.Model):
    readiness = models.ForeignKey(ReadinessCheck, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=32)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["readiness", "question"], name="readinessanswer_once")
        ]


class ReadinessRuler(models.Model):
    readiness = models.ForeignKey(ReadinessCheck, on_delete=models.CASCADE, related_name="rulers")
    area = models.CharField(max_length=32)
    importance = models.PositiveSmallIntegerField()
    confidence = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["readiness", "area"], name="readinessruler_once_per_area"
            ),
            models.CheckConstraint(
                condition=Q(importance__lte=10) & Q(confidence__lte=10),
                name="readinessruler_0_to_10",
            ),
        ]


class ImportedInstrument(models.Model):
    """A questionnaire a practice admin imported from a FHIR Questionnaire. `definition` is the
    instrument in the format of the shipped files (what `definition_from_dict` accepts); it is
    never edited afterwards, so responses scored with it stay explainable. It starts switched
    off: the admin switches it on (an InstrumentSetting) after confirming the licence."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    definition = models.JSONField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index for a practice's imports and for one import by key.
            models.UniqueConstraint(
                fields=["practice", "key"], name="importedinstrument_key_once_per_practice"
            )
        ]
