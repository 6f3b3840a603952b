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
        # Reflections (issue 11): shared ones count as happenings; Today asks for one after a
        # plan attended or a practice attempt, and for the look back the therapist set; a
        # missed plan's page offers one too.
        happenings.register_provider(
            selectors.reflection_happenings, kinds=selectors.REFLECTION_KINDS
        )
        happenings.register_provider(selectors.map_happenings, kinds=selectors.MAP_KINDS)
        happenings.register_due_provider(selectors.reflections_due)
        happenings.register_link(
            "missed_plan",
            happenings.Place(
                "reflect", _("Write about it in your journal"), "journal:reflection_create", 20
            ),
        )
        happenings.register_caseload_column(_("Last check-in"), selectors.last_check_in_cell)
        happenings.register_client_tab(
            happenings.Place("journal", _("Journal"), "journal:journal", 30)
        )
        happenings.register_portal_place(
            happenings.Place("journal", _("Journal"), "journal:my_journal", 30, app="journal")
        )
