import time

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CONFIDENCE_MAX, Rehearsal, Setting

MARKDOWN_HELP = _("Markdown: **bold**, - for a list. HTML is shown as typed, not run.")
LINES_HELP = _("One per line.")
# A role-play's time is counted from when its page first opened; a page left open for days
# is not a rehearsal of days.
LONGEST_SECONDS = 4 * 60 * 60


class ScenarioFilterForm(forms.Form):
    setting = forms.ChoiceField(
        label=_("Setting"), required=False, choices=[("", _("Any setting")), *Setting.choices]
    )
    intensity = forms.TypedChoiceField(
        label=_("Social intensity"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *((n, str(n)) for n in range(1, 6))],
    )


def _text(label, max_length, *, rows=3, required=True, help_text=MARKDOWN_HELP):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class PracticeScenarioForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    intensity = forms.TypedChoiceField(
        label=_("Social intensity"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("1 a shared task where talking is optional … 5 open mingling."),
    )
    situation = _text(_("The situation"), 4_000, rows=4)
    aim = forms.CharField(label=_("The client's aim"), max_length=300)
    role_card = _text(_("The other person's role card"), 4_000, rows=4)
    warm = _text(_("If they respond warmly"), 1_000, rows=2)
    neutral = _text(_("If they respond neutrally"), 1_000, rows=2)
    busy = _text(_("If they are busy or distracted"), 1_000, rows=2)
    opening_lines = _text(_("Suggested opening lines"), 2_000, rows=4, help_text=LINES_HELP)
    debrief_questions = _text(_("Debrief questions"), 2_000, rows=4, help_text=LINES_HELP)


class ScenarioAdaptForm(forms.Form):
    """Blank fields keep the scenario's own words."""

    situation = _text(_("The situation"), 4_000, rows=4, required=False)
    aim = forms.CharField(label=_("The client's aim"), max_length=300, required=False)
    role_card = _text(_("The other person's role card"), 4_000, rows=4, required=False)
    opening_lines = _text(
        _("Suggested opening lines"), 2_000, rows=4, required=False, help_text=LINES_HELP
    )


def _confidence(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=CONFIDENCE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("0 not at all, 10 completely."),
    )


class RolePlayDebriefForm(forms.Form):
    """After a role-play on the shared screen. `started` (seconds since 1970) was set when
    the role-play opened; the time taken is counted from it, here, not typed."""

    started = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    plays = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(Rehearsal.Role.SELF, ""), (Rehearsal.Role.OTHER, "")],
    )
    swapped = forms.BooleanField(widget=forms.HiddenInput, required=False)
    confidence_before = _confidence(_("How confident did you feel before? (0–10)"))
    confidence_after = _confidence(_("How confident do you feel now? (0–10)"))
    went_well = forms.CharField(
        label=_("What went well?"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_time = forms.CharField(
        label=_("One thing to try next time"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if {"started", "plays", "swapped"} & set(self.errors):
            raise forms.ValidationError(
                _("The role-play's start and roles were lost. Go back to it and finish again.")
            )
        if "started" in data:
            data["seconds"] = min(max(int(time.time()) - data["started"], 0), LONGEST_SECONDS)
        if "plays" in data:
            data["roles"] = Rehearsal.Role.BOTH if data.get("swapped") else data["plays"]
        return data


class AloneRehearsalForm(forms.Form):
    times_said = forms.TypedChoiceField(
        label=_("How many times did you say it aloud?"),
        coerce=int,
        choices=[(0, _("Not yet")), (1, _("Once")), (2, _("Twice")), (3, _("Three times"))],
        widget=forms.RadioSelect,
    )
    confidence_before = _confidence(_("How confident did you feel before? (0–10)"))
    confidence_after = _confidence(_("How confident do you feel now? (0–10)"))
    next_time = forms.CharField(
        label=_("What would you say next time? (optional)"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
