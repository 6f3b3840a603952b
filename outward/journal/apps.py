from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "outward.journal"
    verbose_name = _("Journal")

    def ready(self):
        from outward.care import happenings

        from . import selectors

        happenings.register_provider(selectors.journal_happenings, kinds=selectors.HAPPENING_KINDS)
        happenings.register_due_provider(selectors.due_today)
        happenings.register_caseload_column(_("Last check-in"), selectors.last_check_in_cell)
        happenings.register_client_tab(
            happenings.Place("journal", _("Journal"), "journal:journal", 30)
        )
        happenings.register_portal_place(
            happenings.Place("journal", _("Journal"), "journal:my_journal", 30, app="journal")
        )
