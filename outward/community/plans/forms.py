"""Forms for plans to go. Each returns domain values (an aware `when`, a `went` bool) from
`clean`; the plan services check the rules again."""

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.lib.forms import BoundedDateField
from outward.lib.moments import moment_text

from .services import BEFORE_FIELDS, LINE_FIELDS, WENT_FIELDS

OTHER = "other"


def as_choice(moment: datetime.datetime) -> str:
    """A meeting time as a choice's value: the instant in UTC, the same however it was read."""
    return moment.astimezone(datetime.UTC).isoformat()


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PlanBeforeForm(forms.Form):
    """The first-visit bridge. `what_to_expect` is the care team's note for the client, so
    only the care team's form has it; the client reads it."""

    what_to_expect = forms.CharField(
        label=_("What to expect (a note for the client)"),
        required=False,
        widget=_textarea(3),
        help_text=_("What the first visit is usually like: who greets people, what happens."),
    )
    arrival_plan = forms.CharField(
        label=_("How will you get there and arrive?"),
        required=False,
        widget=_textarea(),
        help_text=_(
            "For example: take the 18:30 bus, arrive ten minutes early, say hello at the door."
        ),
    )
    opening_line_key = forms.ChoiceField(
        label=_("One thing you could say"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Pick one of your conversation starters, or write your own."),
    )
    opening_line = forms.CharField(
        label=_("Your own words"),
        required=False,
        max_length=300,
        help_text=_("For example: “Hi, it’s my first time here. What do people usually do?”"),
    )
    predicted_anxiety = forms.IntegerField(
        label=_("How anxious do you expect to be? (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("0 is completely calm, 100 is the most anxious you can imagine."),
    )
    feared_outcome = forms.CharField(
        label=_("What do you worry might happen?"),
        required=False,
        widget=_textarea(),
    )

    def __init__(self, *args, care_team: bool = False, opening_lines=(), **kwargs):
        """`opening_lines`: the conversation starters to offer (care.happenings.OpeningLine),
        the client's favourites first. Picking one makes it the line; otherwise the typed
        words are."""
        super().__init__(*args, **kwargs)
        if not care_team:
            del self.fields["what_to_expect"]
        self.opening_lines = {line.key: line for line in opening_lines}
        if self.opening_lines:
            self.fields["opening_line_key"].choices = [
                *((line.key, _line_label(line)) for line in opening_lines),
                (OWN_WORDS, _("My own words (below)")),
            ]
        else:
            del self.fields["opening_line_key"]
            self.fields["opening_line"].label = _("One thing you could say")

    def clean(self):
        cleaned = super().clean()
        line = self.opening_lines.get(cleaned.get("opening_line_key") or "")
        if line is not None:
            cleaned["opening_line"] = line.text
        elif "opening_line_key" in self.fields:
            cleaned["opening_line_key"] = OWN_WORDS
        return cleaned


OWN_WORDS = ""


def _line_label(line) -> str:
    text = f"“{line.text}”"
    return _("%(line)s · a favourite") % {"line": text} if line.favourite else text


def before_initial(plan) -> dict:
    """The before fields of a plan as the form starts them: a line picked from a starter is
    shown as that choice, with the own-words box left empty."""
    initial = {name: getattr(plan, name) for name in BEFORE_FIELDS}
    if plan.opening_line_key:
        initial["opening_line"] = ""
    return initial


class PlanCreateForm(PlanBeforeForm):
    """Choose one of the resource's coming meetings, or another day and time (read in the
    client's time zone), then prepare the visit."""

    when = forms.ChoiceField(label=_("When will you go?"), widget=forms.RadioSelect)
    other_date = BoundedDateField(
        label=_("Another day"),
        required=False,
    )
    other_time = forms.TimeField(
        label=_("At"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    field_order = ["when", "other_date", "other_time"]

    def __init__(self, *args, times, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)
        self.fields["when"].choices = [
            *(
                (as_choice(moment), moment_text(timezone.localtime(moment), "l j F"))
                for moment in times
            ),
            (OTHER, _("Another day and time")),
        ]
        if not times:
            self.fields["when"].initial = OTHER

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("when")
        if choice == OTHER:
            day, at = cleaned.get("other_date"), cleaned.get("other_time")
            if day is None or at is None:
                if "other_date" not in self.errors and "other_time" not in self.errors:
                    self.add_error("other_date", _("Choose a day and a time."))
                return cleaned
            when = datetime.datetime.combine(day, at, tzinfo=self.time_zone)
        elif choice:
            when = datetime.datetime.fromisoformat(choice)
        else:
            return cleaned
        if when <= timezone.now():
            self.add_error("when", _("Choose a time that has not passed yet."))
        cleaned["when"] = when
        return cleaned

    def plan_fields(self) -> dict:
        """What plan_create takes: `when` and the before fields."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("other_date", "other_time")
        }


class PlanReportForm(forms.Form):
    """How it went. One form for both answers; the page shows it as two (went / did not go),
    each posting its own `went`."""

    went = forms.TypedChoiceField(
        label=_("Did you go?"),
        choices=[("yes", _("Yes, I went")), ("no", _("Not this time"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    actual_anxiety = forms.IntegerField(
        label=_("How anxious were you? (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("0 is completely calm, 100 is the most anxious you can imagine."),
    )
    enjoyment = forms.TypedChoiceField(
        label=_("How much did you enjoy it? (0–10)"),
        required=False,
        choices=[(str(number), str(number)) for number in range(11)],
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    talked_to_someone = forms.TypedChoiceField(
        label=_("Did you talk to someone?"),
        required=False,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(
        label=_("How did it go? Anything you noticed?"), required=False, widget=_textarea(3)
    )
    opening_line_used = forms.TypedChoiceField(
        label=_("Did you use your opening line?"),
        required=False,
        choices=[("yes", _("Yes")), ("no", _("Not this time"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    opening_line_worked = forms.TypedChoiceField(
        label=_("Did it work?"),
        required=False,
        choices=[("yes", _("Yes, it got a conversation going")), ("no", _("Not really"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    obstacle = forms.CharField(label=_("What got in the way?"), required=False, widget=_textarea())
    smaller_step = forms.CharField(
        label=_("A smaller next step"),
        required=False,
        max_length=300,
        help_text=_("A suggestion to start from. Change it to whatever feels doable."),
    )

    def clean(self):
        cleaned = super().clean()
        went = cleaned.get("went")
        if went is True:
            for name in ("obstacle", "smaller_step"):
                cleaned.pop(name, None)
            if cleaned.get("opening_line_used") is not True:
                cleaned["opening_line_worked"] = None  # it can only work if it was said
        elif went is False:
            for name in (*WENT_FIELDS, *LINE_FIELDS):
                cleaned.pop(name, None)
        return cleaned
