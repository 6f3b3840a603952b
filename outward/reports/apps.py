from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "outward.reports"
    verbose_name = _("Reports")

    def ready(self):
        from outward.care import happenings
        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import CalendarFeed, ClientExport

        # A care-team therapist makes an export for the client from the client's record, the
        # practice admin from the practice's client list.
        happenings.register_client_tab(
            happenings.Place("export", _("Data export"), "reports:export", 100)
        )
        happenings.register_link(
            "admin_client", happenings.Place("export", _("Data export"), "reports:admin_export", 20)
        )
        # The calendar link and the exports (with their files) go with the record.
        register_client_data(
            ClientDataKind("reports.calendar_feed", CalendarFeed, exported=False, clinical=False),
            ClientDataKind("reports.export", ClientExport, exported=False, clinical=False),
        )
