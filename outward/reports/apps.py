from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "outward.reports"
    verbose_name = _("Reports")

    def ready(self):
        from outward.care import happenings

        from . import overview, selectors

        # Session prep: the therapist's page for the next session is a tab on the client's
        # record and a column of the caseload; the client's "Before we meet" is on Today.
        happenings.register_client_tab(
            happenings.Place("prep", _("Session prep"), "reports:prep", 85)
        )
        happenings.register_caseload_column(_("Session prep"), selectors.prep_cell)
        # The client page's Overview reads the record as session prep does.
        happenings.register_overview(overview.overview_section)
        happenings.register_link(
            "today", happenings.Place("prep", _("Before we meet"), "reports:my_prep", 30)
        )
        # Before Notes (90): the progress reports made for this client, and a new one.
        happenings.register_client_tab(
            happenings.Place("reports", _("Reports"), "reports:progress_reports", 80)
        )
        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import CalendarFeed, ClientExport, ProgressReport, SessionPrep

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
            # What the client approved to talk about: theirs to take. A progress report's PDF
            # is made afresh for the export; the stored ones (the care team's file) go with
            # the record.
            ClientDataKind(
                "reports.session_prep",
                SessionPrep,
                ("since", "items", "removed", "agenda", "approved"),
            ),
            ClientDataKind("reports.progress_report", ProgressReport, exported=False),
        )
