from django import forms
from django.utils.text import format_lazy
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


AGENDA_MAX = 8
AGENDA_LINE_MAX = 300


class PrepApproveForm(forms.Form):
    """The client's "Before we meet": which of the draft's items stay in (`keep`, out of those
    `shown`), and what they would like to talk about, one thing a line."""

    shown = forms.MultipleChoiceField(choices=[], required=False, widget=forms.MultipleHiddenInput)
    keep = forms.MultipleChoiceField(
        label=_("What to include"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        help_text=format_lazy(_("One thing a line, up to {max}."), max=AGENDA_MAX),
        required=False,
        max_length=AGENDA_MAX * (AGENDA_LINE_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(item.key, item.label) for item in items]
        self.fields["shown"].choices = choices
        self.fields["keep"].choices = choices
        self.fields["shown"].error_messages["invalid_choice"] = _(
            "Your list changed since you opened this page. Look it over again, then approve."
        )
        self.fields["keep"].error_messages["invalid_choice"] = self.fields["shown"].error_messages[
            "invalid_choice"
        ]

    def clean_agenda(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["agenda"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > AGENDA_MAX:
            raise forms.ValidationError(
                _("Up to %(max)s things, please: you have %(count)s.")
                % {"max": AGENDA_MAX, "count": len(lines)}
            )
        if any(len(line) > AGENDA_LINE_MAX for line in lines):
            raise forms.ValidationError(
                _("Keep each line under %(max)s characters.") % {"max": AGENDA_LINE_MAX}
            )
        return lines

    def clean(self):
        cleaned = super().clean()
        if set(cleaned.get("keep", [])) - set(cleaned.get("shown", [])):
            raise forms.ValidationError(self.fields["shown"].error_messages["invalid_choice"])
        return cleaned


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
