from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.records import ClientRecord, visibility_field

from .traps import TRAP_KEYS, trap_name

SUDS_MAX = 100


class FearLadder(ClientRecord):
    """A client's exposure ladder toward one kind of social situation (DESIGN "Fear ladder")."""

    title = models.CharField(_("ladder"), max_length=200)
    archived = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_related_name = "fear_ladders"
        indexes = [models.Index(fields=["client", "archived"], name="ladder_client_archived")]

    def __str__(self) -> str:
        return self.title


class Rung(ClientRecord):
    """One concrete situation on a ladder, with the distress the client expects (SUDS 0–100).
    A ladder's rungs read in order of expected SUDS, lowest first."""

    class Source(models.TextChoices):
        TYPED = "typed", _("Written")
        LIBRARY = "library", _("From the examples")
        GOAL_STEP = "goal_step", _("From a goal's step")
        RESOURCE = "resource", _("From the directory")

    class Status(models.TextChoices):
        NOT_TRIED = "not_tried", _("Not tried yet")
        PRACTISING = "practising", _("Practising")
        DONE = "done", _("Done")

    ladder = models.ForeignKey(FearLadder, on_delete=models.CASCADE, related_name="rungs")
    situation = models.CharField(_("situation"), max_length=300)
    expected_suds = models.PositiveSmallIntegerField(_("expected distress (0–100)"))
    # Ties in SUDS keep the order they were added in.
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.TYPED)
    # What the rung came from, e.g. "library:meet-3", "goals.step:12", "community.resource:4".
    source_ref = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_TRIED)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_related_name = "+"
        ordering = ["expected_suds", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_suds__gte=0) & Q(expected_suds__lte=SUDS_MAX),
                name="rung_suds_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False)
                | (~Q(status="done") & Q(done_at__isnull=True)),
                name="rung_done_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["ladder", "expected_suds", "position"], name="rung_ladder_order"),
            models.Index(fields=["client", "status"], name="rung_client_status"),
        ]

    def __str__(self) -> str:
        return self.situation


# Thought records (issue 9) -----------------------------------------------------------------

THOUGHT_TEXT_MAX = 2000
EMOTION_NAME_MAX = 60


class ThoughtRecordSettings(models.Model):
    """A practice's thought-record defaults, set by its admin: whether a new thought record
    starts shared with the care team or kept to the client (the client chooses per record)."""

    practice = models.OneToOneField(
        "care.Practice", on_delete=models.CASCADE, related_name="thought_record_settings"
    )
    default_visibility = visibility_field(_("new thought records start as"))


class ThoughtRecord(ClientRecord):
    """A CBT thought record: the situation, the automatic thought, the emotions it brought (each
    rated 0–100 and re-rated at the end), the thinking traps in it, the evidence both ways and
    a balanced thought. It may be saved part-way: only the automatic thought is needed.
    Every save writes a ThoughtRecordVersion, so the original thought is never lost."""

    situation = models.TextField(_("situation"), blank=True)
    automatic_thought = models.TextField(_("automatic thought"))
    evidence_for = models.TextField(_("evidence for the thought"), blank=True)
    evidence_against = models.TextField(_("evidence against the thought"), blank=True)
    balanced_thought = models.TextField(_("balanced thought"), blank=True)
    visibility = visibility_field()
    # What it was started from, e.g. "today", "skills.exposure:5", "community.plan:3".
    started_from = models.CharField(max_length=100, blank=True)

    class Meta:
        default_related_name = "thought_records"
        constraints = [
            models.CheckConstraint(
                condition=~Q(automatic_thought=""), name="thoughtrecord_has_thought"
            ),
        ]
        indexes = [
            # The client's thought records, newest first (the list, the summary's window).
            models.Index(fields=["client", "-created"], name="thoughtrecord_client_recent"),
        ]

    def __str__(self) -> str:
        return self.automatic_thought[:60]


class ThoughtEmotion(models.Model):
    """One emotion of a thought record: rated when the thought came (0–100) and, once the
    record is worked through, re-rated (null until then)."""

    record = models.ForeignKey(ThoughtRecord, on_delete=models.CASCADE, related_name="emotions")
    name = models.CharField(_("emotion"), max_length=EMOTION_NAME_MAX)
    intensity = models.PositiveSmallIntegerField(_("how strong (0–100)"))
    rerated = models.PositiveSmallIntegerField(_("how strong now (0–100)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="thoughtemotion_has_name"),
            models.CheckConstraint(
                condition=Q(intensity__lte=SUDS_MAX), name="thoughtemotion_intensity_0_100"
            ),
            models.CheckConstraint(
                condition=Q(rerated__isnull=True) | Q(rerated__lte=SUDS_MAX),
                name="thoughtemotion_rerated_0_100",
            ),
        ]

    def drop(self) -> int | None:
        return None if self.rerated is None else self.intensity - self.rerated


class ThoughtTrap(models.Model):
    """A thinking trap the client spotted in a thought record (a key of skills.traps)."""

    record = models.ForeignKey(ThoughtRecord, on_delete=models.CASCADE, related_name="traps")
    key = models.CharField(_("thinking trap"), max_length=32)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "key"], name="thoughttrap_once_per_record"),
            models.CheckConstraint(condition=Q(key__in=TRAP_KEYS), name="thoughttrap_known_key"),
        ]
        indexes = [
            # The therapist's summary counts traps per key over a client's shared records.
            models.Index(fields=["key", "record"], name="thoughttrap_key_record"),
        ]

    def name(self):
        return trap_name(self.key)


class ThoughtRecordVersion(models.Model):
    """A snapshot of a thought record as one save left it. Number 1 is the record as first
    written: its automatic thought is the original thought."""

    record = models.ForeignKey(ThoughtRecord, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="thoughtversion_number"),
        ]
