from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outward.care.models import Practice
from outward.community.directory import services


class Command(BaseCommand):
    help = (
        "Give a practice's in-person directory entries without coordinates a location: "
        "optionally load a postcode/place-centroid file first (--centroids FILE: a CSV of code "
        "or name, latitude, longitude, or a GeoNames postal-code dump; replaces the practice's "
        "file, all or nothing), then fill coordinates from it and place the rest in areas by "
        "postcode or place. --geocode then enqueues the online geocoder (if configured)."
    )

    def add_arguments(self, parser):
        parser.add_argument("practice", type=int, help="the practice's id")
        parser.add_argument("--centroids", type=Path, help="a centroid file to load first")
        parser.add_argument(
            "--geocode", action="store_true", help="then enqueue the online geocoder"
        )

    def handle(self, **options):
        practice = Practice.objects.filter(pk=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice {options['practice']}.")
        if options["centroids"]:
            try:
                data = options["centroids"].read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {options['centroids']}: {error}") from error
            try:
                count, located = services.centroids_load(
                    practice=practice,
                    data=data,
                    file_name=options["centroids"].name,
                    actor=None,
                    ip=None,
                    now=True,
                )
            except services.CentroidsRefused as refused:
                raise CommandError(
                    "Nothing was loaded:\n" + "\n".join(refused.problems)
                ) from refused
            self.stdout.write(f"Loaded {count} centroid(s).")
        else:
            located = services.locate(practice=practice)
        self.stdout.write(
            f"{located.filled} got coordinates, {located.placed} placed in an area, "
            f"{located.missing} still need a location."
        )
        if options["geocode"]:
            if not services.geocoder_enabled():
                raise CommandError("No online geocoder is configured (OUTWARD_GEOCODER_URL).")
            services.geocode_practice.enqueue(practice_id=practice.pk)
            self.stdout.write("Enqueued the online geocoder.")
