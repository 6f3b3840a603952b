"""Calendar feeds: fetched (10 s, 5 MB, public addresses only), applied all-or-nothing; a
feed that cannot be fetched or read records why and changes nothing; the periodic refresh
is a task and a cron-safe command."""

import datetime
import io
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time

import pytest
import time_machine
from django.core.management import call_command

from outward.community.imports import feeds as calendar_feeds
from outward.community.imports.feeds import (
    FeedUnavailable,
    calendar_source_refresh,
    fetch_calendar,
)
from outward.community.imports.services import ImportRefused
from outward.community.models import Area, CalendarSource, Resource, ResourceOccurrence
from outward.lib import net

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

    monkeypatch.setattr(calendar_feeds, "fetch_calendar", fake_fetch)
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


def test_a_refresh_places_new_and_moved_events_without_coordinates_in_an_area(feeds):
    north, south = (
        Area.objects.create(
            practice=feeds.practice, name=name, latitude=51.5, longitude=-0.1, postcodes=code
        )
        for name, code in (("Northside", "NS1"), ("Southside", "SS2"))
    )
    refresh(feeds, calendar(QUIZ + "    LOCATION:The Crown\\, 4 Quay St\\, NS1 4AB\n"))
    quiz = Resource.objects.get(source_key="quiz@pub.example")
    assert (quiz.latitude, quiz.placed_in) == (None, north)
    refresh(feeds, calendar(QUIZ + "    LOCATION:The Anchor\\, SS2 1CD\n"))  # it moved
    quiz.refresh_from_db()
    assert quiz.placed_in == south


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
    assert calendar_feeds.refresh_calendar_sources.call() == 2
    assert Resource.objects.filter(practice=feeds.practice).count() == 1
    assert Resource.objects.filter(practice=feeds.other_practice).count() == 1
    out = io.StringIO()
    call_command("refresh_calendars", stdout=out)
    assert "Enqueued a refresh of 2 feed(s)." in out.getvalue()
    call_command("refresh_calendars", "--now", stdout=out, stderr=io.StringIO())
    assert "Refreshed 2 feed(s); 0 failed." in out.getvalue()
    assert Resource.objects.count() == 2  # idempotent


def test_the_task_for_a_feed_deleted_meanwhile():
    assert calendar_feeds.refresh_calendar_source.call(source_id=999999) is False


# -- fetching ----------------------------------------------------------------------------------


class FeedServer(socketserver.ThreadingTCPServer):
    """A feed server on 127.0.0.1 that answers as told: `mode` picks the answer; `seen`
    keeps each request's head."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.mode, self.body, self.seen = "ok", b"BEGIN:VCALENDAR", []


class FeedHandler(socketserver.StreamRequestHandler):
    def handle(self):
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline()
            if not line:
                return
            head += line
        self.server.seen.append(head.decode())
        out, mode = self.wfile, self.server.mode
        try:
            if mode == "ok":
                body = self.server.body
                out.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            elif mode == "missing":
                out.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            elif mode == "redirect-inside":
                out.write(b"HTTP/1.1 302 Found\r\nLocation: http://intranet.example/\r\n\r\n")
            elif mode in ("trickle-body", "trickle-head"):
                if mode == "trickle-body":
                    out.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
                for _n in range(400):  # a byte every 50 ms: 20 s, if nobody hangs up
                    out.write(b"B" if mode == "trickle-body" else b"X-Slow: y\r\n"[:1])
                    out.flush()
                    time.sleep(0.05)
        except OSError:
            pass  # the client hung up, as it should


@pytest.fixture
def feed_server(monkeypatch):
    """The server, reachable as http://feeds.example:PORT/ (127.0.0.1 counted as public for
    it alone); intranet.example is 10.0.0.5 and stays refused."""
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        address = {"feeds.example": "127.0.0.1", "intranet.example": "10.0.0.5"}.get(host, host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    real_is_public = net._is_public
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(net, "_is_public", lambda ip: ip == "127.0.0.1" or real_is_public(ip))
    server.url = f"http://feeds.example:{server.server_address[1]}/events.ics?week=1"
    server.lookups = lookups
    yield server
    server.shutdown()
    server.server_close()


def test_fetch_reads_the_feed_from_the_address_it_checked(feed_server):
    assert fetch_calendar(feed_server.url) == b"BEGIN:VCALENDAR"
    (head,) = feed_server.seen
    assert head.startswith("GET /events.ics?week=1 HTTP/1.1\r\n")
    assert f"Host: feeds.example:{feed_server.server_address[1]}" in head
    assert feed_server.lookups == ["feeds.example"]  # one lookup: no second one to rebind


def test_a_host_that_rebinds_after_the_check_is_still_fetched_from_the_checked_one(
    feed_server, monkeypatch
):
    answers = iter(["127.0.0.1", "10.0.0.5"])  # public when checked, inside afterwards

    def rebinding(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert fetch_calendar(feed_server.url) == b"BEGIN:VCALENDAR"


def test_fetch_caps_the_size(feed_server):
    feed_server.body = b"x" * (calendar_feeds.MAX_BYTES + 10)
    with pytest.raises(FeedUnavailable, match="larger than 5 MB"):
        fetch_calendar(feed_server.url)


@pytest.mark.parametrize("mode", ["trickle-body", "trickle-head"])
def test_a_trickling_server_cannot_hold_the_fetch_past_its_deadline(feed_server, monkeypatch, mode):
    feed_server.mode = mode
    monkeypatch.setattr(calendar_feeds, "FETCH_TIMEOUT", 0.5)
    with pytest.raises(FeedUnavailable, match="took longer than 0.5 seconds"):
        fetch_calendar(feed_server.url)


def test_fetch_turns_network_trouble_into_a_reason(feed_server):
    feed_server.mode = "missing"
    with pytest.raises(FeedUnavailable, match="answered 404 Not Found"):
        fetch_calendar(feed_server.url)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(FeedUnavailable, match="could not be reached"):
        fetch_calendar(f"http://feeds.example:{port}/")


def test_a_redirect_to_a_private_address_is_refused(feed_server):
    feed_server.mode = "redirect-inside"
    with pytest.raises(FeedUnavailable, match="not on the public internet"):
        fetch_calendar(feed_server.url)


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
def test_fetch_refuses_addresses_off_the_public_internet(url, why, monkeypatch):
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


@pytest.fixture
def tls_feed_server(tmp_path, monkeypatch, feed_server):
    """The feed over HTTPS with a certificate for feeds.example alone (trusted for the test)."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1"]
        + ["-subj", "/CN=feeds.example", "-addext", "subjectAltName=DNS:feeds.example"],
        check=True,
        capture_output=True,
    )
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    names = []
    server_context.sni_callback = lambda sock, name, context: names.append(name)
    feed_server.socket = server_context.wrap_socket(feed_server.socket, server_side=True)
    real_context = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda: real_context(cafile=str(cert)))
    feed_server.url = feed_server.url.replace("http://", "https://")
    feed_server.names = names
    return feed_server


def test_https_connects_to_the_checked_address_with_the_host_s_name(tls_feed_server):
    assert fetch_calendar(tls_feed_server.url) == b"BEGIN:VCALENDAR"
    assert tls_feed_server.names == ["feeds.example"]  # SNI: the URL's host, not the IP
    assert tls_feed_server.lookups == ["feeds.example"]
