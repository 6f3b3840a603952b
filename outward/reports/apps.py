from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "outward.reports"
    verbose_name = _("Reports")

    def ready(self):
        from outward.care import happenings

        # Before Notes (90): the progress reports made for this client, and a new one.
        happenings.register_client_tab(
            happenings.Place("reports", _("Reports"), "reports:progress_reports", 80)
        )
