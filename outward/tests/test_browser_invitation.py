"""Real-browser look at handing over an invitation at 375 and 1280 px: the therapist makes a
link, shows its QR code on the screen and e-mails it. Every page: screenshot, axe-core, no
sideways overflow, no console errors."""

import pytest
from django.core import mail
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_invitation_shows_a_qr_code_and_is_e_mailed(request, browser, axe, live_server, size):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    pending = make_client(
        therapist, "a.rather.long.address@client.example.test", "Pia Pending", joined=False
    )
    journey = new_journey(request, browser, axe, live_server, f"invite-{size}", VIEWPORTS[size])
    with journey.recording():
        page = journey.open("therapist")
        page.goto(reverse("accounts:login"))
        sign_in(page, "tara@riverside.test")
        page.goto(reverse("care:client_detail", args=[pending.pk]))
        page.get_by_role("button", name="Make a new invitation link").click()
        page.get_by_text("Show a QR code to scan in the room").click()
        qr = page.locator(".invitation-qr svg")
        expect(qr).to_be_visible()
        box = qr.bounding_box()
        assert box["width"] >= 200 and box["width"] == pytest.approx(box["height"], abs=2)
        journey.check(page, "qr")
        page.get_by_role("button", name="Email it").click()
        expect(
            page.get_by_text("Sent to a.rather.long.address@client.example.test")
        ).to_be_visible()
        journey.check(page, "e-mailed")
        assert len(mail.outbox) == 1
