from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class ClientExport(models.Model):
    """Everything Outward holds about one client, as a ZIP made by the task worker. The
    download link carries a secret token (only its digest is kept); it works once, for the
    person who asked, until `expires`. The file is kept in the database in parts, so any app
    server can hand it out and a worker on another machine can make it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        DOWNLOADED = "downloaded", _("Downloaded")
        FAILED = "failed", _("Could not be made")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # True only when the client asked for their own export: their private entries go in.
    includes_private = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    token_digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()
    size = models.PositiveBigIntegerField(default=0)  # bytes of the ZIP

    class Meta:
        indexes = [
            # The requester's recent exports on the export page.
            models.Index(fields=["client", "requested_by", "-created"], name="export_recent"),
            # Expired files are let go by `purge_due`.
            models.Index(fields=["expires"], name="export_expires"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of client {self.client_id}"


class ExportPart(models.Model):
    """One piece (at most PART_BYTES) of an export's ZIP, in order."""

    export = models.ForeignKey(ClientExport, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "number"], name="exportpart_in_order")
        ]
