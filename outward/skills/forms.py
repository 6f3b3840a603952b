from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility

from .models import SUDS_MAX, Rung

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
