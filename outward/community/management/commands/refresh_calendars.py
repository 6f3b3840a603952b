from django.core.management.base import BaseCommand

from outward.community.imports import feeds as calendar_feeds
from outward.community.models import CalendarSource


class Command(BaseCommand):
    help = (
        "Refresh every calendar feed of the directory. Idempotent and safe for cron (e.g. "
        "hourly): a refresh replaces a feed's events, so running it twice changes nothing. By "
        "default one task per feed is enqueued for `outward db_worker`; --now refreshes here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="refresh in this process instead of enqueuing"
        )

    def handle(self, **options):
        if not options["now"]:
            count = calendar_feeds.calendar_sources_enqueue()
            self.stdout.write(f"Enqueued a refresh of {count} feed(s).")
            return
        feeds = CalendarSource.objects.exclude(url="").select_related("practice").order_by("pk")
        failed = 0
        for source in feeds.iterator(chunk_size=100):
            if calendar_feeds.calendar_source_refresh(source=source) is None:
                failed += 1
                self.stderr.write(f"Feed {source.pk} ({source.name}): {source.last_problem}")
        self.stdout.write(f"Refreshed {feeds.count() - failed} feed(s); {failed} failed.")
