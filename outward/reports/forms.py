from django import forms
from django.utils.translation import gettext_lazy as _


class WordingForm(forms.Form):
    own_wording = forms.BooleanField(
        label=_("Use my own words in event titles"),
        required=False,
        help_text=_(
            "Off: every step shows as “Outward: a step you planned”. On: it shows the step as "
            "you wrote it, which anyone who sees your calendar can read too."
        ),
    )
