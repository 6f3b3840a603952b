"""The interest inventory, a few questions per screen (see interests.views.STEPS), and a
practice's own synonyms for interests."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import WEEKDAYS, _name_the_currency
from ..models import Interest, InterestProfile
from ..taxonomy import phrase_key

# The parts of a day a person can say they are free in, as weekly windows (start, end).
DAY_PARTS = [
    ("morning", _("Morning"), datetime.time(9), datetime.time(12)),
    ("afternoon", _("Afternoon"), datetime.time(12), datetime.time(17)),
    ("evening", _("Evening"), datetime.time(17), datetime.time(22)),
]
MAX_OWN_WORDS = 1000  # a few sentences; a pasted novel would only slow the matching


def _ticks(label, choices, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class AreasForm(forms.Form):
    """Which of Outward's areas appeal, as ticks (a tick counts as "quite")."""

    def __init__(self, *args, areas: list[Interest], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"] = _ticks(
            _("Tick any that appeal to you"),
            [(area.key, area.label) for area in areas],
            help_text=_("Nothing here is a commitment. You can change it any time."),
        )


class DetailsForm(forms.Form):
    """Anything in particular within the ticked areas, and the person's own words. Unknown words
    never stop the form: they are kept and searched for in the directory."""

    own_words = forms.CharField(
        label=_("In your own words (optional)"),
        required=False,
        max_length=MAX_OWN_WORDS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Anything you enjoy or would like to try, for example: sci-fi, knitting, chess. "
            "We look for groups that mention your words."
        ),
    )

    def __init__(self, *args, groups: list[tuple[Interest, list[Interest]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = groups
        for area, interests in groups:
            self.fields[f"in_{area.key}"] = _ticks(
                area.label, [(str(interest.pk), interest.label) for interest in interests]
            )

    def group_fields(self):
        return [self[f"in_{area.key}"] for area, _interests in self.groups]

    def ticked_ids(self) -> set[int]:
        return {
            int(value)
            for area, _interests in self.groups
            for value in self.cleaned_data[f"in_{area.key}"]
        }


class TimesForm(forms.Form):
    """When the person is usually free, as parts of each weekday."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, name in WEEKDAYS:
            self.fields[f"day_{number}"] = _ticks(
                name, [(key, label) for key, label, _start, _end in DAY_PARTS]
            )

    def day_fields(self):
        return [self[f"day_{number}"] for number, _name in WEEKDAYS]

    def parts(self) -> dict[int, list[str]]:
        return {number: self.cleaned_data[f"day_{number}"] for number, _name in WEEKDAYS}


def windows_from_parts(
    parts: dict[int, list[str]],
) -> list[tuple[int, datetime.time, datetime.time]]:
    """Weekly windows from ticked parts of days; touching parts become one window
    (afternoon and evening → 12:00–22:00)."""
    windows = []
    for weekday, keys in sorted(parts.items()):
        for key, _label, start, end in DAY_PARTS:
            if key not in keys:
                continue
            if windows and windows[-1][0] == weekday and windows[-1][2] == start:
                windows[-1] = (weekday, windows[-1][1], end)
            else:
                windows.append((weekday, start, end))
    return windows


def parts_from_windows(windows) -> dict[int, list[str]]:
    """The parts of each day a saved window overlaps (a window typed as 18:30–21:00 shows as
    the evening)."""
    parts: dict[int, list[str]] = {}
    for window in windows:
        for key, _label, start, end in DAY_PARTS:
            if window.start < end and window.end > start:
                parts.setdefault(window.weekday, [])
                if key not in parts[window.weekday]:
                    parts[window.weekday].append(key)
    return parts


class ModeForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Would you rather meet people in person or online?"),
        choices=InterestProfile.Mode.choices,
        widget=forms.RadioSelect,
    )


class WhereForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Where you live (area)"),
        queryset=None,
        required=False,
        empty_label=_("Rather not say"),
    )
    max_travel_km = forms.IntegerField(
        label=_("How far you can travel (km)"), min_value=0, max_value=200
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class NeedsForm(forms.Form):
    budget_per_session = forms.DecimalField(
        label=_("What you can spend each time, in %(currency)s (0 = free only)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
    )
    accessibility_needs = forms.CharField(
        label=_("Anything a place needs to have for you (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: step-free access, a quiet room, a hearing loop."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _name_the_currency(self.fields["budget_per_session"])


class SynonymForm(forms.Form):
    """A practice's own word for an interest, the interest named as Outward knows it."""

    phrase = forms.CharField(
        label=_("Word or phrase"),
        max_length=100,
        help_text=_("As people or your directories write it, e.g. “crafternoon”."),
    )
    interest = forms.CharField(
        label=_("Means the interest"),
        max_length=200,
        help_text=_("An interest's name, e.g. “Knitting and crochet” or “Board games”."),
    )

    def __init__(self, *args, lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookup = lookup

    def clean_phrase(self) -> str:
        phrase = " ".join(self.cleaned_data["phrase"].split())
        if not phrase_key(phrase):
            raise forms.ValidationError(_("Give a word with at least one letter or digit."))
        return phrase

    def clean_interest(self) -> str:
        name = self.cleaned_data["interest"]
        if name not in self.lookup:
            raise forms.ValidationError(
                _("Outward has no interest called “%(name)s”. Check the spelling.") % {"name": name}
            )
        return self.lookup[name]

    def clean(self):
        cleaned = super().clean()
        phrase, key = cleaned.get("phrase"), cleaned.get("interest")
        if phrase and key and phrase in self.lookup and self.lookup[phrase] != key:
            self.add_error(
                "phrase",
                _("“%(phrase)s” already names another interest in Outward.") % {"phrase": phrase},
            )
        return cleaned
