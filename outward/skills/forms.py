from django import forms
from django.utils.translation import gettext_lazy as _

from outward.lib.forms import BoundedDateField

from .models import Exposure, RungDecision


class LadderForm(forms.Form):
    title = forms.CharField(
        label=_("What is this ladder about?"),
        max_length=200,
        help_text=_("For example: meeting new people, or speaking up in groups."),
    )


# --- Exposures (issue 9) ----------------------------------------------------------------------


def _suds(label, *, required=True, help_text=""):
    return forms.IntegerField(
        label=label, min_value=0, max_value=100, required=required, help_text=help_text
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
