from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "outward.community"
    verbose_name = _("Community")

    def ready(self):
        from outward.care import happenings

        from . import plan_selectors, selectors

        # Plans to go: attended plans count for goals; a plan's day and its "How did it go?"
        # appear on Today.
        happenings.register_provider(
            plan_selectors.plan_happenings, kinds=plan_selectors.HAPPENING_KINDS
        )
        happenings.register_due_provider(plan_selectors.due_today)
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
