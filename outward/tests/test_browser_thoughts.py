"""Real-browser test of a thought record: the client writes one on a phone part-way, comes
back to re-rate it, and the therapist sees the shared record's traps and drop on a desktop;
a private one never shows there. Every page: screenshot, axe-core, no sideways overflow, no
console (CSP) errors."""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.care.records import Visibility
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.skills import services as skills_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIVATE_THOUGHT = "PRIVATE-THOUGHT: my sister will laugh at me"


def test_a_thought_record_from_phone_to_the_therapists_summary(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    skills_services.thought_record_create(
        client=client,
        author=client.user,
        ip=None,
        automatic_thought=PRIVATE_THOUGHT,
        traps=["labelling"],
        visibility=Visibility.PRIVATE,
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "thoughts-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "thoughts-desktop", VIEWPORTS["desktop"]
    )

    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("skills:my_skills"))
        phone.get_by_role("link", name="Write a thought record").click()
        expect(phone.get_by_role("heading", name="A thought record")).to_be_visible()
        phone_journey.check(phone, "new")

        phone.get_by_label("What went through your mind?").fill("Everyone thinks I'm odd")
        phone.get_by_label("Emotion 1").fill("anxious")
        phone.get_by_label("How strong, 0–100").first.fill("80")
        phone.get_by_label("Mind reading").check()
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_role("heading", name="Thought record")).to_be_visible()
        expect(phone.get_by_text("not re-rated yet")).to_be_visible()
        phone_journey.check(phone, "saved-part-way")

        phone.get_by_role("link", name="Carry on").click()
        phone.get_by_label("How strong now, 0–100").first.fill("30")
        phone.get_by_label("A more balanced thought").fill("One lunch is not who I am")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_role("article").get_by_text("80 → 30")).to_be_visible()
        phone_journey.check(phone, "re-rated")

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("skills:thought_records", args=[client.pk]))
        expect(desk.get_by_text("50.0 points")).to_be_visible()
        expect(desk.locator(".chart-bar")).to_have_count(1)
        expect(desk.get_by_role("row", name=re.compile("Mind reading"))).to_be_visible()
        assert PRIVATE_THOUGHT not in desk.content()
        assert "Labelling" not in desk.content()
        desk_journey.check(desk, "summary")
