from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "outward.measures"
    verbose_name = _("Measures")

    def ready(self):
        from outward.care import happenings

        from . import definitions, selectors

        definitions.instruments()  # a broken definition file stops start-up, naming the file
        happenings.register_provider(selectors.measure_happenings, kinds=selectors.HAPPENING_KINDS)
        happenings.register_due_provider(selectors.due_today)
        happenings.register_caseload_column(_("Attention"), selectors.alerts_cell)
        happenings.register_attention(selectors.open_alert_condition)
        happenings.register_record_notices(selectors.alert_notices)
        happenings.register_practice_notices(selectors.crisis_setup_notices)
        happenings.register_client_tab(
            happenings.Place("measures", _("Measures"), "measures:measures", 10)
        )
        # The readiness conversation opens the work: a tab of its own, not a button in Measures.
        happenings.register_client_tab(
            happenings.Place("readiness", _("Readiness"), "measures:readiness", 5)
        )
