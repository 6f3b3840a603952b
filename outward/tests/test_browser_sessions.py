"""Real-browser tests of sessions ending without lost work: the idle warning with "Stay signed
in", and a session note typed while the session ran out, put back after signing in again."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.accounts.models import Session
from outward.care import services as care_services
from outward.care.models import SessionNote
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, Journey, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LONG_NOTE = "We rehearsed the opening line for the choir; she predicted 80% it would go badly."


@pytest.fixture
def journey(request, browser, axe, live_server) -> Journey:
    return new_journey(request, browser, axe, live_server, "sessions", VIEWPORTS["desktop"])


@pytest.fixture
def therapist_and_client(db):
    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    return therapist, make_client(therapist, "casey@client.test", "Casey Client")


def test_a_note_typed_as_the_session_ran_out_comes_back_after_signing_in(
    journey, therapist_and_client
):
    from playwright.sync_api import expect

    _therapist, client = therapist_and_client
    notes = reverse("care:session_notes", args=[client.pk])
    with journey.recording():
        desk = journey.open("therapist")
        desk.goto(notes)
        sign_in(desk, "tara@riverside.test")
        expect(desk).to_have_url(re.compile(notes + "$"))
        desk.get_by_label("Session date").fill("2026-11-20")
        desk.get_by_label("Note", exact=True).fill(LONG_NOTE)

        # The session runs out while the note is being written.
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
        desk.get_by_role("button", name="Save note").click()

        expect(desk.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(desk.get_by_text("we will put back what you typed")).to_be_visible()
        journey.check(desk, "signed-out-with-work-kept")
        assert not SessionNote.objects.filter(text=LONG_NOTE).exists()

        sign_in(desk, "tara@riverside.test")
        expect(desk).to_have_url(re.compile(notes + "$"))
        expect(desk.get_by_text("We kept what you typed; press Save to keep it.")).to_be_visible()
        expect(desk.get_by_label("Note", exact=True)).to_have_value(LONG_NOTE)
        expect(desk.get_by_label("Session date")).to_have_value("2026-11-20")
        journey.check(desk, "work-put-back")
        assert not SessionNote.objects.filter(text=LONG_NOTE).exists()

        desk.get_by_role("button", name="Save note").click()
        expect(desk.get_by_text("Note saved.")).to_be_visible()
        assert SessionNote.objects.filter(text=LONG_NOTE).count() == 1


def test_the_idle_warning_offers_to_stay_signed_in(journey, therapist_and_client, settings):
    from playwright.sync_api import expect

    # The warning comes at half-time when that is short; 8 s after it leave the accessibility
    # check time to run before the session ends, even on a busy machine.
    settings.SESSION_COOKIE_AGE = 16
    with journey.recording():
        desk = journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        dialog = desk.get_by_role("dialog", name="Are you still there?")
        expect(dialog).to_be_visible(timeout=14_000)
        expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
        journey.check(desk, "idle-warning")
        with desk.expect_response(re.compile(reverse("accounts:keep_alive"))) as answer:
            dialog.get_by_role("button", name="Stay signed in").click()
        assert answer.value.json()["seconds"] > 0
        expect(dialog).to_be_hidden()
        desk.reload()
        expect(desk.get_by_role("heading", name="Caseload")).to_be_visible()


def test_a_contact_logged_as_the_session_ran_out_is_put_back_by_the_page_script(
    journey, therapist_and_client
):
    """The contact form posts to another URL than its page, so session.js puts it back."""
    from playwright.sync_api import expect

    from outward.journal.models import Contact

    _therapist, client = therapist_and_client
    journal = reverse("journal:journal", args=[client.pk])
    with journey.recording():
        desk = journey.open("therapist")
        desk.goto(journal)
        sign_in(desk, "tara@riverside.test")
        desk.get_by_label("Met up with someone").check()
        desk.get_by_label("Note (optional)").fill("Coffee with an old colleague")
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
        desk.get_by_role("button", name="Log it").click()

        expect(desk.get_by_role("heading", name="Sign in")).to_be_visible()
        sign_in(desk, "tara@riverside.test")
        expect(desk).to_have_url(re.compile(journal + "$"))
        expect(desk.get_by_label("Met up with someone")).to_be_checked()
        expect(desk.get_by_label("Note (optional)")).to_have_value("Coffee with an old colleague")
        assert not Contact.objects.exists()
        journey.check(desk, "contact-put-back")
        desk.get_by_role("button", name="Log it").click()
        expect(desk.get_by_text("Logged. Every contact counts.")).to_be_visible()
        assert Contact.objects.count() == 1
