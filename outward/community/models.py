import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.models import Client, Practice
from outward.care.records import ClientRecord


class Interest(models.Model):
    """One node of the interest taxonomy: Outward's areas of social life, with the OpenActive
    Activity List (CC BY 4.0) as the sport and physical-activity branch. A DAG: a concept may
    have more than one broader interest."""

    class Source(models.TextChoices):
        OUTWARD = "outward", "Outward"
        OPENACTIVE = "openactive", "OpenActive"

    key = models.SlugField(max_length=120, unique=True)
    label = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)

    def __str__(self) -> str:
        return self.label


class InterestSynonym(models.Model):
    """A practice's own word for an interest ("crafternoon" → Knitting and crochet), on top of
    Outward's built-in synonyms (taxonomy.py): used when an import's categories and a client's
    own words are matched to interests."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    phrase = models.CharField(_("word or phrase"), max_length=100)
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "phrase"], name="interestsynonym_once_per_practice"
            ),
        ]

    def __str__(self) -> str:
        return self.phrase


class Area(models.Model):
    """A place a practice's clients live in, by its centroid only: matching measures distance
    from here, so no client's exact address is ever stored. It can list the postcodes and place
    names it covers: a directory entry without coordinates whose postcode or address names one
    of them is placed in the area (see directory.places)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("area or postcode district"), max_length=120)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    postcodes = models.TextField(
        _("postcodes it covers"),
        blank=True,
        help_text=_(
            "Separated by commas or new lines: whole postcodes or their first part "
            "(for example NS1, NS2 4AB, 10115)."
        ),
    )
    places = models.TextField(
        _("towns, suburbs and places it covers"),
        blank=True,
        help_text=_("Separated by commas or new lines, for example: Northside, Harbour Lane"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="area_name_per_practice"),
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="area_coordinates_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def resource_setting(kind: str, online: bool) -> str:
    """Where a conversation at a directory resource happens, as one of
    care.happenings.CONVERSATION_SETTINGS (the skills room's Setting, passed as plain strings on
    happenings), for the starters and scenarios that fit it: an online one (or an online
    community) is an online group, a class is a class, and a club, group or one-off event is a
    club (people gathered round a shared interest). A directory never lists a workplace,
    neighbours or an old friend, so those settings are never a resource's."""
    if online or kind == Resource.Kind.ONLINE:
        return "online"
    return "class" if kind == Resource.Kind.CLASS else "club"


class InterestProfile(models.Model):
    """The client's interest inventory and what they need from a group."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        EITHER = "either", _("Either")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="interest_profile")
    free_text = models.TextField(_("in your own words"), blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    max_travel_km = models.PositiveSmallIntegerField(_("how far you can travel (km)"), default=5)
    budget_per_session = models.DecimalField(
        _("what you can spend each time"), max_digits=7, decimal_places=2, default=0
    )
    accessibility_needs = models.TextField(_("access needs"), blank=True)
    mode = models.CharField(
        _("in person or online"), max_length=16, choices=Mode.choices, default=Mode.EITHER
    )
    updated = models.DateTimeField(auto_now=True)


class InterestChoice(models.Model):
    profile = models.ForeignKey(InterestProfile, on_delete=models.CASCADE, related_name="choices")
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    strength = models.PositiveSmallIntegerField(default=2)  # 1 a little, 2 quite, 3 a lot

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "interest"], name="interestchoice_once"),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3), name="interestchoice_strength_1_3"
            ),
        ]


class FreeWindow(models.Model):
    """A weekly window when the client is free, e.g. Thursday 18:00–21:00 (their local time)."""

    profile = models.ForeignKey(
        InterestProfile, on_delete=models.CASCADE, related_name="free_windows"
    )
    weekday = models.PositiveSmallIntegerField()  # 0 Monday … 6 Sunday
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="freewindow_weekday"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="freewindow_ends_after_start"
            ),
        ]


class LiveResources(models.Manager):
    """The directory as everyone sees it: without the rows an import is still staging."""

    def get_queryset(self):
        return super().get_queryset().filter(staged_by__isnull=True)


# What describes a resource, as a person edits it by hand (the directory form); an import
# also sets its time zone, feed and update time (import_services.COPIED_FIELDS), and the
# suggestions read these plus the time zone (matching.RESOURCE_VALUES).
RESOURCE_FIELDS = (
    "name",
    "description",
    "kind",
    "online",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "weekday",
    "start_time",
    "end_time",
    "cost_per_session",
    "accessibility",
    "group_size",
    "contact_url",
    "phone",
    "email",
    "last_verified",
    "social_intensity",
)


class Resource(models.Model):
    """A club, class, group, event or online community in a practice's directory.

    An import writes its rows first as staged ones (`staged_by` its run; `replaces` the live
    resource a staged row updates), a batch per short transaction, unseen by `objects`; one
    short final step switches them live (see import_services)."""

    class Kind(models.TextChoices):
        CLUB = "club", _("Club")
        CLASS = "class", _("Class")
        GROUP = "group", _("Group")
        EVENT = "event", _("One-off event")
        ONLINE = "online", _("Online community")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Added by hand")
        CSV = "csv", _("CSV import")
        HSDS = "hsds", _("Open Referral HSDS import")
        ICAL = "ical", _("iCalendar feed")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    interests = models.ManyToManyField(Interest, related_name="+", blank=True)
    online = models.BooleanField(_("online"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Where an in-person entry without coordinates is: the practice's area whose postcodes or
    # place names its postcode or address names (directory.places keeps it up to date).
    placed_in = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A recurring weekly meeting (one-off and feed events live in ResourceOccurrence).
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    cost_per_session = models.DecimalField(
        _("cost each time"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    accessibility = models.TextField(_("accessibility"), blank=True)
    group_size = models.CharField(_("group size"), max_length=60, blank=True)
    contact_url = models.URLField(_("contact link"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # An import's categories that name no interest (and a CSV "Type" that is no kind): kept,
    # shown and searchable by staff, never matched as interests.
    tags = models.JSONField(_("tags"), default=list, blank=True)
    last_verified = models.DateField(_("last checked"), null=True, blank=True)
    # None: not assessed yet (an import that did not say); a person grades it.
    social_intensity = models.PositiveSmallIntegerField(
        _("social intensity"), null=True, blank=True, default=None
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    # The id in the source (CSV id column, HSDS service id, iCal UID): re-imports update.
    source_key = models.CharField(max_length=300, blank=True)
    feed = models.ForeignKey(
        "CalendarSource", null=True, blank=True, on_delete=models.CASCADE, related_name="resources"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    staged_by = models.ForeignKey(
        "PendingImport", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The same group from another source (same name and place): listed, flagged, never
    # suggested (see imports.services.duplicates_flag).
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LiveResources()
    everything = models.Manager()  # noqa: DJ012 - staged rows too: for imports only

    class Meta:
        base_manager_name = "everything"
        constraints = [
            models.CheckConstraint(
                condition=Q(social_intensity__isnull=True)
                | Q(social_intensity__gte=1, social_intensity__lte=5),
                name="resource_intensity_1_to_5",
            ),
            models.UniqueConstraint(
                fields=["practice", "source", "source_key"],
                condition=~Q(source_key="") & Q(staged_by__isnull=True),
                name="resource_once_per_source_key",
            ),
            # A retried apply stages each row once.
            models.UniqueConstraint(
                fields=["staged_by", "source_key"],
                condition=Q(staged_by__isnull=False),
                name="resource_staged_once",
            ),
            # One staged copy of a live resource at a time (a second import touching it
            # fails rather than losing the first one's update); and the final step's
            # lookup of a live row's copy.
            models.UniqueConstraint(
                fields=["replaces"],
                condition=Q(replaces__isnull=False),
                name="resource_one_staged_copy",
            ),
        ]
        indexes = [
            # Matching's first cut: a practice's in-person resources near a point.
            models.Index(
                fields=["practice", "latitude", "longitude"], name="resource_practice_place"
            ),
            # The same for live entries only (matching's `near` pool): its filter on staged and
            # duplicate entries is answered from the index, not by reading every row in the box;
            # the id in it so PostgreSQL can answer from the index alone, as SQLite does (a
            # covering INCLUDE would be ignored, with a warning, on SQLite).
            models.Index(
                fields=["practice", "latitude", "longitude", "id"],
                condition=Q(staged_by__isnull=True, duplicate_of__isnull=True),
                name="resource_live_place",
            ),
            # Matching's online pools: a practice's live online entries, newest first. With the
            # id in it PostgreSQL reads the newest few backwards from the index instead of
            # walking the primary key and filtering (SQLite's indexes end in the rowid anyway).
            models.Index(
                fields=["practice", "online", "id"],
                condition=Q(staged_by__isnull=True, duplicate_of__isnull=True),
                name="resource_live_online",
            ),
            # Entries without coordinates by the area they are placed in (the directory's
            # "needs a location" list reads those in none).
            models.Index(fields=["practice", "placed_in"], name="resource_practice_area"),
            # Matching's placed pools: each area's newest live entries, read backwards from
            # the index (PostgreSQL; see ranking._pools).
            models.Index(
                fields=["practice", "placed_in", "id"],
                condition=Q(staged_by__isnull=True, duplicate_of__isnull=True),
                name="resource_live_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceCentroid(models.Model):
    """One line of a practice's postcode/place-centroid file (e.g. a GeoNames postal-code
    dump): the middle of a postcode or a named place, to give directory entries coordinates
    without sending their addresses anywhere. `key` is the postcode or name folded for lookup
    (directory.places.fold_key)."""

    class Kind(models.TextChoices):
        POSTCODE = "postcode", _("Postcode")
        PLACE = "place", _("Place name")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    key = models.CharField(max_length=120)
    label = models.CharField(max_length=200)  # as the file wrote it
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "kind", "key"], name="placecentroid_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="placecentroid_on_earth",
            ),
        ]


class GeocodeCache(models.Model):
    """What the online geocoder answered for one public address (only ever a directory
    entry's address, never a client's), so it is asked once. No coordinates: it found none."""

    query = models.CharField(max_length=400, unique=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    asked = models.DateTimeField(default=timezone.now)


class CalendarSource(models.Model):
    """An iCalendar feed (a URL refreshed in the background) or an uploaded .ics file."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address"), blank=True)
    default_kind = models.CharField(
        max_length=16, choices=Resource.Kind.choices, default=Resource.Kind.EVENT
    )
    default_intensity = models.PositiveSmallIntegerField(default=2)
    last_refreshed = models.DateTimeField(null=True, blank=True)
    last_problem = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )


class ResourceOccurrence(models.Model):
    """One dated meeting of a resource (from a feed's expanded recurrences, or a one-off).

    An all-day meeting is a date, not a moment: `start` (and `end`) hold midnight UTC of the
    date, and readers show `start`'s UTC date, so every viewer sees the same calendar day."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    all_day = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "start"], name="occurrence_once_per_start")
        ]
        indexes = [models.Index(fields=["resource", "start"], name="occurrence_resource_start")]


class Mark(models.Model):
    """A therapist's pin or hide of a resource for one client's suggestions."""

    class State(models.TextChoices):
        PINNED = "pinned", _("Pinned")
        HIDDEN = "hidden", _("Hidden")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "resource"], name="mark_once")]


class Plan(ClientRecord):
    """The client's plan to go, with the first-visit bridge before and the report after."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        WENT = "went", _("Went")
        DID_NOT_GO = "did_not_go", _("Did not go")

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    when = models.DateTimeField(_("when"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # Before.
    what_to_expect = models.TextField(_("what to expect"), blank=True)
    arrival_plan = models.TextField(_("how I will arrive"), blank=True)
    opening_line = models.CharField(_("one thing I could say"), max_length=300, blank=True)
    # The conversation starter the line was chosen from (a key the skills room gave through
    # care.happenings, e.g. "club-new-here", "practice:3", "own:5"); empty when typed.
    opening_line_key = models.CharField(max_length=100, blank=True)
    predicted_anxiety = models.PositiveSmallIntegerField(
        _("how anxious I expect to be (0–100)"), null=True, blank=True
    )
    feared_outcome = models.TextField(_("what I fear will happen"), blank=True)
    # After.
    actual_anxiety = models.PositiveSmallIntegerField(
        _("how anxious I was (0–100)"), null=True, blank=True
    )
    enjoyment = models.PositiveSmallIntegerField(
        _("how much I enjoyed it (0–10)"), null=True, blank=True
    )
    talked_to_someone = models.BooleanField(_("I talked to someone"), null=True, blank=True)
    reflection = models.TextField(_("how it went"), blank=True)
    obstacle = models.TextField(_("what got in the way"), blank=True)
    smaller_step = models.CharField(_("a smaller next step"), max_length=300, blank=True)
    # Asked after going when the plan had an opening line: did they say it, and did it work?
    opening_line_used = models.BooleanField(_("I used my opening line"), null=True, blank=True)
    opening_line_worked = models.BooleanField(_("it worked"), null=True, blank=True)
    reported = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_related_name = "plans"
        constraints = [
            models.CheckConstraint(
                condition=(Q(predicted_anxiety__isnull=True) | Q(predicted_anxiety__lte=100))
                & (Q(actual_anxiety__isnull=True) | Q(actual_anxiety__lte=100))
                & (Q(enjoyment__isnull=True) | Q(enjoyment__lte=10)),
                name="plan_ratings_in_range",
            ),
            # "Did it work?" is only answered for a line that was used.
            models.CheckConstraint(
                condition=Q(opening_line_worked__isnull=True) | Q(opening_line_used=True),
                name="plan_line_worked_only_if_used",
            ),
        ]
        indexes = [
            # A client's plans by date (Today, happenings, the plans page).
            models.Index(fields=["client", "when"], name="plan_client_when"),
        ]


class PendingImport(models.Model):
    """One import's run through the task worker: the uploaded file waits to be read, its
    preview (rows and problems) waits for the therapist, then it is applied. The page polls
    `state` and `done` of `total`. Kept for a day at most (see import_services)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        READING = "reading", _("Reading the file")
        READY = "ready", _("Ready to look at")
        APPLYING = "applying", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Resource.Source.choices)
    file_name = models.CharField(max_length=200)
    upload = models.BinaryField(default=b"")  # the file, until it has been read
    rows = models.JSONField(default=list)  # resources ready to write, as dicts
    problems = models.JSONField(default=list)  # [{"where": "line 4", "why": "..."}]
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    outcome = models.TextField(blank=True)  # what was imported, or why it failed
    # Applied, but nothing was added, updated or removed: said as a warning, not "Imported".
    added_nothing = models.BooleanField(default=False)
    # CSV: the file's header and the field each column holds (changed on the preview), and
    # how many rows were left out for a bad value (strict mode refuses to apply then).
    header = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=list, blank=True)
    samples = models.JSONField(default=list, blank=True)  # a value of each column, to map it
    bad_rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    KEPT_FOR = datetime.timedelta(days=1)  # then the run is let go, preview and all

    class Meta:
        indexes = [
            # Letting expired previews go: WHERE created < a day ago.
            models.Index(fields=["created"], name="pendingimport_created"),
        ]

    @property
    def busy(self) -> bool:
        """The worker has it: the page keeps polling."""
        return self.state in (self.State.QUEUED, self.State.READING, self.State.APPLYING)


class ColumnMapping(models.Model):
    """A practice's mapping of a CSV's columns to Outward's fields, saved when the admin
    changes it on a preview and used again for the next file with the same header."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    signature = models.CharField(max_length=64)  # imports.csvfile.header_signature
    mapping = models.JSONField(default=list)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "signature"], name="columnmapping_once_per_header"
            )
        ]
