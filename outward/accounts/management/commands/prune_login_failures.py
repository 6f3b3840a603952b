from django.core.management.base import BaseCommand

from outward.accounts.services import login_failures_prune


class Command(BaseCommand):
    help = (
        "Forget failed sign-ins and password-reset requests older than their throttle windows. "
        "Safe to run from cron."
    )

    def handle(self, **options):
        self.stdout.write(f"Removed {login_failures_prune()} old failed sign-ins and requests.")
