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
        help_text=_("The client's version is shared with them in their portal."),
    )
    period_start = BoundedDateField(label=_("From"))
    period_end = BoundedDateField(label=_("To"))
    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        choices=[(key, label) for key, label in SECTIONS.items()],
        initial=list(SECTIONS),
        widget=forms.CheckboxSelectMultiple,
    )
    include_scores = forms.BooleanField(
        label=_("Include questionnaire and goal-attainment scores in the client's version"),
        required=False,
        help_text=_(
            "Off: the client's version leaves out the Measures section and goal-attainment "
            "scores, whatever is ticked above."
        ),
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
        sections = data.get("sections", [])
        if data.get("version") == ProgressReport.Version.CLIENT and not data.get("include_scores"):
            # Clinical scores reach a client only when the therapist says so, here.
            sections = [key for key in sections if key != "measures"]
            if "sections" in data and not sections:
                self.add_error("sections", _("Choose a section besides Measures."))
        data["sections"] = sections
        if "summary" in sections and not data.get("summary", "").strip():
            self.add_error("summary", _("Write the summary, or untick the Summary section."))
        return data
