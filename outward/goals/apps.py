from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "outward.goals"
    verbose_name = _("Goals")

    def ready(self):
        from outward.care import happenings

        from . import selectors, services

        happenings.register_provider(
            selectors.goal_happenings,
            kinds=selectors.HAPPENING_KINDS,
            counter=selectors.goal_counts,
        )
        happenings.register_provider(selectors.win_happenings, kinds=selectors.WIN_KINDS)
        happenings.register_due_provider(selectors.due_today)
        happenings.register_listener(services.on_happening)
        happenings.register_today_notices(selectors.encouragement_notices)
        happenings.register_caseload_column(_("Targets"), selectors.targets_cell)
        happenings.register_client_tab(happenings.Place("goals", _("Goals"), "goals:goals", 20))
        happenings.register_portal_place(
            happenings.Place("goals", _("Goals"), "goals:my_goals", 20, app="goals")
        )
        happenings.register_rung_source(
            happenings.RungSource(
                "goal_step", _("From a goal's step"), selectors.rung_ideas, selectors.rung_idea
            )
        )

        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import Goal, GoalCheckIn, GoalReview, Step, Win

        register_client_data(
            ClientDataKind(
                "goals.goal",
                Goal,
                (
                    "created",
                    "updated",
                    "title",
                    "specific",
                    "measurable",
                    "achievable",
                    "relevant",
                    "target_date",
                    "cadence_count",
                    "cadence_period",
                    "counts_kind",
                    "status",
                    "gas_minus2",
                    "gas_minus1",
                    "gas_0",
                    "gas_plus1",
                    "gas_plus2",
                    "weight",
                ),
            ),
            ClientDataKind(
                "goals.step",
                Step,
                ("created", "updated", "goal", "position", "title", "scheduled_for", "done_at"),
            ),
            ClientDataKind("goals.check_in", GoalCheckIn, ("goal", "occurred")),
            ClientDataKind(
                "goals.review",
                GoalReview,
                ("created", "updated", "goal", "reviewed_on", "level", "note"),
            ),
            ClientDataKind(
                "goals.win",
                Win,
                ("kind", "text", "occurred", "source", "acknowledgement", "acknowledged_at"),
            ),
        )
