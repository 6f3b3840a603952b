from django.core.management.base import BaseCommand, CommandError

from outward.seeding import DEMO_PASSWORD, seed_load


class Command(BaseCommand):
    help = "Create a synthetic practice of N therapists and M clients for load and scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--therapists", type=int, default=10)
        parser.add_argument("--clients", type=int, default=100)
        parser.add_argument("--notes-per-client", type=int, default=3)

    def handle(self, *, therapists, clients, notes_per_client, **options):
        if therapists < 1 or clients < 0 or notes_per_client < 0:
            raise CommandError("Need at least one therapist and no negative counts.")
        practice = seed_load(
            therapists=therapists, clients=clients, notes_per_client=notes_per_client
        )
        first = practice.members.select_related("user").order_by("pk").first()
        self.stdout.write(
            f"Seeded {practice.name}: {therapists} therapists, {clients} clients. "
            f"Sign in as {first.user.email} / {DEMO_PASSWORD}"
        )
