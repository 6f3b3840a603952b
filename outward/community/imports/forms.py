from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from ..models import Resource
from .csvfile import FIELDS
from .services import MAX_BYTES


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of file"),
        choices=[
            (Resource.Source.CSV, _("CSV or spreadsheet export (.csv), any columns")),
            (Resource.Source.HSDS, _("Open Referral HSDS export (.zip of CSV tables)")),
            (Resource.Source.ICAL, _("iCalendar file (.ics)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of file it is.")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "At most 5 MB and 10,000 entries. Nothing changes until you have seen the preview."
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,.zip,.ics,text/csv,text/calendar"}),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into smaller files and import each.")
            )
        return upload


class ColumnMappingForm(forms.Form):
    """Which of Outward's fields each of a CSV's columns holds: one choice per column,
    labelled with the column's header, "" to leave the column out."""

    def __init__(
        self, *args, header: list[str], mapping: list[str], samples: list[str] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —")), *FIELDS]
        for index, column in enumerate(header):
            sample = samples[index] if index < len(samples) else ""
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column or _("(column %(number)s, no header)") % {"number": index + 1},
                help_text=_("e.g. “%(value)s”") % {"value": sample} if sample else "",
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, field in self.fields.items():
            value = data.get(name, "")
            if value and value in seen:
                self.add_error(
                    name,
                    _("“%(field)s” is already the column “%(column)s”; choose it for one only.")
                    % {"field": dict(FIELDS)[value], "column": seen[value]},
                )
            elif value:
                seen[value] = field.label
        if "name" not in seen and not self.errors:
            raise forms.ValidationError(_("Choose the column that holds the name."))
        return data

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.fields]


class ApplyForm(forms.Form):
    strict = forms.BooleanField(
        label=_("Strict mode: import nothing if any row has a problem"),
        required=False,
        help_text=_("Without it, rows with a problem are left out and the rest imported."),
    )


class FeedURLField(forms.URLField):
    """A web address on http(s); webcal:// (what calendar sites link to) means https://."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def to_python(self, value):
        value = (value or "").strip()
        if value.lower().startswith("webcal://"):
            value = "https://" + value[len("webcal://") :]
        return super().to_python(value)


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = FeedURLField(
        label=_("Feed address"),
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "The iCalendar (.ics) address a library, community centre or Meetup group "
            "publishes. Outward reads it now and then every few hours."
        ),
    )
    default_kind = forms.ChoiceField(
        label=_("List its events as"), choices=Resource.Kind.choices, initial=Resource.Kind.EVENT
    )
    default_intensity = forms.TypedChoiceField(
        label=_("Social intensity of its events (you can change each one later)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        initial=2,
    )
