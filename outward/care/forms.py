from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outward.accounts import services as account_services
from outward.lib.forms import BoundedDateField

from .models import Client, SecurityEvent


class UniqueEmailField(forms.EmailField):
    """An e-mail that no account uses yet: duplicates are a field error, not a crash, and
    the same one wherever the address is used (see accounts EMAIL_UNAVAILABLE)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=254, **kwargs)  # the model's limit

    def clean(self, value):
        email = super().clean(value).lower()
        if not account_services.email_available(email):
            raise forms.ValidationError(account_services.EMAIL_UNAVAILABLE)
        return email


class ClientCreateForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name"), max_length=150, help_text=_("The name the client likes to be called.")
    )
    email = UniqueEmailField(
        label=_("Email"), help_text=_("The client signs in with this address.")
    )


class ClientEditForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    # An account is closed only by the practice admin's decision (care/closures.py), and a
    # closed one stays closed: its status is not a choice here.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[choice for choice in Client.Status.choices if choice[0] != Client.Status.CLOSED],
    )

    def __init__(self, *args, closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if closed:
            del self.fields["status"]


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Client.Status.choices],
    )


class SessionNoteForm(forms.Form):
    session_date = BoundedDateField(
        label=_("Session date"),
    )
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )

    def clean_session_date(self):
        date = self.cleaned_data["session_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The session date cannot be in the future."))
        return date


class StaffInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = UniqueEmailField(label=_("Email"))
    is_therapist = forms.BooleanField(
        label=_("Therapist (sees clients on their care teams)"), required=False, initial=True
    )
    is_admin = forms.BooleanField(
        label=_("Practice admin (manages staff and care teams)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_therapist") and not cleaned.get("is_admin"):
            raise forms.ValidationError(_("Choose at least one role."))
        return cleaned


class InvitationEmailForm(forms.Form):
    """ "E-mail it" on the invitation page: the link's token, which the page already holds."""

    token = forms.CharField(max_length=100, widget=forms.HiddenInput)


class PracticeSettingsForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-step sign-in for all staff"), required=False
    )
    alert_escalation_hours = forms.IntegerField(
        label=_("Tell the practice admins when a risk alert is not acknowledged within (hours)"),
        min_value=1,
        max_value=168,
        required=False,  # left empty: unchanged
        help_text=_(
            "The email says only that a client's record needs attention, never who or why."
        ),
    )
    retention_years = forms.IntegerField(
        label=_("Keep a closed client's record for (years)"),
        min_value=0,
        max_value=100,
        required=False,  # left empty: unchanged
        help_text=_(
            "Counted from the day the account is closed; then the record is erased. 0 erases it "
            "at the next nightly purge. Check what your professional body and the law ask of you."
        ),
    )


class CareTeamForm(forms.Form):
    therapist = forms.ModelChoiceField(label=_("Therapist"), queryset=None, empty_label=None)

    def __init__(self, *args, therapists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists


class ReminderForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Email me on days when something is planned"), required=False
    )
    send_at = forms.TimeField(label=_("Send it at"), widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}))


class SecurityLogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Everything")), *SecurityEvent.Action.choices],
    )
    actor = forms.EmailField(label=_("Who (email)"), required=False)
    date_from = BoundedDateField(label=_("From"), required=False)
    date_to = BoundedDateField(label=_("Until (inclusive)"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ClosureRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Anything you would like the practice to know (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClosureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Close the account")),
            ("decline", _("Decline the request")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the decision. The client sees it if you decline."),
    )

    def __init__(self, *args, can_decline: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_decline:
            self.fields["decision"].choices = self.fields["decision"].choices[:1]

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason
