from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "outward.reports"
    verbose_name = _("Reports")

    def ready(self):
        from outward.care import happenings

        from . import selectors

        # Session prep: the therapist's page for the next session is a tab on the client's
        # record and a column of the caseload; the client's "Before we meet" is on Today.
        happenings.register_client_tab(
            happenings.Place("prep", _("Session prep"), "reports:prep", 85)
        )
        happenings.register_caseload_column(_("Session prep"), selectors.prep_cell)
        happenings.register_link(
            "today", happenings.Place("prep", _("Before we meet"), "reports:my_prep", 30)
        )
        # Before Notes (90): the progress reports made for this client, and a new one.
        happenings.register_client_tab(
            happenings.Place("reports", _("Reports"), "reports:progress_reports", 80)
        )
