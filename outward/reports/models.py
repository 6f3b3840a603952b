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
