import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.lib.forms import BoundedDateField

from . import readiness


def _zero_to_ten(label):
    """A 0–10 ruler that may be left unrated (an area the conversation did not reach)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        empty_value=None,
        coerce=int,
        choices=[("", _("not rated")), *[(n, str(n)) for n in range(11)]],
        initial="",
        widget=forms.RadioSelect(attrs={"class": "scale"}),
    )


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Questionnaire"))
    schedule = forms.ChoiceField(
        label=_("How often"),
        choices=[("once", _("Once")), ("days", _("Every N days")), ("weeks", _("Every N weeks"))],
        initial="once",
    )
    every = forms.IntegerField(
        label=_("Every how many (days or weeks)"), min_value=1, max_value=52, required=False
    )
    first_due = BoundedDateField(
        label=_("First due"),
        initial=timezone.localdate,
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.key, i.name) for i in instruments]

    def clean(self):
        cleaned = super().clean()
        schedule, every = cleaned.get("schedule"), cleaned.get("every")
        if schedule in ("days", "weeks") and not every:
            self.add_error("every", _("How many %(unit)s between them?") % {"unit": schedule})
        cleaned["every_days"] = (
            None if schedule == "once" or not every else every * (7 if schedule == "weeks" else 1)
        )
        if cleaned["every_days"] and cleaned["every_days"] > 365:
            self.add_error("every", _("At most once a year apart."))
        return cleaned


def item_field(item, *, required=True):
    return forms.TypedChoiceField(
        label=item.text,
        coerce=int,
        required=required,
        choices=[(option.code, option.text) for option in item.options],
        widget=forms.RadioSelect(attrs={"class": "answer"}),
        error_messages={
            "required": _("Please answer this question."),
            "invalid_choice": _("That answer is not one of the choices."),
        },
    )


class OneAnswerForm(forms.Form):
    """One question at a time, for the client's phone."""

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = item_field(item, required=item.required)
        if not item.required:  # an optional question may be skipped
            self.fields["answer"].empty_value = None


class WholeResponseForm(forms.Form):
    """Every question on one page, for answers given in session."""

    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[f"item_{item.id}"] = item_field(item, required=item.required)

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("item_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_") and value is not None and value != ""
        }

    def items_and_fields(self):
        return [(item, self[f"item_{item.id}"]) for item in self.instrument.items]


class AlertAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What you did (for the record)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class InstrumentSettingForm(forms.Form):
    instrument = forms.CharField(widget=forms.HiddenInput)
    enabled = forms.TypedChoiceField(
        coerce=lambda value: value == "1", choices=[("1", "on"), ("0", "off")]
    )
    licence_confirmed = forms.BooleanField(
        label=_("I have checked that our practice may use this questionnaire under its licence."),
        required=False,
    )


class CrisisTextForm(forms.Form):
    text = forms.CharField(
        label=_("Crisis information shown to a client after a risk answer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
    )


class CrisisLineForm(forms.Form):
    name = forms.CharField(label=_("Name of the line"), max_length=120)
    number = forms.RegexField(
        label=_("Phone number"),
        max_length=32,
        regex=r"^\+?[0-9][0-9 ()./-]{1,30}$",
        error_messages={
            "invalid": _("Enter a phone number: digits, spaces and an optional leading +.")
        },
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    hours = forms.CharField(
        label=_("Hours"),
        max_length=120,
        required=False,
        help_text=_("For example “24 hours, every day” or “Mon–Fri 9:00–17:00”."),
    )


class ReadinessForm(forms.Form):
    held_on = BoundedDateField(
        label=_("Date"),
        initial=timezone.localdate,
    )
    focus_area = forms.ChoiceField(
        label=_("Where the client chose to start"),
        required=False,
        choices=[("", _("Not decided yet")), *readiness.AREAS],
    )
    focus_note = forms.CharField(
        label=_("In the client's words (optional)"), required=False, max_length=300
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in readiness.QUESTIONS:
            self.fields[f"q_{key}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        for key, area in readiness.AREAS:
            # Only the areas the two of them talked about: an area is rated on both rulers
            # or left out, never stored half-rated.
            self.fields[f"importance_{key}"] = _zero_to_ten(
                _("%(area)s — how important is it to you? (0–10)") % {"area": area}
            )
            self.fields[f"confidence_{key}"] = _zero_to_ten(
                _("%(area)s — how confident are you that you could? (0–10)") % {"area": area}
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        for key, _area in readiness.AREAS:
            importance = cleaned.get(f"importance_{key}")
            confidence = cleaned.get(f"confidence_{key}")
            if importance is not None and confidence is None:
                self.add_error(
                    f"confidence_{key}",
                    _("Rate confidence too, or set both to “not rated” to leave this area out."),
                )
            elif confidence is not None and importance is None:
                self.add_error(
                    f"importance_{key}",
                    _("Rate importance too, or set both to “not rated” to leave this area out."),
                )
        return cleaned

    def question_fields(self):
        return [self[f"q_{key}"] for key, _question in readiness.QUESTIONS]

    def ruler_fields(self):
        return [
            (area, self[f"importance_{key}"], self[f"confidence_{key}"])
            for key, area in readiness.AREAS
        ]

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"q_{key}"] for key, _question in readiness.QUESTIONS}

    def rulers(self) -> dict[str, tuple[int, int]]:
        """The areas rated on both rulers (the ones discussed)."""
        pairs = {
            key: (self.cleaned_data[f"importance_{key}"], self.cleaned_data[f"confidence_{key}"])
            for key, _area in readiness.AREAS
        }
        return {key: pair for key, pair in pairs.items() if None not in pair}


class QuestionnaireUploadForm(forms.Form):
    """A FHIR Questionnaire JSON file to import as a new (switched-off) questionnaire."""

    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label=_("FHIR Questionnaire (.json)"),
        help_text=_("A FHIR R4 Questionnaire resource as JSON, at most 1 MB."),
        widget=forms.FileInput(attrs={"accept": ".json,application/json,application/fhir+json"}),
        error_messages={
            "required": _("Choose a .json file to import."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 1 MB, which is far more than any questionnaire needs.")
            )
        return upload
