from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SUDS_MAX, Rung

SUDS_HELP = _("0 is calm, 100 the most distress you can imagine.")
SUDS_LABEL = _("How hard does it feel? (0–100)")


def _suds_field(label=SUDS_LABEL) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=SUDS_MAX,
        help_text=SUDS_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )


class LadderForm(forms.Form):
    title = forms.CharField(
        label=_("What is this ladder about?"),
        max_length=200,
        help_text=_("For example: meeting new people, or speaking up in groups."),
    )


class RungForm(forms.Form):
    situation = forms.CharField(
        label=_("A situation to practise"),
        max_length=300,
        help_text=_("Concrete and small: where, with whom, for how long."),
    )
    expected_suds = _suds_field()


class RungEditForm(RungForm):
    status = forms.ChoiceField(label=_("How far have you got?"), choices=Rung.Status.choices)


class PickForm(forms.Form):
    """Picking an example or another room's idea: which one, and the client's own SUDS."""

    ref = forms.CharField(max_length=100, widget=forms.HiddenInput)
    expected_suds = _suds_field(_("Your guess (0–100)"))


class ArchiveForm(forms.Form):
    archived = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
