from django.core.management.base import BaseCommand

from outward.measures.services import alerts_escalate


class Command(BaseCommand):
    help = (
        "Tell practice admins (an e-mail with no clinical content) about risk alerts nobody "
        "acknowledged within the practice's time. Idempotent: safe to run from cron every few "
        "minutes; `outward db_worker --queue-name alerts` sends the e-mails."
    )

    def handle(self, **options):
        self.stdout.write(f"Escalated {alerts_escalate()} alert(s).")
