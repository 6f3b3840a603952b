from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.models import Client
from outward.care.records import ClientRecord, Visibility, visibility_field


class CheckIn(ClientRecord):
    """The client's weekly check-in: how the week felt, and who they connected with. The
    answers are shared with the care team; the note the client may keep to themself."""

    occurred = models.DateTimeField(default=timezone.now)
    # The client's own calendar day of `occurred`: one check-in per client per day, the
    # shortest period a schedule can ask for (every 1–31 days), so a resubmit or ten at once
    # store one. Null only on rows from before the rule that shared a day with an earlier one.
    day = models.DateField(_("day"), null=True, blank=True, editable=False)
    mood = models.PositiveSmallIntegerField(_("mood"))
    loneliness = models.PositiveSmallIntegerField(_("loneliness"))
    meaningful_interactions = models.PositiveSmallIntegerField(_("meaningful interactions"))
    in_person = models.PositiveSmallIntegerField(_("in person"))
    online = models.PositiveSmallIntegerField(_("online"))
    win = models.CharField(_("win of the week"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_visibility = visibility_field(_("who sees the note"))

    private_fields = {"note": "note_visibility"}

    class Meta:
        default_related_name = "check_ins"
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="checkin_one_per_client_day"),
            models.CheckConstraint(condition=Q(mood__lte=10), name="checkin_mood_0_10"),
            models.CheckConstraint(condition=Q(loneliness__lte=10), name="checkin_loneliness_0_10"),
            models.CheckConstraint(
                condition=Q(meaningful_interactions__lte=500), name="checkin_interactions_cap"
            ),
            models.CheckConstraint(
                condition=Q(in_person__lte=F("meaningful_interactions") - F("online")),
                name="checkin_split_within_total",
            ),
        ]
        indexes = [
            # A client's check-ins, newest first (journal, trend chart, "due", caseload).
            models.Index(fields=["client", "-occurred"], name="checkin_client_recent"),
        ]

    def note_kept_private(self) -> bool:
        return self.note_visibility == Visibility.PRIVATE


class CheckInSchedule(models.Model):
    """How often a client is asked for a check-in (weekly unless changed)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="+")
    every_days = models.PositiveSmallIntegerField(_("every (days)"), default=7)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1) & Q(every_days__lte=31),
                name="checkinschedule_1_to_31_days",
            )
        ]


class Contact(ClientRecord):
    """One social contact the client logged: reached out, met up, went to an event, or online.
    A private one is the client's alone: not shown, counted or celebrated for the care team."""

    class Kind(models.TextChoices):
        REACHED_OUT = "reached_out", _("Reached out to someone")
        MET_UP = "met_up", _("Met up with someone")
        EVENT = "event", _("Went to a group or event")
        ONLINE = "online", _("Talked with someone online")

    occurred = models.DateTimeField(default=timezone.now)
    kind = models.CharField(_("what happened"), max_length=16, choices=Kind.choices)
    with_whom = models.CharField(_("with whom (optional)"), max_length=120, blank=True)
    quality = models.PositiveSmallIntegerField(_("how it went (1–5)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    visibility = visibility_field()

    class Meta:
        default_related_name = "contacts"
        constraints = [
            models.CheckConstraint(
                condition=Q(quality__isnull=True) | (Q(quality__gte=1) & Q(quality__lte=5)),
                name="contact_quality_1_to_5",
            )
        ]
        indexes = [
            # A client's contacts in a period (journal list, cadence counts, happenings).
            models.Index(fields=["client", "occurred"], name="contact_client_time"),
        ]


class InsightShare(ClientRecord):
    """The client chose to share one pattern insight (a rule of journal.insights) with their
    care team. Keyed by rule, not by sentence: the insight is computed afresh when read, so
    the care team sees the same pattern the client sees today. No row: never shared; a row
    with `shared` off: shared once and taken back (kept so the audit trail has its target)."""

    rule = models.CharField(_("insight"), max_length=40)
    shared = models.BooleanField(default=True)

    class Meta:
        default_related_name = "insight_shares"
        constraints = [
            # Also the index of "which insights has this client shared" (one row per rule).
            models.UniqueConstraint(fields=["client", "rule"], name="insightshare_one_per_rule"),
        ]
