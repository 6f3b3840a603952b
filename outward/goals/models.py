from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.models import Client
from outward.care.records import ClientRecord


class Goal(ClientRecord):
    """A SMART goal a client works on, written by the client or with their therapist."""

    class Period(models.TextChoices):
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        SET_ASIDE = "set_aside", _("Set aside for now")

    title = models.CharField(_("goal"), max_length=200)
    specific = models.TextField(_("what exactly"), blank=True)
    measurable = models.TextField(_("how you will know"), blank=True)
    achievable = models.TextField(_("why it is doable"), blank=True)
    relevant = models.TextField(_("why it matters"), blank=True)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    cadence_count = models.PositiveSmallIntegerField(_("times"), null=True, blank=True)
    cadence_period = models.CharField(_("per"), max_length=8, choices=Period.choices, blank=True)
    # Besides "I did it" taps and finished steps, what else counts toward the cadence: a kind
    # of happening from another room (e.g. "journal.contact.event"). Blank: nothing else.
    counts_kind = models.CharField(_("also counts"), max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # Goal Attainment Scaling: what each outcome level would look like (0 = expected).
    gas_minus2 = models.CharField(_("much less than expected (−2)"), max_length=300, blank=True)
    gas_minus1 = models.CharField(_("less than expected (−1)"), max_length=300, blank=True)
    gas_0 = models.CharField(_("expected outcome (0)"), max_length=300, blank=True)
    gas_plus1 = models.CharField(_("more than expected (+1)"), max_length=300, blank=True)
    gas_plus2 = models.CharField(_("much more than expected (+2)"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        default_related_name = "goals"
        constraints = [
            models.CheckConstraint(
                condition=(Q(cadence_count__isnull=True) & Q(cadence_period=""))
                | (Q(cadence_count__gte=1) & Q(cadence_count__lte=50) & ~Q(cadence_period="")),
                name="goal_cadence_complete",
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=4), name="goal_weight_1_to_4"
            ),
        ]
        indexes = [
            # A client's goals by status (Today, the goals page, the caseload's targets).
            models.Index(fields=["client", "status"], name="goal_client_status"),
        ]

    def __str__(self) -> str:
        return self.title


class Step(ClientRecord):
    """One small step toward a goal, optionally planned for a day."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("step"), max_length=200)
    scheduled_for = models.DateField(_("planned for"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_related_name = "+"
        indexes = [
            # Steps planned for a day (Today, reminders, the calendar feed).
            models.Index(fields=["client", "scheduled_for"], name="step_client_planned"),
            # Steps finished in a period (cadence progress, happenings).
            models.Index(fields=["client", "done_at"], name="step_client_done"),
            # A goal's steps in order.
            models.Index(fields=["goal", "position", "id"], name="step_goal_order"),
        ]

    def __str__(self) -> str:
        return self.title


class GoalCheckIn(models.Model):
    """A one-tap "I did it" on a cadence goal ("reached out to a friend")."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="check_ins")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # A client's taps in a period (cadence progress, happenings).
            models.Index(fields=["client", "occurred"], name="goalcheckin_client_time"),
        ]


class GoalReview(ClientRecord):
    """A Goal Attainment Scaling rating, made together at a review."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    level = models.SmallIntegerField(_("attainment"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        default_related_name = "+"
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=-2) & Q(level__lte=2), name="goalreview_level_gas"
            )
        ]
        indexes = [
            # The client's reviews in date order (the GAS T-score history).
            models.Index(fields=["client", "reviewed_on", "id"], name="goalreview_client_date"),
        ]


class Win(models.Model):
    """A small win to celebrate: written by hand or noticed by Outward."""

    class Kind(models.TextChoices):
        OWN = "own", _("Your win")
        STEP = "step", _("Step done")
        TARGET = "target", _("Target met")
        FIRST = "first", _("A first")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="wins")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField(_("win"), max_length=300)
    occurred = models.DateTimeField(default=timezone.now)
    # What it celebrates, e.g. "step:12" or "target:3:2026-11-23"; one win per source.
    source = models.CharField(max_length=80, blank=True)
    # None for the wins Outward noticed (steps, targets, firsts, a check-in's win of the week).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledgement = models.CharField(_("message"), max_length=300, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "source"], condition=~Q(source=""), name="win_once_per_source"
            )
        ]
        indexes = [
            # The wins timeline, newest first.
            models.Index(fields=["client", "-occurred", "-id"], name="win_client_recent"),
        ]
