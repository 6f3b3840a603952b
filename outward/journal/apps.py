from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "outward.journal"
    verbose_name = _("Journal")

    def ready(self):
        from outward.care import happenings

        from . import selectors

        # Check-ins and contacts apart, so a reader of contacts only (a goal's cadence) does
        # not read the check-ins too.
        happenings.register_provider(
            selectors.check_in_happenings,
            kinds=selectors.CHECK_IN_KINDS,
            counter=selectors.check_in_counts,
        )
        happenings.register_provider(
            selectors.contact_happenings,
            kinds=selectors.CONTACT_KINDS,
            counter=selectors.contact_counts,
        )
        happenings.register_due_provider(selectors.due_today)
        # Reflections (issue 11): shared ones count as happenings; Today (journal's
        # due_today) asks for one after a plan attended or a practice attempt, and for the look
        # back the therapist set; a missed plan's page offers one too.
        happenings.register_provider(
            selectors.reflection_happenings,
            kinds=selectors.REFLECTION_KINDS,
            counter=selectors.reflection_counts,
        )
        happenings.register_provider(
            selectors.map_happenings, kinds=selectors.MAP_KINDS, counter=selectors.map_counts
        )
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

        from outward.care.client_data import ClientDataKind, register_client_data
        from outward.care.records import is_own_record

        from .models import (
            CheckIn,
            CheckInSchedule,
            Contact,
            InsightShare,
            MapSnapshot,
            Person,
            Reflection,
            ReflectionCadence,
        )

        def own_snapshots(client, viewer):
            # A snapshot lists every person then on the map, private ones too (by id, circle
            # and role): only the client's own export carries them.
            if is_own_record(client=client, viewer=viewer):
                return MapSnapshot.objects.filter(client=client)
            return MapSnapshot.objects.none()

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
            ClientDataKind(
                "journal.reflection",
                Reflection,
                (
                    "created",
                    "updated",
                    "occurred",
                    "prompt",
                    "went_well",
                    "was_hard",
                    "learned",
                    "try_next",
                    "free_text",
                    "about",
                    "about_title",
                    "visibility",
                ),
            ),
            ClientDataKind(
                "journal.reflection_cadence",
                ReflectionCadence,
                ("every_days", "since"),
                clinical=False,
            ),
            ClientDataKind(
                "journal.person",
                Person,
                ("created", "updated", "name", "circle", "role", "touch", "visibility", "removed"),
            ),
            ClientDataKind(
                "journal.map_snapshot",
                MapSnapshot,
                ("created", "updated", "day", "people"),
                rows=own_snapshots,
            ),
        )
