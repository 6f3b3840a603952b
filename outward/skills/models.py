from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outward.care.records import ClientRecord

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
