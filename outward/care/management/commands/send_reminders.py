from django.core.management.base import BaseCommand

from outward.care.reminders import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Enqueue today's reminder e-mails for clients whose send time has come. Idempotent: "
        "safe to run from cron every few minutes; `outward db_worker` sends them."
    )

    def handle(self, **options):
        self.stdout.write(f"Enqueued {reminders_enqueue()} reminder(s).")
