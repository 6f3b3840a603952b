import re

from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility
from outward.lib.forms import BoundedDateField

from .models import EMOTION_NAME_MAX, SUDS_MAX, THOUGHT_TEXT_MAX, Exposure, Rung, RungDecision
from .traps import TRAPS, trap_choices

SUDS_HELP = _("0 is calm, 100 the most distress you can imagine.")
SUDS_LABEL = _("How hard does it feel? (0–100)")


def _suds_field(label=SUDS_LABEL) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=SUDS_MAX,
        help_text=SUDS_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )


class LadderForm(forms.Form):
    title = forms.CharField(
        label=_("What is this ladder about?"),
        max_length=200,
        help_text=_("For example: meeting new people, or speaking up in groups."),
    )


class RungForm(forms.Form):
    situation = forms.CharField(
        label=_("A situation to practise"),
        max_length=300,
        help_text=_("Concrete and small: where, with whom, for how long."),
    )
    expected_suds = _suds_field()


class RungEditForm(RungForm):
    status = forms.ChoiceField(label=_("How far have you got?"), choices=Rung.Status.choices)


class PickForm(forms.Form):
    """Picking an example or another room's idea: which one, and the client's own SUDS."""

    ref = forms.CharField(max_length=100, widget=forms.HiddenInput)
    expected_suds = _suds_field(_("Your guess (0–100)"))


class ArchiveForm(forms.Form):
    archived = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)


# Lessons ---------------------------------------------------------------------------------


class LessonAssignForm(forms.Form):
    lesson = forms.ChoiceField(label=_("Lesson"))

    def __init__(self, *args, lessons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [(lesson.key, lesson.title) for lesson in lessons]


class LessonReadForm(forms.Form):
    reflection = forms.CharField(
        label=_("Your answer (optional)"),
        required=False,
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees your answer?"),
        choices=[
            (Visibility.PRIVATE, _("Only me")),
            (Visibility.SHARED, _("Me and my therapist")),
        ],
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class PracticeLessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=80,
        help_text=_("Letters, numbers and hyphens, unique in your practice, e.g. sleep-basics."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: ## for a heading, - for a list, **bold**, [words](https://…) for a link. "
            "HTML is shown as typed, not run."
        ),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, starting with -: authors, year, title, where published."),
    )
    reflection_question = forms.CharField(label=_("Reflection question"), max_length=300)
    published = forms.BooleanField(label=_("Published: therapists can assign it"), required=False)


# --- Exposures (issue 9) ----------------------------------------------------------------------


def _suds(label, *, required=True, help_text=""):
    return forms.IntegerField(
        label=label, min_value=0, max_value=SUDS_MAX, required=required, help_text=help_text
    )


class ExposureBeforeFields(forms.Form):
    prediction = forms.CharField(
        label=_("What do you fear will happen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words, for example: “They will think I am boring.”"),
    )
    likelihood = _suds(
        _("How likely does that feel? (0–100 %)"), help_text=_("0 = not at all, 100 = certain.")
    )
    expected_suds = _suds(
        _("How anxious do you expect to be? (0–100)"),
        help_text=_("0 = calm, 100 = the most anxious you can imagine."),
    )
    safety_behaviours = forms.CharField(
        label=_("Safety behaviours you will try to drop"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: looking at my phone, rehearsing every sentence."),
    )


class ExposureAfterForm(forms.Form):
    suds_start = _suds(_("How anxious were you at the start? (0–100)"), required=False)
    suds_peak = _suds(_("At the highest point? (0–100)"))
    suds_end = _suds(_("At the end? (0–100)"), required=False)
    what_happened = forms.CharField(
        label=_("What actually happened?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    came_true = forms.ChoiceField(
        label=_("Did what you feared come true?"),
        choices=[("", _("Choose…")), *Exposure.CameTrue.choices],
        required=False,
    )
    learned = forms.CharField(
        label=_("What did you learn?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExposurePlanForm(ExposureBeforeFields):
    planned_for = BoundedDateField(label=_("Which day will you try it?"))


class ExposureLogForm(ExposureBeforeFields, ExposureAfterForm):
    """Logging an attempt afterwards: before and after at once."""


class RungDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=RungDecision.Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("A word for the client (optional)"), max_length=300, required=False
    )


# Thought records (issue 9) -----------------------------------------------------------------

EMOTION_ROWS = 3
# "today", or a record of another room: "skills.exposure:5", "community.plan:3".
STARTED_FROM = r"^(today|[a-z_]+\.[a-z_]+:[0-9]{1,18})$"


def _thought_text(label, help_text="", *, required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=THOUGHT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _intensity(label, *, required=False):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Use a number from 0 to 100."),
            "max_value": _("Use a number from 0 to 100."),
            "invalid": _("Use a number from 0 to 100."),
        },
    )


class ThoughtRecordForm(forms.Form):
    """The client's thought record, in sections; only the automatic thought is needed, so it
    can be saved part-way. Emotions are up to EMOTION_ROWS rows of name, rating, re-rating."""

    situation = _thought_text(
        _("What was happening?"), _("Where were you, who was there, what happened?")
    )
    automatic_thought = _thought_text(
        _("What went through your mind?"),
        _("The thought that came, in the words it came in."),
        required=True,
    )
    traps = forms.MultipleChoiceField(
        label=_("Thinking traps you notice (optional)"),
        required=False,
        choices=trap_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_for = _thought_text(_("What supports the thought?"))
    evidence_against = _thought_text(_("What does not fit the thought?"))
    balanced_thought = _thought_text(
        _("A more balanced thought"), _("What would you say to a friend who thought this?")
    )
    private = forms.BooleanField(
        label=_("Keep this thought record to myself"),
        required=False,
        help_text=_("Your therapist will not see it, or count it in any summary."),
    )
    started_from = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, EMOTION_ROWS + 1):
            self.fields[f"emotion_{n}_name"] = forms.CharField(
                label=_("Emotion %(n)s") % {"n": n},
                required=False,
                max_length=EMOTION_NAME_MAX,
                help_text=_("For example: anxious, ashamed, sad.") if n == 1 else "",
            )
            self.fields[f"emotion_{n}_intensity"] = _intensity(_("How strong, 0–100"))
            self.fields[f"emotion_{n}_rerated"] = _intensity(_("How strong now, 0–100"))

    def emotion_rows(self):
        """The bound fields of each emotion row, for the template."""
        return [
            (
                self[f"emotion_{n}_name"],
                self[f"emotion_{n}_intensity"],
                self[f"emotion_{n}_rerated"],
            )
            for n in range(1, EMOTION_ROWS + 1)
        ]

    def clean_started_from(self) -> str:
        # A link's `?from=` others build (exposures, plans): one that is not of the known
        # shape is dropped, not an error the client could do nothing about.
        value = self.cleaned_data["started_from"]
        return value if re.fullmatch(STARTED_FROM, value) else ""

    def trap_boxes(self):
        """Each thinking-trap checkbox with its one-line explanation, for the template."""
        return [(box, TRAPS[box.data["value"]][1]) for box in self["traps"]]

    def clean(self):
        cleaned = super().clean()
        emotions = []
        for n in range(1, EMOTION_ROWS + 1):
            name = cleaned.pop(f"emotion_{n}_name", "") or ""
            intensity = cleaned.pop(f"emotion_{n}_intensity", None)
            rerated = cleaned.pop(f"emotion_{n}_rerated", None)
            if f"emotion_{n}_intensity" in self.errors or f"emotion_{n}_rerated" in self.errors:
                continue
            if not name and intensity is None and rerated is None:
                continue
            if not name:
                self.add_error(f"emotion_{n}_name", _("Name the emotion you are rating."))
            elif intensity is None:
                self.add_error(f"emotion_{n}_intensity", _("How strong was it, from 0 to 100?"))
            else:
                emotions.append({"name": name, "intensity": intensity, "rerated": rerated})
        cleaned["emotions"] = emotions
        if "private" in self.fields:
            cleaned["visibility"] = (
                Visibility.PRIVATE if cleaned.pop("private", False) else Visibility.SHARED
            )
        return cleaned

    @staticmethod
    def initial_from(record, emotions) -> dict:
        initial = {
            name: getattr(record, name)
            for name in (
                "situation",
                "automatic_thought",
                "evidence_for",
                "evidence_against",
                "balanced_thought",
            )
        }
        initial["traps"] = [trap.key for trap in record.traps.all()]
        initial["private"] = record.visibility == Visibility.PRIVATE
        for n, emotion in enumerate(emotions[:EMOTION_ROWS], start=1):
            initial[f"emotion_{n}_name"] = emotion.name
            initial[f"emotion_{n}_intensity"] = emotion.intensity
            initial[f"emotion_{n}_rerated"] = emotion.rerated
        return initial


class CareTeamThoughtRecordForm(ThoughtRecordForm):
    """A thought record the therapist writes with the client: only the client keeps one private."""

    private = None


class ThoughtSettingsForm(forms.Form):
    default_visibility = forms.ChoiceField(
        label=_("New thought records start as"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Each client can still choose for each thought record."),
    )
