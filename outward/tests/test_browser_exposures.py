"""Real-browser test of exposures: the client, on a phone, logs two attempts at a rung and sees
the charts and a word of encouragement; the therapist, at a desk, sees the rung waiting on the
caseload and confirms it, which is a win for the client.

Every page gets a screenshot, axe-core, the sideways-overflow check and the console (CSP) check.
"""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.skills.models import FearLadder, Rung
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITUATION = "Ask a colleague how their weekend was"


def test_exposures_from_the_clients_phone_to_the_therapists_desk(
    request, browser, axe, live_server
):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    ladder = FearLadder.objects.create(client=client, author=client.user, title="Small talk")
    rung = Rung.objects.create(
        client=client, author=client.user, ladder=ladder, situation=SITUATION, expected_suds=50
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "exposures-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "exposures-desktop", VIEWPORTS["desktop"]
    )

    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("skills:my_skills"))
        phone.get_by_role("link", name=SITUATION).click()
        expect(phone.get_by_role("heading", name=SITUATION, level=1)).to_be_visible()
        expect(phone.get_by_text("No attempts yet.")).to_be_visible()
        phone_journey.check(phone, "rung-empty")

        for peak in ("35", "30"):
            phone.get_by_role("link", name="Log an attempt").click()
            phone.get_by_label("What do you fear will happen?").fill("They will find me dull")
            phone.get_by_label("How likely does that feel? (0–100 %)").fill("70")
            phone.get_by_label("How anxious do you expect to be? (0–100)").fill("60")
            phone.get_by_label("At the highest point? (0–100)").fill(
                "150" if peak == "35" else peak
            )
            phone.get_by_label("Did what you feared come true?").select_option("no")
            if peak == "35":  # a SUDS of 150 is refused with a clear message first
                phone.get_by_role("button", name="Save").click()
                expect(phone.locator(".error").first).to_be_visible()
                phone_journey.check(phone, "log-refused")
                phone.get_by_label("At the highest point? (0–100)").fill(peak)
            phone.get_by_role("button", name="Save").click()
            expect(phone.get_by_role("heading", name=SITUATION, level=1)).to_be_visible()

        expect(phone.locator("svg.suds-chart")).to_have_count(3)
        expect(phone.get_by_role("heading", name="Looking ready for the next step")).to_be_visible()
        phone_journey.check(phone, "rung-with-attempts")

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        expect(desk.get_by_role("link", name="1 ready")).to_be_visible()
        desk_journey.check(desk, "caseload")
        desk.goto(reverse("skills:rung", args=[client.pk, rung.pk]))
        desk.get_by_label("Move up: this rung is done").check()
        desk.get_by_label("A word for the client (optional)").fill("Well done, Robin")
        desk.get_by_role("button", name="Save the decision").click()
        expect(desk.get_by_text("This rung is done.")).to_be_visible()
        desk_journey.check(desk, "rung-done")

        phone.goto(reverse("goals:my_goals"))
        expect(phone.get_by_text(re.compile("Ladder step done"))).to_be_visible()
        phone_journey.check(phone, "the-win")
