from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from ..models import Resource
from .services import MAX_BYTES


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of file"),
        choices=[
            (Resource.Source.CSV, _("CSV with Outward's columns (.csv)")),
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
