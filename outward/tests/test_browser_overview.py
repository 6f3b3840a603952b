"""Real-browser look at the client page's Overview for a typical demo week, at 375 and 1280 px:
what the client did, measures, goals at risk and what is coming up; on a desktop all of it
is on the first screen, without scrolling. Every page: screenshot, axe-core, no sideways
overflow, no console errors."""

import pytest
from django.urls import reverse

from outward.care.models import Client
from outward.seeding import DEMO_PASSWORD, seed_demo_practice
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_overview_shows_the_week_on_one_screen(request, browser, axe, live_server):
    from playwright.sync_api import expect

    # One test for both sizes: the demo is seeded once (the interests it uses come from a
    # data migration, which a transactional test's flush would take away for the next one).
    seed_demo_practice()
    client = Client.objects.filter(user__email="alex@demo.outward.test").get()
    therapist = client.care_team.select_related("therapist__user").first().therapist.user
    for size in ["phone", "desktop"]:
        journey = new_journey(
            request, browser, axe, live_server, f"overview-{size}", VIEWPORTS[size]
        )
        with journey.recording():
            page = journey.open("therapist")
            page.goto(reverse("accounts:login"))
            sign_in(page, therapist.email, DEMO_PASSWORD)
            page.goto(reverse("care:client_detail", args=[client.pk]))
            for heading in ["What Alex did", "Measures", "Goals at risk", "Coming up"]:
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
            journey.check(page, "overview")
            if size == "desktop":
                bottom = page.locator(".overview").evaluate(
                    "element => element.getBoundingClientRect().bottom"
                )
                assert bottom <= page.evaluate("window.innerHeight"), bottom
