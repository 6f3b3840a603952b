import datetime

from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from outward.lib.forms import BoundedDateField
from outward.lib.money import currency_sign

from .models import Interest, Resource

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


# A person names a handful of interests; these bounds keep a pasted novel from becoming
# thousands of queries (or one LIKE pattern SQLite refuses, which was a 500).
MAX_NAMED_INTERESTS = 30
MAX_INTERESTS_TEXT = 1000


def _interests_named(text: str, unknown_message) -> list[Interest]:
    """Interests from comma-separated labels (any case), in one query; a field error names
    the unknown ones."""
    names = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if len(names) > MAX_NAMED_INTERESTS:
        raise forms.ValidationError(
            _("Name at most %(count)s, separated by commas.") % {"count": MAX_NAMED_INTERESTS}
        )
    found: dict[str, Interest] = {}
    matches = Interest.objects.annotate(lowered=Lower("label")).filter(
        lowered__in=[name.lower() for name in names]
    )
    for interest in matches.order_by("pk"):
        found.setdefault(interest.lowered, interest)
    interests = [found[name.lower()] for name in names if name.lower() in found]
    unknown = [name for name in names if name.lower() not in found]
    if unknown:
        raise forms.ValidationError(unknown_message % {"names": ", ".join(unknown)})
    return list(dict.fromkeys(interests))


def _name_the_currency(field) -> None:
    """An amount's label says in which currency to type it ("in £")."""
    field.label = field.label % {"currency": currency_sign()}


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=MAX_INTERESTS_TEXT,
        help_text=_("Comma-separated, e.g. Board games, Games, Badminton"),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        help_text=_("Street, and the town or suburb, for example: 12 Quay Street, Northside"),
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=20)
    # Advanced: most people leave these empty; Outward finds them from the postcode or place.
    latitude = forms.FloatField(
        label=_("Latitude (optional)"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_(
            "Only if you know them: on most online maps, right-click the place and copy the "
            "two numbers shown (latitude first, e.g. 51.5072, then longitude, e.g. -0.1276)."
        ),
    )
    longitude = forms.FloatField(
        label=_("Longitude (optional)"), required=False, min_value=-180, max_value=180
    )
    weekday = forms.TypedChoiceField(
        label=_("Meets every"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *WEEKDAYS],
    )
    start_time = forms.TimeField(
        label=_("from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    cost_per_session = forms.DecimalField(
        label=_("Cost each time, in %(currency)s"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    accessibility = forms.CharField(
        label=_("Accessibility"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    group_size = forms.CharField(label=_("Group size"), required=False, max_length=60)
    contact_url = forms.URLField(label=_("Contact link"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    last_verified = BoundedDateField(
        label=_("Last checked"),
        required=False,
        initial=datetime.date.today,
    )
    social_intensity = forms.TypedChoiceField(
        label=_("Social intensity"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[
            ("", _("Not assessed yet")),
            (1, _("1 — a structured shared task; talking is optional (e.g. a pottery class)")),
            (2, _("2 — a shared activity with some chat (e.g. a walking group)")),
            (3, _("3 — small-group conversation is part of it (e.g. a book club)")),
            (4, _("4 — mostly conversation with some structure (e.g. a language café)")),
            (5, _("5 — open mingling with strangers (e.g. a networking mixer)")),
        ],
        initial=2,
    )

    def __init__(self, *args, intensity_guess: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _name_the_currency(self.fields["cost_per_session"])
        if intensity_guess is not None:
            self.fields["social_intensity"].help_text = _(
                "A guess from its interests: %(level)s. Check it with the group before you "
                "grade it; until then it counts as not assessed."
            ) % {"level": intensity_guess}

    def clean_interests(self) -> list[Interest]:
        return _interests_named(self.cleaned_data["interests"], _("Unknown interests: %(names)s"))

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            self.add_error("longitude", _("Give both coordinates, or neither."))
        where = (cleaned.get("address") or "").strip() or (cleaned.get("postcode") or "").strip()
        if not (cleaned.get("online") or where or latitude is not None or self.errors):
            self.add_error(
                "address", _("Give its address or postcode so clients nearby can find it.")
            )
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("This should be after the start time."))
        return cleaned
