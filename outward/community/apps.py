from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "outward.community"
    verbose_name = _("Community")

    def ready(self):
        from outward.care import happenings

        from . import selectors
        from .plans import selectors as plan_selectors

        # Plans to go: attended plans count for goals; a plan's day and its "How did it go?"
        # appear on Today.
        happenings.register_provider(
            plan_selectors.plan_happenings,
            kinds=plan_selectors.HAPPENING_KINDS,
            counter=plan_selectors.plan_counts,
        )
        happenings.register_due_provider(plan_selectors.due_today, probe=plan_selectors.plans_due)
        # Suggested groups: a tab on the client's record and a place in the client's portal.
        happenings.register_client_tab(
            happenings.Place("groups", _("Groups"), "community:suggestions", 25)
        )
        happenings.register_portal_place(
            happenings.Place("groups", _("Groups"), "community:my_suggestions", 25, app="community")
        )
        # The settings of the groups a client is drawn to: rehearsal suggests scenarios there.
        happenings.register_setting_hints(selectors.setting_hints)
        # A resource as a rung on the client's fear ladder (the skills room).
        happenings.register_rung_source(
            happenings.RungSource(
                "resource",
                _("From the directory"),
                selectors.rung_ideas,
                selectors.rung_idea,
                searchable=True,
            )
        )
        # A plan's opening line, used and working or not, counts for the starter it came from.
        happenings.register_opening_line_uses(plan_selectors.opening_line_uses)

        from outward.care.client_data import ClientDataKind, register_client_data

        from .models import FreeWindow, InterestChoice, InterestProfile, Mark, Plan

        register_client_data(
            ClientDataKind(
                "community.interest_profile",
                InterestProfile,
                (
                    "free_text",
                    "area",
                    "max_travel_km",
                    "budget_per_session",
                    "accessibility_needs",
                    "mode",
                    "updated",
                ),
            ),
            ClientDataKind(
                "community.interest_choice",
                InterestChoice,
                ("profile", "interest", "strength"),
                client_path="profile__client",
            ),
            ClientDataKind(
                "community.free_window",
                FreeWindow,
                ("profile", "weekday", "start", "end"),
                client_path="profile__client",
            ),
            ClientDataKind("community.mark", Mark, ("resource", "state")),
            ClientDataKind(
                "community.plan",
                Plan,
                (
                    "created",
                    "updated",
                    "resource",
                    "when",
                    "status",
                    "what_to_expect",
                    "arrival_plan",
                    "opening_line",
                    "opening_line_key",
                    "opening_line_used",
                    "opening_line_worked",
                    "predicted_anxiety",
                    "feared_outcome",
                    "actual_anxiety",
                    "enjoyment",
                    "talked_to_someone",
                    "reflection",
                    "obstacle",
                    "smaller_step",
                    "reported",
                ),
            ),
        )
