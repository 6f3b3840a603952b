"""Real-browser look at the error summary on the main forms at 375 and 1280 px: a check-in and
a goal sent with mistakes show a summary at the top that has the focus (a screen reader reads
it first) and whose links move to each field. Every page: screenshot, axe-core, no sideways
overflow, no console errors."""

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_SUMMARY = "document.activeElement.hasAttribute('data-error-summary')"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_form_with_mistakes_summarises_them_at_the_top(request, browser, axe, live_server, size):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    journey = new_journey(request, browser, axe, live_server, f"errors-{size}", VIEWPORTS[size])
    with journey.recording():
        portal = journey.open("client")
        portal.goto(reverse("accounts:login"))
        sign_in(portal, "robin@client.test")
        portal.goto(reverse("journal:my_check_in"))
        portal.get_by_role("button", name="Save my check-in").click()
        summary = portal.locator("[data-error-summary]")
        expect(summary).to_be_visible()
        assert portal.evaluate(FOCUSED_SUMMARY)
        journey.check(portal, "check-in-errors")
        summary.get_by_role("link").first.click()
        assert portal.evaluate("location.hash") == "#id_mood_0"
        assert portal.evaluate("document.activeElement.id") == "id_mood_0"

        workspace = journey.open("therapist")
        workspace.goto(reverse("accounts:login"))
        sign_in(workspace, "tara@riverside.test")
        workspace.goto(reverse("goals:goal_create", args=[client.pk]))
        workspace.get_by_role("button", name="Save goal").click()
        summary = workspace.locator("[data-error-summary]")
        expect(summary).to_be_visible()
        assert workspace.evaluate(FOCUSED_SUMMARY)
        expect(summary.get_by_role("link").first).to_contain_text("goal")
        journey.check(workspace, "goal-errors")
