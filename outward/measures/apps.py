from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "outward.measures"
    verbose_name = _("Measures")

    def ready(self):
        from outward.care import happenings

        from . import definitions, selectors

        definitions.instruments()  # a broken definition file stops start-up, naming the file
        happenings.register_provider(
            selectors.measure_happenings,
            kinds=selectors.HAPPENING_KINDS,
            counter=selectors.measure_counts,
        )
        happenings.register_due_provider(selectors.due_today, probe=selectors.assignments_due)
        happenings.register_caseload_column(_("Attention"), selectors.alerts_cell)
        happenings.register_attention(selectors.open_alert_clients)
        happenings.register_record_notices(selectors.alert_notices)
        happenings.register_practice_notices(selectors.crisis_setup_notices)
        happenings.register_client_tab(
            happenings.Place("measures", _("Measures"), "measures:measures", 10)
        )

        from outward.care.client_data import (
            ClientDataKind,
            ExportFile,
            register_client_data,
            register_export_file,
        )

        from .models import (
            Assignment,
            ReadinessAnswer,
            ReadinessCheck,
            ReadinessRuler,
            Response,
            RiskAlert,
        )

        register_client_data(
            ClientDataKind(
                "measures.assignment",
                Assignment,
                ("instrument_key", "every_days", "next_due", "active", "created"),
            ),
            ClientDataKind(
                "measures.response",
                Response,
                (
                    "assignment",
                    "instrument_key",
                    "instrument_version",
                    "answers",
                    "scores",
                    "risk_items",
                    "started",
                    "completed",
                ),
            ),
            # When the care team was alerted and when they acknowledged it; their note is
            # theirs (like a session note), so it is erased but not exported.
            ClientDataKind(
                "measures.risk_alert", RiskAlert, ("response", "created", "acknowledged_at")
            ),
            ClientDataKind(
                "measures.readiness_check",
                ReadinessCheck,
                ("held_on", "focus_area", "focus_note", "created"),
            ),
            ClientDataKind(
                "measures.readiness_answer",
                ReadinessAnswer,
                ("readiness", "question", "text"),
                client_path="readiness__client",
            ),
            ClientDataKind(
                "measures.readiness_ruler",
                ReadinessRuler,
                ("readiness", "area", "importance", "confidence"),
                client_path="readiness__client",
            ),
        )
        register_export_file(ExportFile("fhir/measures-bundle.json", selectors.fhir_bundle_pieces))

        # The readiness conversation opens the work: a tab of its own, not a button in Measures.
        happenings.register_client_tab(
            happenings.Place("readiness", _("Readiness"), "measures:readiness", 5)
        )
