from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility
from outward.lib.forms import BoundedDateField

from .models import Contact, Person, Reflection


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


# Reflections (issue 11) ------------------------------------------------------------------

ENTRY_MAX = 5000


def _entry(label, rows=3):
    return forms.CharField(
        label=label,
        required=False,
        max_length=ENTRY_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReflectionForm(forms.Form):
    went_well = _entry(_("What went well?"))
    was_hard = _entry(_("What was hard?"))
    learned = _entry(_("What did I learn about myself?"))
    try_next = _entry(_("What will I try next?"))
    free_text = _entry(_("Or write freely"), rows=5)
    private = forms.BooleanField(
        label=_("Keep this entry to myself"),
        required=False,
        help_text=_("Your therapist will not see it. You can change this later."),
    )

    TEXT_FIELDS = Reflection.TEXT_FIELDS

    def clean(self):
        cleaned = super().clean()
        for name in self.TEXT_FIELDS:
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        if not self.errors and not any(cleaned.get(name) for name in self.TEXT_FIELDS):
            raise forms.ValidationError(
                _("Write something in at least one of the boxes: a line is enough.")
            )
        if "private" in self.fields:
            cleaned["visibility"] = _visibility(cleaned.pop("private", False))
        return cleaned

    @classmethod
    def initial_from(cls, reflection) -> dict:
        initial = {name: getattr(reflection, name) for name in cls.TEXT_FIELDS}
        return initial | {"private": reflection.is_private()}


class CareTeamReflectionForm(ReflectionForm):
    """Written with the client in a session: only the client keeps things private."""

    private = None


class ReflectionCadenceForm(forms.Form):
    every_days = forms.TypedChoiceField(
        label=_("Ask for a look back"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Not on a schedule")),
            (7, _("Every week")),
            (14, _("Every two weeks")),
            (30, _("Every month")),
            (91, _("Every three months")),
        ],
    )


# The relationship map (issue 11) ---------------------------------------------------------


def _circle_field():
    return forms.TypedChoiceField(
        label=_("Circle"),
        coerce=int,
        choices=Person.Circle.choices,
        widget=forms.RadioSelect,
        help_text=_("Closest: the people you could not imagine life without."),
    )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    circle = _circle_field()
    role = forms.ChoiceField(label=_("Who they are to you"), choices=Person.Role.choices)
    touch = forms.ChoiceField(label=_("How often you are in touch"), choices=Person.Touch.choices)
    private = forms.BooleanField(
        label=_("Keep this person to myself"),
        required=False,
        help_text=_("Your therapist will not see them on your map."),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write their name, or a nickname."))
        return name

    def clean(self):
        cleaned = super().clean()
        cleaned["visibility"] = _visibility(cleaned.pop("private", False))
        return cleaned

    @staticmethod
    def initial_from(person) -> dict:
        return {
            "name": person.name,
            "circle": person.circle,
            "role": person.role,
            "touch": person.touch,
            "private": person.is_private(),
        }


class PersonAddForm(PersonForm):
    """Adding someone: picked from the contact log (no retyping) or a new name."""

    field_order = ["picked", "name", "circle", "role", "touch", "private"]

    picked = forms.ChoiceField(label=_("Someone from your contact log"), required=False)

    def __init__(self, *args, names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["picked"].choices = [("", _("— pick a name —")), *((n, n) for n in names)]
        self.fields["name"].required = False
        self.fields["name"].label = _("Or someone new: their name") if names else _("Their name")

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        picked, typed = cleaned.pop("picked", ""), cleaned.get("name", "")
        if picked and typed and picked != typed:
            self.add_error("name", _("Pick a name or write one, not both."))
        elif not (picked or typed) and "name" not in self.errors:
            self.add_error("name", _("Pick someone from your contact log or write a name."))
        else:
            cleaned["name"] = picked or typed
        return cleaned


class PersonCircleForm(forms.Form):
    """The one-tap move on the map's list: a circle picker, no dragging."""

    circle = forms.TypedChoiceField(label=_("Circle"), coerce=int, choices=Person.Circle.choices)


class MapCompareForm(forms.Form):
    since = BoundedDateField(label=_("From"))
    until = BoundedDateField(label=_("To"))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("Choose a date after the first one."))
        return cleaned
