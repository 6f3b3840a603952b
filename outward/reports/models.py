from django.db import models
from django.utils import timezone

from outward.care.models import Client


class CalendarFeed(models.Model):
    """A client's private calendar subscription: the link carries the secret token, the
    database keeps only its digest. Making a new link replaces the digest, so the old link
    stops working."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="+")
    # The feed URL is looked up by this digest (the unique constraint's index serves it).
    token_digest = models.CharField(max_length=64, unique=True)
    # Off: every event is titled "Outward: a step you planned", so a glance at a shared or
    # synced calendar reveals nothing clinical. On: the step's own title.
    own_wording = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)  # when the current link was made

    def __str__(self) -> str:
        return f"calendar feed of client {self.client_id}"


class SessionPrep(models.Model):
    """What the client approved to talk about at their next session ("Before we meet"): the
    items they kept from the draft of what happened since their last session, and
    agenda items of their own. `items` and `agenda` are the approved snapshot, as the client
    saw it, never recomputed: the therapist reads exactly what was approved. One per client
    and period; approving again replaces it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    # Where the period runs from: the local midnight of the last session's day (or, before a
    # first session, when the client was added). A new session starts a new period.
    since = models.DateTimeField()
    # [{"key", "label", "text", "occurred"}] in the order shown; at most PREP_ITEMS_MAX.
    items = models.JSONField(default=list)
    removed = models.PositiveIntegerField(default=0)  # how many draft items the client took out
    agenda = models.JSONField(default=list)  # the client's own items, in their words
    approved = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "since"], name="sessionprep_one_per_period"),
        ]
        indexes = [
            # The client's latest approved prep (the prep page, the caseload).
            models.Index(fields=["client", "-approved"], name="sessionprep_client_recent"),
        ]

    def __str__(self) -> str:
        return f"session prep of client {self.client_id}"
