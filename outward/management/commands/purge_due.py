from django.core.management.base import BaseCommand

from outward.care import closures
from outward.reports import services as report_services


class Command(BaseCommand):
    help = (
        "Erase the records of closed accounts whose retention period has ended, and let "
        "expired data exports go. Idempotent: safe to run from cron (daily). With --dry-run, "
        "list what would go and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *, dry_run, **options):
        erased = 0
        for client in closures.erasure_due().select_related("practice"):
            if dry_run:
                erasure = closures.erasure_preview(client=client)
            else:
                erasure = closures.client_erase(client=client)
                if erasure is None:  # erased meanwhile by another run
                    continue
            erased += 1
            counts = ", ".join(f"{name} {count}" for name, count in erasure.rows.items() if count)
            verb = "would erase" if dry_run else "erased"
            self.stdout.write(
                f"{verb} client {erasure.client_id} of practice {erasure.practice_id}: "
                f"{counts or 'no records'}"
            )
        if dry_run:
            self.stdout.write(f"Dry run: {erased} client record(s) due; nothing was changed.")
            return
        expired = report_services.exports_expire()
        self.stdout.write(f"Erased {erased} client record(s); let {expired} expired export(s) go.")
