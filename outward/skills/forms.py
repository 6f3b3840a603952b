from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility
from outward.lib.forms import BoundedDateField

from .models import SUDS_MAX, Exposure, Rung, RungDecision

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
