from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.care import happenings
from outward.lib.forms import BoundedDateField

from .models import Goal


def _counts_choices():
    other_rooms = {k: v for k, v in happenings.kinds().items() if not k.startswith("goals.")}
    return [("", _("Only “I did it” taps and finished steps")), *other_rooms.items()]


CARE_TEAM_LABELS = {
    "title": _("%(name)s’s goal"),
    "specific": _("What exactly will %(name)s do?"),
    "measurable": _("How will %(name)s know it is done?"),
    "achievable": _("Why is it doable for %(name)s now?"),
    "relevant": _("Why does it matter to %(name)s?"),
}


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Your goal"), max_length=200)
    specific = forms.CharField(
        label=_("What exactly will you do?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measurable = forms.CharField(
        label=_("How will you know you did it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    achievable = forms.CharField(
        label=_("Why is it doable for you now?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    relevant = forms.CharField(
        label=_("Why does it matter to you?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = BoundedDateField(
        label=_("By when? (optional)"),
        required=False,
    )
    cadence_count = forms.IntegerField(
        label=_("How many times"), required=False, min_value=1, max_value=50
    )
    cadence_period = forms.ChoiceField(
        label=_("per"), required=False, choices=[("", "—"), *Goal.Period.choices]
    )
    counts_kind = forms.ChoiceField(
        label=_("What else counts toward it"), required=False, choices=()
    )
    gas_minus2 = forms.CharField(
        label=_("Much less than expected (−2)"), required=False, max_length=300
    )
    gas_minus1 = forms.CharField(label=_("Less than expected (−1)"), required=False, max_length=300)
    gas_0 = forms.CharField(label=_("Expected outcome (0)"), required=False, max_length=300)
    gas_plus1 = forms.CharField(label=_("More than expected (+1)"), required=False, max_length=300)
    gas_plus2 = forms.CharField(
        label=_("Much more than expected (+2)"), required=False, max_length=300
    )
    weight = forms.TypedChoiceField(
        label=_("Weight (importance)"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 5)],
        initial=1,
    )

    def __init__(self, *args, about: str = "", **kwargs):
        """`about`: the client's name when the care team fills it in, so the questions ask
        about the client ("What exactly will Alex do?") rather than "you"."""
        super().__init__(*args, **kwargs)
        self.fields["counts_kind"].choices = _counts_choices()
        if about:
            for name, label in CARE_TEAM_LABELS.items():
                self.fields[name].label = label % {"name": about}

    def clean(self):
        cleaned = super().clean()
        count, period = cleaned.get("cadence_count"), cleaned.get("cadence_period")
        if count and not period:
            self.add_error("cadence_period", _("Choose week or month."))
        elif period and not count:
            self.add_error(
                "cadence_count", _("How many times each %(period)s?") % {"period": period}
            )
        if not count:
            cleaned["cadence_count"] = None
        return cleaned


class GoalCreateForm(GoalForm):
    steps = forms.CharField(
        label=_("Small steps, one per line (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_steps(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["steps"].splitlines()]
        steps = [line for line in lines if line]
        if any(len(step) > 200 for step in steps):
            raise forms.ValidationError(_("Keep each step under 200 characters."))
        if len(steps) > 20:
            raise forms.ValidationError(_("Twenty steps at most; smaller goals are easier."))
        return steps


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)


class StepForm(forms.Form):
    title = forms.CharField(label=_("A small step"), max_length=200)
    scheduled_for = BoundedDateField(
        label=_("Planned for (optional)"),
        required=False,
    )


class ReviewForm(forms.Form):
    reviewed_on = BoundedDateField(
        label=_("Review date"),
        initial=timezone.localdate,
    )
    level = forms.TypedChoiceField(
        label=_("Attainment"),
        coerce=int,
        initial=0,
        choices=[
            (-2, _("−2 much less than expected")),
            (-1, _("−1 less than expected")),
            (0, _("0 expected outcome")),
            (1, _("+1 more than expected")),
            (2, _("+2 much more than expected")),
        ],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The review date cannot be in the future."))
        return day


class WinForm(forms.Form):
    text = forms.CharField(label=_("A win to remember"), max_length=300)


class AcknowledgeForm(forms.Form):
    message = forms.CharField(label=_("A short message for the client"), max_length=300)
