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

        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import CheckIn, CheckInSchedule, Contact, InsightShare

        register_client_data(
            ClientDataKind(
                "journal.check_in",
                CheckIn,
                (
                    "created",
                    "updated",
                    "occurred",
                    "day",
                    "mood",
                    "loneliness",
                    "meaningful_interactions",
                    "in_person",
                    "online",
                    "win",
                    "note",
                    "note_visibility",
                ),
            ),
            ClientDataKind(
                "journal.check_in_schedule", CheckInSchedule, ("every_days",), clinical=False
            ),
            ClientDataKind(
                "journal.contact",
                Contact,
                (
                    "created",
                    "updated",
                    "occurred",
                    "kind",
                    "with_whom",
                    "quality",
                    "note",
                    "visibility",
                ),
            ),
            ClientDataKind(
                "journal.insight_share", InsightShare, ("created", "updated", "rule", "shared")
            ),
        )
