"""Real-browser tests: Chromium through Playwright, against a live test server.

They walk the onboarding journey the way people do it — a therapist, then a client in a fresh
browser context of their own, at a phone and at a desktop size — and on every page they save a
full-page screenshot, run axe-core (no "serious" or "critical" violations), check that nothing
overflows sideways, and check that the strict CSP blocked nothing (a blocked inline style or
script shows up as a console error).

Screenshots go to test-artifacts/screenshots/ (git-ignored), including FAILED-*.png when a test
fails. Without Chromium at /usr/bin/chromium the tests are skipped, unless
OUTWARD_REQUIRE_BROWSER=1 (as in CI), in which case they fail.
"""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import (
    CLIENT_PASSWORD,
    VIEWPORTS,
    Journey,
    new_journey,
    sign_in,
    skip_without_browser,
)

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def journey(request, browser, axe, live_server) -> Journey:
    return new_journey(request, browser, axe, live_server, request.param, VIEWPORTS[request.param])


# Tests -----------------------------------------------------------------------------------


def test_onboarding_a_client(journey):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    make_staff(practice, "tara@riverside.test", "Tara Therapist")

    with journey.recording():
        # Context A: the therapist.
        desk = journey.open("therapist", clipboard=True)
        desk.goto(reverse("accounts:login"))
        expect(desk.get_by_role("heading", name="Sign in")).to_be_visible()
        journey.check(desk, "login")

        sign_in(desk, "tara@riverside.test")
        expect(desk).to_have_url(re.compile(reverse("care:caseload") + "$"))
        expect(desk.get_by_role("heading", name="Caseload")).to_be_visible()
        expect(desk.get_by_text("No clients yet")).to_be_visible()
        journey.check(desk, "caseload-empty")

        desk.get_by_role("link", name="New client").click()
        expect(desk.get_by_role("heading", name="New client")).to_be_visible()
        journey.check(desk, "new-client")

        desk.get_by_label("Name").fill("Robin Rivers")
        desk.get_by_label("Email").fill("robin@client.test")
        desk.get_by_role("button", name="Add client").click()
        expect(desk.get_by_role("heading", name="Invite Robin Rivers")).to_be_visible()
        link_field = desk.locator("#invitation-link")
        expect(link_field).to_have_attribute("readonly", "")
        link = link_field.input_value()
        assert re.fullmatch(re.escape(journey.base_url) + r"/invite/[^/]+/", link), link

        desk.get_by_role("button", name="Copy link").click()
        expect(desk.locator("#copy-status")).to_have_text("Copied")
        assert desk.evaluate("navigator.clipboard.readText()") == link
        journey.check(desk, "invitation")

        # Context B: the client, on their own device.
        phone = journey.open("client")
        phone.goto(link)
        expect(phone.get_by_role("heading", name="Welcome, Robin")).to_be_visible()
        journey.check(phone, "welcome")

        phone.get_by_label("Choose a password").fill(CLIENT_PASSWORD)
        phone.get_by_label("Type it again").fill(CLIENT_PASSWORD)
        phone.get_by_role("button", name="Set my password").click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(phone.get_by_role("heading", name="Hello, Robin", level=1)).to_be_visible()
        bottom_nav = phone.get_by_role("navigation", name="Your places")
        expect(bottom_nav.get_by_role("link", name="Today")).to_be_visible()
        expect(bottom_nav.get_by_role("link", name="Today")).to_have_attribute(
            "aria-current", "page"
        )
        expect(phone.get_by_text("Tara Therapist")).to_be_visible()
        journey.check(phone, "today")

        # Back in context A: the client has joined.
        desk.get_by_role("link", name="Caseload").click()
        row = desk.get_by_role("row", name=re.compile("Robin Rivers"))
        expect(row).to_be_visible()
        expect(row).to_contain_text("Joined")
        expect(row).not_to_contain_text("Not joined yet")
        journey.check(desk, "caseload-joined")

        # The link worked once; a fresh device cannot use it again.
        again = journey.open("reused-link")
        response = again.goto(link)
        assert response is not None and response.status == 410
        expect(again.get_by_role("heading", name="This link cannot be used")).to_be_visible()
        expect(again.get_by_role("link", name="Sign in")).to_be_visible()
        journey.check(again, "link-used")

        # Even in the context that used it, it does not work a second time.
        phone.goto(link)
        expect(phone.get_by_role("heading", name="This link cannot be used")).to_be_visible()


def test_caseload_search_filters_live(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    make_client(therapist, "casey@client.test", "Casey Client")
    make_client(therapist, "olive@client.test", "Olive Other", joined=False)
    journey = new_journey(
        request, browser, axe, live_server, "search-desktop", VIEWPORTS["desktop"]
    )

    with journey.recording():
        desk = journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        results = desk.locator("#results")
        expect(results.get_by_role("link", name="Casey Client", exact=True)).to_be_visible()
        expect(results.get_by_role("link", name="Olive Other", exact=True)).to_be_visible()
        journey.check(desk, "caseload")

        # A marker on the window survives an htmx swap but not a full page load.
        desk.evaluate("window.outwardNoReload = true")
        with desk.expect_response(
            lambda response: (
                "q=oli" in response.url and response.request.headers.get("hx-request") == "true"
            )
        ):
            desk.get_by_label("Search").press_sequentially("oli")
        expect(results.get_by_role("link", name="Casey Client", exact=True)).to_have_count(0)
        expect(results.get_by_role("link", name="Olive Other", exact=True)).to_be_visible()
        expect(results).to_have_count(1)  # swapped in place, not nested in itself
        expect(results).to_contain_text("Not joined yet")
        assert desk.evaluate("window.outwardNoReload") is True, "the search reloaded the page"
        expect(desk).to_have_url(re.compile(r"[?&]q=oli"))  # hx-push-url: shareable, back works
        journey.check(desk, "searched")

        desk.get_by_label("Search").fill("nobody")
        expect(results).to_contain_text("No clients match")
        assert desk.evaluate("window.outwardNoReload") is True
        journey.check(desk, "no-match")
