import functools

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from outward.lib.zones import zone_names


class TimeZoneInput(forms.TextInput):
    """A text box with the zones as suggestions (a datalist: typing "oslo" finds Europe/Oslo),
    and, with JavaScript, an offer of the device's own zone (outward.js)."""

    template_name = "includes/time_zone_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            list=f"{widget_attrs['id']}-zones", autocomplete="off", spellcheck="false"
        )
        context["zone_options"] = _zone_options()
        return context


@functools.cache
def _zone_options() -> str:
    """The suggestions' <option>s, made once per process: the same ~420 zones each time, which
    rendered through a template loop were a third of the account page's time."""
    return format_html_join("", '<option value="{}"></option>', ((zone,) for zone in zone_names()))


class TimeZoneField(forms.CharField):
    """One of lib.zones' names, or the one the person already has (an older alias such as
    "US/Eastern" keeps working until they pick another)."""

    widget = TimeZoneInput

    def __init__(self, *, current: str = "", **kwargs):
        super().__init__(max_length=64, **kwargs)
        self.current = current

    def clean(self, value):
        value = super().clean(value)
        if not value and not self.required:
            return value
        if value not in zone_names() and value != self.current:
            raise forms.ValidationError(
                _("Pick a time zone from the list, such as Europe/London or America/New_York."),
                code="invalid",
            )
        return value


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits your app shows, without spaces.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
    )
    password_again = forms.CharField(
        label=_("Type it again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passwords are different."))
        elif password:
            try:
                validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class InvitationAcceptForm(SetPasswordForm):
    """Joining: a password, and the time zone, which starts as the device's own (outward.js;
    the practice's without JavaScript)."""

    time_zone = TimeZoneField(
        required=False,  # left out: the practice's, as before
        label=_("Your time zone"),
        help_text=_("Reminders and times are shown in it. Type a city to find another."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].current = self.initial.get("time_zone", "")
        if not self.is_bound:  # sent back with a mistake: keep what they picked
            self.fields["time_zone"].widget.attrs["data-prefer-device"] = True


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    time_zone = TimeZoneField(
        label=_("Time zone"),
        help_text=_("Type a city to find its zone, e.g. London or New York."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].current = self.initial.get("time_zone", "")


class TwoFactorOffForm(CodeForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]
