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


class Reflection(ClientRecord):
    """A page of the client's reflection journal: the four guided prompts, free writing, or
    both. Written any time, after a plan or a practice step (`about` names it), or as the
    "look back" the therapist asks for. Private or shared, entry by entry, the client's choice."""

    class Prompt(models.TextChoices):
        FREE = "free", _("Reflection")
        AFTER = "after", _("After a plan or practice step")
        LOOK_BACK = "look_back", _("A look back")

    occurred = models.DateTimeField(default=timezone.now)
    prompt = models.CharField(_("written"), max_length=10, choices=Prompt.choices)
    went_well = models.TextField(_("what went well"), blank=True)
    was_hard = models.TextField(_("what was hard"), blank=True)
    learned = models.TextField(_("what I learned about myself"), blank=True)
    try_next = models.TextField(_("what I will try next"), blank=True)
    free_text = models.TextField(_("free writing"), blank=True)
    # What it looks back on, e.g. "community.plan:4" or "skills.exposure:9" (a happening's
    # source), so the prompt after it is asked once; and that thing in words when written.
    about = models.CharField(max_length=80, blank=True)
    about_title = models.CharField(_("about"), max_length=200, blank=True)
    visibility = visibility_field()

    TEXT_FIELDS = ("went_well", "was_hard", "learned", "try_next", "free_text")

    class Meta:
        default_related_name = "reflections"
        constraints = [
            models.CheckConstraint(
                condition=~Q(went_well="", was_hard="", learned="", try_next="", free_text=""),
                name="reflection_not_empty",
            ),
        ]
        indexes = [
            # A client's reflections, newest first (journal list, happenings, "look back" due).
            models.Index(fields=["client", "-occurred"], name="reflection_client_recent"),
            # "Has the client reflected on this plan / attempt yet?" (Today's prompt).
            models.Index(fields=["client", "about"], name="reflection_client_about"),
        ]


class ReflectionCadence(models.Model):
    """How often the therapist asks the client for a "look back" reflection (never unless set)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="+")
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    since = models.DateField(_("asked from"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=7) & Q(every_days__lte=92),
                name="reflectioncadence_7_to_92_days",
            )
        ]


class Person(ClientRecord):
    """Someone on the client's relationship map, in one of three circles (the convoy model:
    Kahn & Antonucci, 1980). A person the client keeps private is theirs alone. A person taken
    off the map is kept (`removed`) so that earlier snapshots can still name them."""

    class Circle(models.IntegerChoices):
        CLOSEST = 1, _("Closest")
        CLOSE = 2, _("Close")
        WIDER = 3, _("Wider")

    class Role(models.TextChoices):
        FAMILY = "family", _("Family")
        FRIEND = "friend", _("Friend")
        PARTNER = "partner", _("Partner")
        COLLEAGUE = "colleague", _("Colleague")
        NEIGHBOUR = "neighbour", _("Neighbour")
        GROUP = "group", _("Group")
        ONLINE = "online", _("Online")

    class Touch(models.TextChoices):
        MOST_DAYS = "most_days", _("Most days")
        WEEKLY = "weekly", _("Every week or so")
        MONTHLY = "monthly", _("Every month or so")
        RARELY = "rarely", _("A few times a year")
        LOST = "lost", _("Not in touch now")

    name = models.CharField(_("name"), max_length=120)
    circle = models.PositiveSmallIntegerField(_("circle"), choices=Circle.choices)
    role = models.CharField(_("who they are to you"), max_length=10, choices=Role.choices)
    touch = models.CharField(_("how often in touch"), max_length=10, choices=Touch.choices)
    visibility = visibility_field()
    removed = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        default_related_name = "people"
        constraints = [
            models.CheckConstraint(condition=Q(circle__in=[1, 2, 3]), name="person_circle_1_3"),
        ]
        indexes = [
            # The map: a client's people on it now, by circle and name.
            models.Index(fields=["client", "removed", "circle", "name"], name="person_client_map"),
        ]


class MapSnapshot(ClientRecord):
    """The client's map as it stood at the end of a day it changed: one row per client per
    day, updated in place while the day lasts. `people` lists each person then on the map as
    {"person": id, "circle": 1–3, "role": ..., "touch": ...}; names and privacy are read from
    Person when shown, so a person kept private now is private in every snapshot too."""

    day = models.DateField(_("day"))
    people = models.JSONField(default=list)

    class Meta:
        default_related_name = "map_snapshots"
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="mapsnapshot_one_per_day"),
        ]
        indexes = [
            # Map history, newest first, and "the map as it stood on a day".
            models.Index(fields=["client", "-day"], name="mapsnapshot_client_recent"),
            # The days the map changed in a period (happenings: the client's journey).
            models.Index(fields=["client", "updated"], name="mapsnapshot_client_updated"),
        ]
