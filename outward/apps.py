from django.apps import AppConfig


class OutwardConfig(AppConfig):
    """The project package as an app: its system checks and management commands."""

    name = "outward"
    verbose_name = "Outward"

    def ready(self):
        from . import checks  # noqa: F401  (registers the checks)
