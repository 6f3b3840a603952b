"""Real-browser test of the progressive interest inventory (issue 14, "lighter forms for low
energy"): a client on a 375 px phone goes through it a question at a time, stops half-way and
finds it kept, finishes on their suggestions; a therapist at 1280 px reads the summary, changes
one step and adds the practice's own word for an interest. Every page: screenshot, axe-core,
no sideways overflow, no console (CSP) errors."""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.community.models import Area, InterestProfile
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVE = "Save and go on"


def test_the_inventory_a_question_at_a_time(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    Area.objects.create(practice=practice, name="Islington N1", latitude=51.54, longitude=-0.1)
    phone_journey = new_journey(
        request, browser, axe, live_server, "interests-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "interests-desktop", VIEWPORTS["desktop"]
    )

    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("community:my_interests"))
        expect(phone.get_by_role("heading", name="What appeals to you?")).to_be_visible()
        expect(phone.get_by_text("Question 1 of 6")).to_be_visible()
        phone_journey.check(phone, "1-areas")
        # A screen, not a scroll: the first question fits in a few phone screens.
        assert phone.evaluate("document.documentElement.scrollHeight") < 1800
        phone.get_by_label("Games", exact=True).check()
        phone.get_by_label("Arts and crafts", exact=True).check()
        phone.get_by_role("button", name=SAVE).click()

        expect(phone.get_by_role("heading", name="Anything in particular?")).to_be_visible()
        phone_journey.check(phone, "2-details")
        phone.get_by_role("group", name="Games").get_by_label("Chess").check()
        phone.get_by_label("In your own words (optional)").fill("knitters, sci-fi")
        phone.get_by_role("button", name=SAVE).click()
        expect(phone.get_by_text("In your words we found: Knitting and crochet.")).to_be_visible()
        expect(phone.get_by_text("look for groups that mention: sci-fi")).to_be_visible()
        expect(phone.get_by_role("heading", name="When are you usually free?")).to_be_visible()
        phone_journey.check(phone, "3-times")
        phone.get_by_label("Thursday evening").check()
        phone.get_by_label("Saturday morning").check()
        phone.get_by_role("button", name=SAVE).click()
        expect(phone.get_by_role("heading", name="In person or online?")).to_be_visible()
        phone_journey.check(phone, "4-mode")

        # Leaving half-way loses nothing: the summary holds what was said so far.
        phone.goto(reverse("community:my_interests"))
        expect(phone.get_by_role("heading", name="What you enjoy")).to_be_visible()
        expect(phone.get_by_text("Chess", exact=True)).to_be_visible()
        expect(phone.get_by_text("Thursday: evening")).to_be_visible()
        phone_journey.check(phone, "summary-half-way")
        phone.get_by_role("link", name=re.compile("Change.*In person or online")).click()

        phone.get_by_label("In person", exact=True).check()
        phone.get_by_role("button", name=SAVE).click()
        expect(phone.get_by_role("heading", name="Where could you go?")).to_be_visible()
        phone.get_by_label("How far you can travel (km)").fill("-2")
        phone.get_by_role("button", name=SAVE).click()
        expect(phone.locator(".form-errors")).to_be_visible()
        phone_journey.check(phone, "5-where-error")
        phone.get_by_label("Where you live (area)").select_option(label="Islington N1")
        phone.get_by_label("How far you can travel (km)").fill("6")
        phone.get_by_role("button", name=SAVE).click()
        expect(phone.get_by_role("heading", name="What you need from a group")).to_be_visible()
        phone_journey.check(phone, "6-needs")
        phone.get_by_role("button", name="Save and see suggestions").click()
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        phone_journey.check(phone, "suggestions")
        profile = InterestProfile.objects.get(client=client)
        assert (profile.mode, profile.max_travel_km, profile.area.name) == (
            "in_person",
            6,
            "Islington N1",
        )

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("community:interests", args=[client.pk]))
        expect(desk.get_by_role("heading", name="Interest inventory")).to_be_visible()
        expect(desk.get_by_text("Knitting and crochet")).to_be_visible()
        expect(desk.get_by_text("Islington N1, up to 6 km")).to_be_visible()
        desk_journey.check(desk, "summary")
        desk.get_by_role("link", name=re.compile("Change.*Particular interests")).click()
        desk.get_by_role("group", name="Games").get_by_label("Board games").check()
        desk.get_by_role("button", name=SAVE).click()
        expect(desk.get_by_role("heading", name="Usually free")).to_be_visible()
        desk_journey.check(desk, "times")
        assert profile.choices.filter(interest__key="board-games").exists()

        desk.goto(reverse("community:directory"))
        desk.get_by_role("link", name="Words for interests").click()
        desk.get_by_label("Word or phrase").fill("Crafternoon")
        desk.get_by_label("Means the interest").fill("knitting")
        desk.get_by_role("button", name="Add").click()
        expect(desk.get_by_text("“Crafternoon” now means Knitting and crochet.")).to_be_visible()
        expect(desk.get_by_role("cell", name="Crafternoon", exact=True)).to_be_visible()
        desk_journey.check(desk, "synonyms")
