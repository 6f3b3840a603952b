from django.core.management.base import BaseCommand, CommandError

from outward.care.selectors import audit_chain_breaks


class Command(BaseCommand):
    help = (
        "Check the hash chains of the audit log and the security log. Exits non-zero and names "
        "the first broken row of each if a row was changed, removed or inserted. Read-only: "
        "safe to run from cron."
    )

    def handle(self, **options):
        problems = audit_chain_breaks()
        if problems:
            raise CommandError("The audit chain is broken:\n" + "\n".join(problems))
        self.stdout.write("The audit and security logs are intact.")
