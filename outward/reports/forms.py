from django import forms
from django.utils.translation import gettext_lazy as _

from outward.lib.forms import BoundedDateField

from .models import ProgressReport
from .progress import MAX_PERIOD_DAYS, SECTIONS


class WordingForm(forms.Form):
    own_wording = forms.BooleanField(
        label=_("Use my own words in event titles"),
        required=False,
        help_text=_(
            "Off: every step shows as “Outward: a step you planned”. On: it shows the step as "
            "you wrote it, which anyone who sees your calendar can read too."
        ),
    )


class ProgressReportForm(forms.Form):
    """What a progress report covers. Dates are the client's calendar days, both included."""

    version = forms.ChoiceField(
        label=_("Who it is for"),
        choices=ProgressReport.Version.choices,
        initial=ProgressReport.Version.CARE_TEAM,
        widget=forms.RadioSelect,
        help_text=_(
            "The client's version is shared with them in their portal. It has no "
            "questionnaire scores or goal-attainment scores unless you tick Measures."
        ),
    )
    period_start = BoundedDateField(label=_("From"))
    period_end = BoundedDateField(label=_("To"))
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=[(key, label) for key, label in SECTIONS.items()],
        initial=list(SECTIONS),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Your summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Goes in the Summary section, as you write it."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The end comes before the start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error(
                    "period_end", _("A report covers at most three years. Choose a shorter period.")
                )
        if "summary" in data.get("sections", []) and not data.get("summary", "").strip():
            self.add_error("summary", _("Write the summary, or untick the Summary section."))
        return data
