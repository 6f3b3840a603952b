"""Calendar feeds: fetched (10 s, 5 MB, public addresses only), applied all-or-nothing; a
feed that cannot be fetched or read records why and changes nothing; the periodic refresh
is a task and a cron-safe command."""

import datetime
import io
import socket
import urllib.error

import pytest
import time_machine
from django.core.management import call_command

from outward.community import import_services
from outward.community.import_services import (
    FeedUnavailable,
    ImportRefused,
    calendar_source_refresh,
    fetch_calendar,
)
from outward.community.models import CalendarSource, Resource, ResourceOccurrence

from .import_helpers import calendar

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 10, 12, tzinfo=datetime.UTC)
QUIZ = """
    UID:quiz@pub.example
    SUMMARY:Pub quiz
    DTSTART;TZID=Europe/London:20261015T190000
    RRULE:FREQ=WEEKLY
"""
CHOIR = """
    UID:choir@church.example
    SUMMARY:Community choir
    DTSTART;TZID=Europe/London:20261016T180000
    RRULE:FREQ=WEEKLY;COUNT=4
"""


@pytest.fixture
def feeds(world, monkeypatch):
    """The world's practice with one feed; `feeds.serve(url, body or exception)`."""
    served = {}

    def fake_fetch(url):
        answer = served[url]
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(import_services, "fetch_calendar", fake_fetch)
    world.served = served
    world.feed = CalendarSource.objects.create(
        practice=world.practice,
        name="The Crown",
        url="https://pub.example/events.ics",
        default_kind="group",
        default_intensity=3,
        created_by=world.therapist.user,
    )
    with time_machine.travel(NOW, tick=False):
        yield world


def refresh(world, body, source=None):
    source = source or world.feed
    world.served[source.url] = body
    return calendar_source_refresh(source=CalendarSource.objects.get(pk=source.pk))


def test_a_refresh_fills_the_directory_from_the_feed(feeds):
    summary = refresh(feeds, calendar(QUIZ, CHOIR))
    assert (summary.created, summary.updated, summary.removed) == (2, 0, 0)
    quiz = Resource.objects.get(source_key="quiz@pub.example")
    assert (quiz.feed, quiz.kind, quiz.social_intensity) == (feeds.feed, "group", 3)
    assert quiz.occurrences.count() == 8
    feeds.feed.refresh_from_db()
    assert feeds.feed.last_refreshed == NOW
    assert feeds.feed.last_problem == ""


def test_refreshing_twice_changes_nothing(feeds):
    refresh(feeds, calendar(QUIZ, CHOIR))
    before = (
        list(Resource.objects.order_by("pk").values_list("pk", "name", "source_key")),
        list(ResourceOccurrence.objects.order_by("start").values_list("resource_id", "start")),
    )
    summary = refresh(feeds, calendar(QUIZ, CHOIR))
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (0, 0, 2, 0)
    after = (
        list(Resource.objects.order_by("pk").values_list("pk", "name", "source_key")),
        list(ResourceOccurrence.objects.order_by("start").values_list("resource_id", "start")),
    )
    assert after == before


def test_an_event_taken_out_of_the_feed_leaves_only_that_feed(feeds):
    other = CalendarSource.objects.create(
        practice=feeds.practice,
        name="Church",
        url="https://church.example/cal.ics",
        created_by=feeds.therapist.user,
    )
    refresh(feeds, calendar(QUIZ, CHOIR))
    refresh(feeds, calendar(CHOIR.replace("choir@", "choir2@")), source=other)
    summary = refresh(feeds, calendar(QUIZ))
    assert summary.removed == 1
    assert set(Resource.objects.values_list("source_key", flat=True)) == {
        "quiz@pub.example",
        "choir2@church.example",
    }


@pytest.mark.parametrize(
    "failure",
    [
        FeedUnavailable("The feed answered 503 Service Unavailable."),
        calendar(QUIZ)[:100],  # cut short
        b"<html>Not found</html>",
    ],
)
def test_a_feed_that_fails_records_why_and_changes_nothing(feeds, failure):
    refresh(feeds, calendar(QUIZ, CHOIR))
    before = list(ResourceOccurrence.objects.values())
    feeds.feed.refresh_from_db()
    refreshed = feeds.feed.last_refreshed
    assert refresh(feeds, failure) is None
    assert list(ResourceOccurrence.objects.values()) == before
    assert Resource.objects.count() == 2
    feeds.feed.refresh_from_db()
    assert feeds.feed.last_refreshed == refreshed
    assert feeds.feed.last_problem
    if isinstance(failure, FeedUnavailable):
        assert feeds.feed.last_problem == "The feed answered 503 Service Unavailable."


def test_events_left_out_are_noted_on_the_feed(feeds):
    refresh(feeds, calendar(QUIZ, "UID:untitled@example\nDTSTART:20261020T100000Z"))
    feeds.feed.refresh_from_db()
    assert feeds.feed.last_problem.startswith("Refreshed, but some events were left out:")
    assert "the event has no title" in feeds.feed.last_problem


def test_an_uploaded_calendar_has_no_address_to_refresh(feeds):
    uploaded = CalendarSource.objects.create(
        practice=feeds.practice, name="library.ics", url="", created_by=feeds.therapist.user
    )
    with pytest.raises(ImportRefused, match="upload the file again"):
        calendar_source_refresh(source=uploaded)


def test_the_task_and_the_command_refresh_every_feed(feeds):
    feeds.served[feeds.feed.url] = calendar(QUIZ)
    other = CalendarSource.objects.create(
        practice=feeds.other_practice,
        name="Elsewhere",
        url="https://elsewhere.example/cal.ics",
        created_by=feeds.stranger.user,
    )
    feeds.served[other.url] = calendar(CHOIR)
    # Tests run tasks at once (the immediate backend): enqueuing is refreshing.
    assert import_services.refresh_calendar_sources.call() == 2
    assert Resource.objects.filter(practice=feeds.practice).count() == 1
    assert Resource.objects.filter(practice=feeds.other_practice).count() == 1
    out = io.StringIO()
    call_command("refresh_calendars", stdout=out)
    assert "Enqueued a refresh of 2 feed(s)." in out.getvalue()
    call_command("refresh_calendars", "--now", stdout=out, stderr=io.StringIO())
    assert "Refreshed 2 feed(s); 0 failed." in out.getvalue()
    assert Resource.objects.count() == 2  # idempotent


def test_the_task_for_a_feed_deleted_meanwhile():
    assert import_services.refresh_calendar_source.call(source_id=999999) is False


# -- fetching ----------------------------------------------------------------------------------


class FakeResponse(io.BytesIO):
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def public_dns(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        address = {"localhost": "127.0.0.1", "intranet.example": "10.0.0.5"}.get(
            host, "93.184.215.14"
        )
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_fetch_reads_with_a_timeout_and_a_size_cap(monkeypatch, public_dns):
    calls = []

    def open_(self, request, timeout):
        calls.append((request.full_url, timeout))
        return FakeResponse(b"BEGIN:VCALENDAR")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", open_)
    assert fetch_calendar("https://pub.example/events.ics") == b"BEGIN:VCALENDAR"
    assert calls == [("https://pub.example/events.ics", 10)]
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open",
        lambda self, request, timeout: FakeResponse(b"x" * (import_services.MAX_BYTES + 10)),
    )
    with pytest.raises(FeedUnavailable, match="larger than 5 MB"):
        fetch_calendar("https://pub.example/events.ics")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "must start with https:// or http://"),
        ("ftp://pub.example/cal.ics", "must start with https:// or http://"),
        ("http://localhost:8000/admin/", "is not on the public internet"),
        ("https://intranet.example/cal.ics", "is not on the public internet"),
        ("http://169.254.169.254/latest/meta-data/", "is not on the public internet"),
    ],
)
def test_fetch_refuses_addresses_off_the_public_internet(url, why, public_dns, monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (
                socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                ({"localhost": "127.0.0.1", "intranet.example": "10.0.0.5"}.get(host, host), port),
            )
        ],
    )
    with pytest.raises(FeedUnavailable, match=why):
        fetch_calendar(url)


def test_fetch_turns_network_trouble_into_a_reason(monkeypatch, public_dns):
    def failing(error):
        def open_(self, request, timeout):
            raise error

        return open_

    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open",
        failing(urllib.error.HTTPError("https://x", 404, "Not Found", {}, None)),
    )
    with pytest.raises(FeedUnavailable, match="answered 404 Not Found"):
        fetch_calendar("https://pub.example/events.ics")
    monkeypatch.setattr(
        "urllib.request.OpenerDirector.open", failing(urllib.error.URLError(TimeoutError()))
    )
    with pytest.raises(FeedUnavailable, match="could not be reached"):
        fetch_calendar("https://pub.example/events.ics")


def test_a_redirect_to_a_private_address_is_refused(public_dns):
    handler = import_services._CheckedRedirects()
    with pytest.raises(FeedUnavailable, match="not on the public internet"):
        handler.redirect_request(None, None, 302, "Found", {}, "http://localhost/")
