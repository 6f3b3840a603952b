import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import timezone

from outward.lib.moments import moment_text

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_a_moment_reads_as_date_then_time_in_words():
    at = datetime.datetime(2026, 11, 26, 19, 0, tzinfo=NEW_YORK)
    assert moment_text(at) == "26 Nov 2026, 7 p.m."
    assert moment_text(at.replace(minute=30), "l j F") == "Thursday 26 November, 7:30 p.m."
    assert moment_text(at, zone=True) == "26 Nov 2026, 7 p.m. EST"


def test_the_filter_shows_the_moment_in_the_viewers_zone():
    at = datetime.datetime(2026, 11, 27, 0, 0, tzinfo=datetime.UTC)  # 7 p.m. the day before
    template = Template('{% load when %}{{ at|moment }} · {{ at|moment:"j M T" }} · {{ x|moment }}')
    with timezone.override(NEW_YORK):
        html = template.render(Context({"at": at, "x": "not a moment"}))
    assert html == "26 Nov 2026, 7 p.m. · 26 Nov, 7 p.m. EST · "
