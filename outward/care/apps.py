from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "outward.care"
    verbose_name = _("Care")

    def ready(self):
        from django.utils.translation import gettext_lazy

        from . import security
        from .happenings import Place, register_client_tab, register_portal_place

        security.connect()

        register_client_tab(Place("overview", gettext_lazy("Overview"), "care:client_detail", 0))
        register_client_tab(Place("notes", gettext_lazy("Notes"), "care:session_notes", 90))
        register_portal_place(Place("today", gettext_lazy("Today"), "care:today", 0))
