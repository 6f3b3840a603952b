import time

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _


def _remember_sign_in_time(sender, request, user, **kwargs):
    from .middleware import SIGNED_IN_AT, session_renew

    # The absolute session lifetime counts from here, whatever the idle renewals.
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        session_renew(request, now=now, force=True)


class AccountsConfig(AppConfig):
    name = "outward.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .sessions import forget_reads

        user_logged_in.connect(_remember_sign_in_time, dispatch_uid="outward_sign_in_time")
        request_started.connect(forget_reads, dispatch_uid="outward_forget_session_reads")
