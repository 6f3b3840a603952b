"""What happened to an account that the practice's security log keeps. Accounts cannot know
practices (care is a floor up), so it says what happened and care records it. Sign-ins,
failed sign-ins and sign-outs come through Django's own auth signals instead."""

from django.dispatch import Signal

# Sent with: user, action (a care.SecurityEvent.Action value), request, before="", after="".
account_event = Signal()

TWO_FACTOR_ON = "two_factor_on"
TWO_FACTOR_OFF = "two_factor_off"
PASSWORD_CHANGE = "password_change"
PASSWORD_RESET_REQUEST = "password_reset_request"
PASSWORD_RESET = "password_reset"
SIGN_IN_FAILED = "sign_in_failed"
INVITATION_ACCEPT = "invitation_accept"


def account_event_send(*, user, action: str, request, before: str = "", after: str = "") -> None:
    account_event.send(
        sender=type(user), user=user, action=action, request=request, before=before, after=after
    )
