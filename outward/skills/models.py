from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care.models import Practice
from outward.care.records import ClientRecord, visibility_field
from outward.lib.forms import row_id

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


# Lessons (psychoeducation) ---------------------------------------------------------------
# The built-in library lives in files (skills/lessons/*.md, keyed by file name, versioned in
# their front matter); a practice may write its own lessons (Lesson, keyed "practice:<id>").
# An assignment keeps the key and the version the client was given.


class Lesson(models.Model):
    """A lesson a practice wrote for its clients, in Markdown (rendered by lib.markdown)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    body = models.TextField(_("text"), max_length=20_000)
    sources = models.TextField(_("sources"), max_length=5_000, blank=True)
    reflection_question = models.CharField(_("reflection question"), max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published = models.BooleanField(_("published"), default=False)
    # Goes up on each edit; an assignment records the version its client was given.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="lesson_practice_slug"),
        ]
        indexes = [
            # The practice's lessons by title (the admin's list, the assign choices).
            models.Index(fields=["practice", "published", "title"], name="lesson_practice_list"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"{PRACTICE_KEY_PREFIX}{self.pk}"


# Keys of what a practice wrote (lessons, scenarios, starters): "practice:<id>".
PRACTICE_KEY_PREFIX = "practice:"


def key_row_id(key: str, prefix: str = PRACTICE_KEY_PREFIX) -> int | None:
    """The row id in a key such as "practice:12" (or "own:7" with OWN_STARTER_PREFIX), or
    None for a library key or one that is not well formed."""
    return row_id(key.removeprefix(prefix)) if key.startswith(prefix) else None


class LessonAssignment(ClientRecord):
    """A lesson given to a client by a member of the care team (`author` is who assigned
    it), read by the client, with their answer to its reflection question. The answer alone
    may be kept private (`reflection_visibility`): the care team then sees that the lesson
    was read, never the words."""

    lesson_key = models.CharField(max_length=100)
    lesson_version = models.PositiveIntegerField(default=1)
    read_at = models.DateTimeField(null=True, blank=True)
    reflection = models.TextField(_("your answer"), max_length=4_000, blank=True)
    reflection_visibility = visibility_field(_("who sees your answer"))

    private_fields: ClassVar[dict[str, str]] = {"reflection": "reflection_visibility"}

    class Meta:
        default_related_name = "lesson_assignments"
        constraints = [
            # One unread copy of a lesson at a time; once read it may be given again.
            models.UniqueConstraint(
                fields=["client", "lesson_key"],
                condition=Q(read_at__isnull=True),
                name="lessonassignment_one_unread",
            ),
        ]
        indexes = [
            # The client's lessons, newest first (the lessons page) and unread ones (Today).
            models.Index(fields=["client", "read_at", "created"], name="lessonassign_client"),
        ]

    @property
    def assigned_by(self):
        return self.author

    def clean(self) -> None:
        # ClientRecord.clean refuses a private field unless the record's author is the client;
        # here the author is whoever assigned the lesson, and the answer is always the
        # client's own (services.lesson_mark_read writes it for the client only).
        models.Model.clean(self)


# --- Exposures (issue 9): attempts at a rung, and the therapist's word on moving up. ---------


def _suds_in_range(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": SUDS_MAX})


class Exposure(ClientRecord):
    """One attempt at a rung (a behavioural experiment). Planned ahead (`planned_for`, not yet
    `occurred`) or logged afterwards; logging a planned one fills in the "after" half.
    The whole record is shared with the care team: it is the work they plan together."""

    class CameTrue(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    rung = models.ForeignKey(Rung, on_delete=models.CASCADE, related_name="exposures")
    planned_for = models.DateField(_("planned for"), null=True, blank=True)
    # When the attempt happened; empty while it is only planned.
    occurred = models.DateTimeField(_("when it happened"), null=True, blank=True)
    # Before.
    prediction = models.TextField(_("what I fear will happen"))
    likelihood = models.PositiveSmallIntegerField(_("how likely it feels (0–100 %)"))
    expected_suds = models.PositiveSmallIntegerField(_("how anxious I expect to be (0–100)"))
    safety_behaviours = models.TextField(_("safety behaviours I will try to drop"), blank=True)
    # After.
    suds_start = models.PositiveSmallIntegerField(_("anxiety at the start"), null=True, blank=True)
    suds_peak = models.PositiveSmallIntegerField(_("anxiety at its highest"), null=True, blank=True)
    suds_end = models.PositiveSmallIntegerField(_("anxiety at the end"), null=True, blank=True)
    what_happened = models.TextField(_("what actually happened"), blank=True)
    came_true = models.CharField(
        _("did the prediction come true?"), max_length=8, choices=CameTrue.choices, blank=True
    )
    learned = models.TextField(_("what I learned"), blank=True)

    class Meta:
        default_related_name = "exposures"
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=0, likelihood__lte=SUDS_MAX)
                & Q(expected_suds__gte=0, expected_suds__lte=SUDS_MAX)
                & _suds_in_range("suds_start")
                & _suds_in_range("suds_peak")
                & _suds_in_range("suds_end"),
                name="exposure_ratings_0_to_100",
            ),
            # Either planned ahead or logged; a logged attempt has its peak (the ladder's rule
            # reads it).
            models.CheckConstraint(
                condition=Q(planned_for__isnull=False) | Q(occurred__isnull=False),
                name="exposure_planned_or_logged",
            ),
            models.CheckConstraint(
                condition=Q(occurred__isnull=True) | Q(suds_peak__isnull=False),
                name="exposure_logged_has_peak",
            ),
        ]
        indexes = [
            # A rung's attempts in order (the rung page, its charts, the ladder's rule).
            models.Index(fields=["rung", "occurred"], name="exposure_rung_occurred"),
            # A client's attempts in a period (happenings).
            models.Index(fields=["client", "occurred"], name="exposure_client_occurred"),
            # The exposure list, newest first.
            models.Index(fields=["client", "-created", "-id"], name="exposure_client_recent"),
            # Planned and not yet logged, by day (Today, the calendar feed).
            models.Index(fields=["client", "planned_for"], name="exposure_client_planned"),
        ]

    def __str__(self) -> str:
        return self.prediction[:60]

    @property
    def is_logged(self) -> bool:
        return self.occurred is not None


class RungDecision(ClientRecord):
    """The therapist's word on a rung the ladder's rule suggests moving on from: done (a win),
    or keep practising. `attempts_seen` is how many attempts there were when they decided, so
    the suggestion waits for them again only after a new attempt."""

    class Decision(models.TextChoices):
        DONE = "done", _("Move up: this rung is done")
        KEEP = "keep", _("Keep practising this rung")

    rung = models.ForeignKey(Rung, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    attempts_seen = models.PositiveIntegerField()
    note = models.CharField(_("a word for the client"), max_length=300, blank=True)

    class Meta:
        default_related_name = "rung_decisions"
        indexes = [
            # The latest decision on each rung (the rung page, the caseload column).
            models.Index(fields=["rung", "-created"], name="rung_decision_latest"),
        ]


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


# --- Rehearsal (issue 10): role-play scenarios, conversation starters, rehearsals. ----------
# Like lessons, the built-in library lives in files (skills/data/scenarios.json and
# starters.json, each item with a stable key); what a practice writes lives here and is keyed
# "practice:<id>", a client's own starter "own:<id>". Records keep the key they were made from.

CONFIDENCE_MAX = 10


class Setting(models.TextChoices):
    """Where a conversation happens: shared by scenarios and starters, so a starter can be
    offered for a scenario's setting and a rehearsal matched to a later plan or exposure."""

    CLASS = "class", _("A class or course")
    CLUB = "club", _("A club or group")
    ONLINE = "online", _("An online group")
    WORKPLACE = "workplace", _("Work or study")
    NEIGHBOURS = "neighbours", _("Neighbours and the street")
    RECONNECTING = "reconnecting", _("Reconnecting with someone")


class Openness(models.IntegerChoices):
    """How much of oneself a starter shares, one level at a time (DESIGN "Skills")."""

    ACTIVITY = 1, _("Small talk about what we are doing")
    OPINIONS = 2, _("Opinions and likes")
    EXPERIENCES = 3, _("Experiences and stories")
    PERSONAL = 4, _("Feelings and personal things")


class Scenario(models.Model):
    """A role-play scenario a practice wrote (Markdown in the long fields, rendered by
    lib.markdown); shared by the practice's therapists."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(_("title"), max_length=200)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    intensity = models.PositiveSmallIntegerField(_("social intensity (1–5)"))
    situation = models.TextField(_("the situation"), max_length=4_000)
    aim = models.CharField(_("the client's aim"), max_length=300)
    role_card = models.TextField(_("the other person's role card"), max_length=4_000)
    warm = models.TextField(_("if they respond warmly"), max_length=1_000)
    neutral = models.TextField(_("if they respond neutrally"), max_length=1_000)
    busy = models.TextField(_("if they are busy or distracted"), max_length=1_000)
    # One per line.
    opening_lines = models.TextField(_("suggested opening lines (one per line)"), max_length=2_000)
    debrief_questions = models.TextField(_("debrief questions (one per line)"), max_length=2_000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(intensity__gte=1, intensity__lte=5), name="scenario_intensity_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["practice", "setting", "intensity"], name="scenario_practice"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"{PRACTICE_KEY_PREFIX}{self.pk}"


class ScenarioAdaptation(ClientRecord):
    """A therapist's version of a scenario for one client: whatever is filled here replaces
    the scenario's own words for that client."""

    scenario_key = models.CharField(max_length=100)
    situation = models.TextField(_("the situation"), max_length=4_000, blank=True)
    aim = models.CharField(_("the client's aim"), max_length=300, blank=True)
    role_card = models.TextField(_("the other person's role card"), max_length=4_000, blank=True)
    opening_lines = models.TextField(_("suggested opening lines (one per line)"), blank=True)

    class Meta:
        default_related_name = "scenario_adaptations"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "scenario_key"], name="scenarioadaptation_one_per_client"
            ),
        ]


def _confidence_in_range(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": CONFIDENCE_MAX})


class Rehearsal(ClientRecord):
    """One rehearsal of a scenario or a starter: a role-play in session on the shared screen,
    or the client alone on the phone. Shared work with the care team (like exposures)."""

    class Mode(models.TextChoices):
        IN_SESSION = "in_session", _("Role-play in session")
        ALONE = "alone", _("On my own")

    class Role(models.TextChoices):
        SELF = "self", _("The client played themself")
        OTHER = "other", _("The client played the other person")
        BOTH = "both", _("Roles swapped")

    mode = models.CharField(max_length=12, choices=Mode.choices)
    # Exactly one of the two keys (a scenario's or a starter's, see the comment above).
    scenario_key = models.CharField(max_length=100, blank=True)
    starter_key = models.CharField(max_length=100, blank=True)
    # The setting of what was rehearsed when it was rehearsed (a later plan or exposure in the
    # same setting is "faced for real").
    setting = models.CharField(max_length=16, choices=Setting.choices)
    occurred = models.DateTimeField(_("when"), default=timezone.now)
    roles = models.CharField(max_length=8, choices=Role.choices, blank=True)
    seconds = models.PositiveIntegerField(_("how long (seconds)"), null=True, blank=True)
    times_said = models.PositiveSmallIntegerField(_("times said aloud"), default=0)
    confidence_before = models.PositiveSmallIntegerField(
        _("confidence before (0–10)"), null=True, blank=True
    )
    confidence_after = models.PositiveSmallIntegerField(
        _("confidence after (0–10)"), null=True, blank=True
    )
    # How open the starter rehearsed is (empty for a scenario): a client's highest level in a
    # setting is read in one query to suggest the next one up (issue 10, starters).
    openness = models.PositiveSmallIntegerField(
        _("how open"), choices=Openness.choices, null=True, blank=True
    )
    went_well = models.TextField(_("what went well"), max_length=2_000, blank=True)
    next_time = models.TextField(_("one thing to try next time"), max_length=2_000, blank=True)

    class Meta:
        default_related_name = "rehearsals"
        constraints = [
            models.CheckConstraint(
                condition=(Q(scenario_key="") & ~Q(starter_key=""))
                | (~Q(scenario_key="") & Q(starter_key="")),
                name="rehearsal_scenario_or_starter",
            ),
            models.CheckConstraint(
                condition=_confidence_in_range("confidence_before")
                & _confidence_in_range("confidence_after"),
                name="rehearsal_confidence_0_10",
            ),
        ]
        indexes = [
            # A client's rehearsals in time order (history, chart, happenings, cadences).
            models.Index(fields=["client", "occurred"], name="rehearsal_client_time"),
        ]


class Starter(models.Model):
    """A conversation starter a practice's therapists added to the practice's bank."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="starters")
    text = models.CharField(_("what to say"), max_length=300)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    openness = models.PositiveSmallIntegerField(_("how open"), choices=Openness.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["practice", "setting", "openness"], name="starter_practice"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def key(self) -> str:
        return f"{PRACTICE_KEY_PREFIX}{self.pk}"


OWN_STARTER_PREFIX = "own:"


class OwnStarter(ClientRecord):
    """A starter the client wrote for themself (always one of their favourites)."""

    text = models.CharField(_("what I could say"), max_length=300)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    openness = models.PositiveSmallIntegerField(_("how open"), choices=Openness.choices)

    class Meta:
        default_related_name = "own_starters"
        indexes = [models.Index(fields=["client", "created"], name="ownstarter_client")]

    @property
    def key(self) -> str:
        return f"{OWN_STARTER_PREFIX}{self.pk}"


class FavouriteStarter(ClientRecord):
    """A library or practice starter the client keeps as a favourite."""

    starter_key = models.CharField(max_length=100)

    class Meta:
        default_related_name = "favourite_starters"
        constraints = [
            models.UniqueConstraint(
                fields=["client", "starter_key"], name="favouritestarter_one_per_key"
            ),
        ]
