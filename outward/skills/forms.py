import re

from django import forms
from django.utils.translation import gettext_lazy as _

from outward.care.records import Visibility

from .models import EMOTION_NAME_MAX, THOUGHT_TEXT_MAX
from .traps import TRAPS, trap_choices


class LadderForm(forms.Form):
    title = forms.CharField(
        label=_("What is this ladder about?"),
        max_length=200,
        help_text=_("For example: meeting new people, or speaking up in groups."),
    )


# Thought records (issue 9) -----------------------------------------------------------------

EMOTION_ROWS = 3
# "today", or a record of another room: "skills.exposure:5", "community.plan:3".
STARTED_FROM = r"^(today|[a-z_]+\.[a-z_]+:[0-9]{1,18})$"


def _thought_text(label, help_text="", *, required=False):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=THOUGHT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _intensity(label, *, required=False):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Use a number from 0 to 100."),
            "max_value": _("Use a number from 0 to 100."),
            "invalid": _("Use a number from 0 to 100."),
        },
    )


class ThoughtRecordForm(forms.Form):
    """The client's thought record, in sections; only the automatic thought is needed, so it
    can be saved part-way. Emotions are up to EMOTION_ROWS rows of name, rating, re-rating."""

    situation = _thought_text(
        _("What was happening?"), _("Where were you, who was there, what happened?")
    )
    automatic_thought = _thought_text(
        _("What went through your mind?"),
        _("The thought that came, in the words it came in."),
        required=True,
    )
    traps = forms.MultipleChoiceField(
        label=_("Thinking traps you notice (optional)"),
        required=False,
        choices=trap_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    evidence_for = _thought_text(_("What supports the thought?"))
    evidence_against = _thought_text(_("What does not fit the thought?"))
    balanced_thought = _thought_text(
        _("A more balanced thought"), _("What would you say to a friend who thought this?")
    )
    private = forms.BooleanField(
        label=_("Keep this thought record to myself"),
        required=False,
        help_text=_("Your therapist will not see it, or count it in any summary."),
    )
    started_from = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, EMOTION_ROWS + 1):
            self.fields[f"emotion_{n}_name"] = forms.CharField(
                label=_("Emotion %(n)s") % {"n": n},
                required=False,
                max_length=EMOTION_NAME_MAX,
                help_text=_("For example: anxious, ashamed, sad.") if n == 1 else "",
            )
            self.fields[f"emotion_{n}_intensity"] = _intensity(_("How strong, 0–100"))
            self.fields[f"emotion_{n}_rerated"] = _intensity(_("How strong now, 0–100"))

    def emotion_rows(self):
        """The bound fields of each emotion row, for the template."""
        return [
            (
                self[f"emotion_{n}_name"],
                self[f"emotion_{n}_intensity"],
                self[f"emotion_{n}_rerated"],
            )
            for n in range(1, EMOTION_ROWS + 1)
        ]

    def clean_started_from(self) -> str:
        # A link's `?from=` others build (exposures, plans): one that is not of the known
        # shape is dropped, not an error the client could do nothing about.
        value = self.cleaned_data["started_from"]
        return value if re.fullmatch(STARTED_FROM, value) else ""

    def trap_boxes(self):
        """Each thinking-trap checkbox with its one-line explanation, for the template."""
        return [(box, TRAPS[box.data["value"]][1]) for box in self["traps"]]

    def clean(self):
        cleaned = super().clean()
        emotions = []
        for n in range(1, EMOTION_ROWS + 1):
            name = cleaned.pop(f"emotion_{n}_name", "") or ""
            intensity = cleaned.pop(f"emotion_{n}_intensity", None)
            rerated = cleaned.pop(f"emotion_{n}_rerated", None)
            if f"emotion_{n}_intensity" in self.errors or f"emotion_{n}_rerated" in self.errors:
                continue
            if not name and intensity is None and rerated is None:
                continue
            if not name:
                self.add_error(f"emotion_{n}_name", _("Name the emotion you are rating."))
            elif intensity is None:
                self.add_error(f"emotion_{n}_intensity", _("How strong was it, from 0 to 100?"))
            else:
                emotions.append({"name": name, "intensity": intensity, "rerated": rerated})
        cleaned["emotions"] = emotions
        if "private" in self.fields:
            cleaned["visibility"] = (
                Visibility.PRIVATE if cleaned.pop("private", False) else Visibility.SHARED
            )
        return cleaned

    @staticmethod
    def initial_from(record, emotions) -> dict:
        initial = {
            name: getattr(record, name)
            for name in (
                "situation",
                "automatic_thought",
                "evidence_for",
                "evidence_against",
                "balanced_thought",
            )
        }
        initial["traps"] = [trap.key for trap in record.traps.all()]
        initial["private"] = record.visibility == Visibility.PRIVATE
        for n, emotion in enumerate(emotions[:EMOTION_ROWS], start=1):
            initial[f"emotion_{n}_name"] = emotion.name
            initial[f"emotion_{n}_intensity"] = emotion.intensity
            initial[f"emotion_{n}_rerated"] = emotion.rerated
        return initial


class CareTeamThoughtRecordForm(ThoughtRecordForm):
    """A thought record the therapist writes with the client: only the client keeps one private."""

    private = None


class ThoughtSettingsForm(forms.Form):
    default_visibility = forms.ChoiceField(
        label=_("New thought records start as"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_("Each client can still choose for each thought record."),
    )
