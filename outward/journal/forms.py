from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility

from .models import Contact


def _visibility(keep_private: bool) -> Visibility:
    return Visibility.PRIVATE if keep_private else Visibility.SHARED


def _scale(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        widget=forms.RadioSelect(attrs={"class": "scale"}),
    )


class CheckInForm(forms.Form):
    mood = _scale(_("How was your mood this week?"), _("0 = very low, 10 = very good"))
    loneliness = _scale(_("How lonely did you feel?"), _("0 = not at all, 10 = very lonely"))
    meaningful_interactions = forms.IntegerField(
        label=_("How many conversations felt meaningful?"), min_value=0, max_value=500, initial=0
    )
    in_person = forms.IntegerField(
        label=_("…of those, in person"), min_value=0, max_value=500, initial=0
    )
    online = forms.IntegerField(
        label=_("…and online or by phone"), min_value=0, max_value=500, initial=0
    )
    win = forms.CharField(label=_("A win of the week (optional)"), required=False, max_length=300)
    note = forms.CharField(
        label=_("Anything else? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note_private = forms.BooleanField(label=_("Keep this note to myself"), required=False)

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("meaningful_interactions")
        in_person, online = cleaned.get("in_person"), cleaned.get("online")
        if None not in (total, in_person, online) and in_person + online > total:
            self.add_error(
                "online",
                _("In person and online add up to more than %(total)s. Check the numbers?")
                % {"total": total},
            )
        cleaned["note_visibility"] = _visibility(cleaned.pop("note_private", False))
        return cleaned


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened?"), choices=Contact.Kind.choices, widget=forms.RadioSelect
    )
    with_whom = forms.CharField(label=_("With whom (optional)"), required=False, max_length=120)
    quality = forms.TypedChoiceField(
        label=_("How did it go? (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (1, _("1 hard")),
            (2, "2"),
            (3, _("3 okay")),
            (4, "4"),
            (5, _("5 good")),
        ],
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    private = forms.BooleanField(
        label=_("Keep this to myself"),
        required=False,
        help_text=_(
            "Your therapist will not see it, and it will not count toward goals you share."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["visibility"] = _visibility(cleaned.pop("private", False))
        return cleaned


class CareTeamContactForm(ContactForm):
    """A contact the therapist logs with the client: only the client keeps things private."""

    private = None


class ScheduleForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Ask for a check-in every (days)"), min_value=1, max_value=31
    )


class InsightShareForm(forms.Form):
    """Share one insight with the care team, or stop sharing it."""

    rule = forms.ChoiceField(choices=[])
    share = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Stop sharing"))], coerce=lambda value: value == "1"
    )

    def __init__(self, *args, **kwargs):
        from .insights import RULES

        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(key, rule.title) for key, rule in RULES.items()]
