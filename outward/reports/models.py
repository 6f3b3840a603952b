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


class ProgressReport(models.Model):
    """A progress report a care-team therapist asked for: what goes in it (period, sections,
    their summary), for whom (the care team's file, or the client), and, once the task worker
    has rendered it, the PDF itself.

    The PDF is kept in the database (a few hundred kB at most), not in a file under the data
    directory: it then needs no shared disk between app servers and the task worker, travels
    with every database backup, and goes when the client's record goes."""

    class Version(models.TextChoices):
        CARE_TEAM = "care_team", _("For the care team's file")
        CLIENT = "client", _("For the client")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RENDERING = "rendering", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be made")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="progress_reports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(_("who it is for"), max_length=16, choices=Version.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # Section keys in the order chosen (reports.sections.SECTIONS).
    sections = models.JSONField(default=list)
    summary = models.TextField(_("your summary"), blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="progressreport_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(status="ready", pdf__isnull=False) | ~models.Q(status="ready"),
                name="progressreport_ready_has_pdf",
            ),
        ]
        indexes = [
            # A client's reports, newest first (the Reports tab, the portal's list).
            models.Index(fields=["client", "-created"], name="report_client_recent"),
        ]

    def __str__(self) -> str:
        return f"progress report {self.pk} of client {self.client_id}"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}


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
