from django.core.management.base import BaseCommand

from outward.accounts.services import sessions_prune


class Command(BaseCommand):
    help = (
        "Forget sessions that ended more than a day ago, forms kept from ended sessions that "
        "nobody came back for, and week-old one-time form tokens. Safe to run from cron."
    )

    def handle(self, **options):
        self.stdout.write(f"Removed {sessions_prune()} old rows.")
