from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "outward.care"
    verbose_name = _("Care")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from . import security
        from .happenings import Place, register_client_tab, register_link, register_portal_place

        security.connect()

        register_client_tab(Place("overview", gettext_lazy("Overview"), "care:client_detail", 0))
        register_client_tab(Place("notes", gettext_lazy("Notes"), "care:session_notes", 90))
        register_portal_place(Place("today", gettext_lazy("Today"), "care:today", 0))
        register_link(
            "admin_client", Place("closure", gettext_lazy("Account closure"), "care:closure", 10)
        )

        # What care holds about a client, for the export and the erasure (client_data.py).
        # The therapist's notes and the care team are erased but are not the client's export.
        from .client_data import ClientDataKind, register_client_data
        from .models import (
            CareTeamMember,
            ClosureRequest,
            ReminderPreference,
            ReminderSent,
            SessionNote,
        )

        register_client_data(
            ClientDataKind(
                "care.reminder_preference",
                ReminderPreference,
                ("email_enabled", "send_at", "quiet_start", "quiet_end", "updated"),
                clinical=False,
            ),
            ClientDataKind("care.session_note", SessionNote, exported=False),
            ClientDataKind("care.care_team", CareTeamMember, exported=False, clinical=False),
            ClientDataKind("care.reminder_sent", ReminderSent, exported=False, clinical=False),
            ClientDataKind("care.closure_request", ClosureRequest, exported=False, clinical=False),
        )
