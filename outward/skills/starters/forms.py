"""Forms for conversation starters. Each returns domain values (an int level, a count of times
said); the services check the rules again."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import CONFIDENCE_MAX, Openness, Setting
from .library import TEXT_MAX

CONFIDENCE_HELP = _("0 is not at all sure, 10 is completely sure.")
TAPS = (_("1st time"), _("2nd time"), _("3rd time"))  # one tap each time it is said aloud


def _confidence(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(n), str(n)) for n in range(CONFIDENCE_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=CONFIDENCE_HELP,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )


# "2 · Opinions and likes", translated when shown (not when this module is imported).
OPENNESS_CHOICES = [
    (str(value), format_lazy("{} · {}", value, label)) for value, label in Openness.choices
]


def _openness(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=OPENNESS_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class FavouriteForm(forms.Form):
    """Keep a starter as a favourite (or let it go), then back to the setting it was in."""

    key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    favourite = forms.BooleanField(required=False, widget=forms.HiddenInput)
    back_to = forms.ChoiceField(
        required=False, choices=[("", ""), *Setting.choices], widget=forms.HiddenInput
    )


class StarterTextFields(forms.Form):
    text = forms.CharField(label=_("What you could say"), max_length=TEXT_MAX)
    setting = forms.ChoiceField(label=_("Where"), choices=Setting.choices, widget=forms.RadioSelect)
    openness = _openness(_("How open is it?"))


class OwnStarterForm(StarterTextFields):
    """A starter in the client's own words."""

    text = forms.CharField(
        label=_("What you could say"),
        max_length=TEXT_MAX,
        help_text=_("In your own words, the way you would say it."),
    )


class PracticeStarterForm(StarterTextFields):
    """A starter for the practice's bank (every client of the practice sees it)."""

    text = forms.CharField(
        label=_("Starter"),
        max_length=TEXT_MAX,
        help_text=_("Plain, warm words a client could say as they are."),
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    openness = forms.TypedChoiceField(
        label=_("Level of openness"),
        choices=OPENNESS_CHOICES,
        coerce=int,
    )


class StarterRehearsalForm(forms.Form):
    """Rehearsing a starter alone: confidence before, say it aloud three times (a tap each
    time, nothing recorded), confidence after, and what to say next time."""

    confidence_before = _confidence(_("How sure do you feel about saying it? (0–10)"))
    said = forms.TypedMultipleChoiceField(
        label=_("Say it aloud, three times"),
        choices=list(zip(("1", "2", "3"), TAPS, strict=True)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Out loud, as if they were in front of you. Tap each time you say it."),
        error_messages={"required": _("Say it aloud at least once, and tap each time you do.")},
    )
    confidence_after = _confidence(_("And now? (0–10)"))
    next_time = forms.CharField(
        label=_("Next time I would say…"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your own version, or what you might say after it."),
    )

    def clean(self):
        cleaned = super().clean()
        if "said" in cleaned:
            cleaned["times_said"] = len(set(cleaned.pop("said")))
        return cleaned
