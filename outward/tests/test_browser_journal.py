"""Real-browser test of the journal: on a phone the client writes a reflection, puts people
on their relationship map (one picked from the contact log, one kept private) and moves one
with the circle picker; the therapist opens the shared map on a desktop and sees the shared
person, never the private one. Each side is looked at in both widths. Every page:
screenshot, axe-core, no sideways overflow, no console (CSP) errors."""

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.journal import services as journal_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIVATE_PERSON = "Jordan Hidden"
PRIVATE_WORDS = "PRIVATE-ENTRY: I still miss the old flat"


def test_a_reflection_and_the_map_from_phone_to_the_therapist(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    journal_services.contact_log(
        client=client, author=client.user, ip=None, kind="met_up", with_whom="Priya"
    )
    journal_services.reflection_write(
        client=client,
        author=client.user,
        ip=None,
        prompt="free",
        free_text=PRIVATE_WORDS,
        visibility="private",
    )
    journeys = {
        (side, width): new_journey(
            request, browser, axe, live_server, f"journal-{side}-{width}", VIEWPORTS[width]
        )
        for side in ("client", "therapist")
        for width in ("phone", "desktop")
    }

    phone_journey = journeys["client", "phone"]
    with phone_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("journal:my_journal"))
        phone.get_by_role("navigation", name="Journal").get_by_role(
            "link", name="Reflections"
        ).click()
        expect(phone.get_by_role("heading", name="Your reflections")).to_be_visible()
        phone.get_by_role("link", name="Write a reflection").click()
        phone_journey.check(phone, "reflection-new")
        phone.get_by_role("button", name="Save").click()  # nothing written: says why
        expect(phone.get_by_text("Write something in at least one of the boxes")).to_be_visible()
        phone_journey.check(phone, "reflection-empty")
        phone.get_by_label("What went well?").fill("I asked Priya about her weekend")
        phone.get_by_label("What will I try next?").fill("Suggest a walk")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_text("Saved in your journal.")).to_be_visible()
        expect(phone.get_by_text("Suggest a walk")).to_be_visible()
        phone_journey.check(phone, "reflections")

        phone.get_by_role("navigation", name="Journal").get_by_role("link", name="People").click()
        expect(phone.get_by_role("heading", name="Your people")).to_be_visible()
        phone.get_by_label("Someone from your contact log").select_option("Priya")
        phone.get_by_role("radio", name="Wider").check()
        phone.get_by_label("Who they are to you").select_option("friend")
        phone.get_by_label("How often you are in touch").select_option("weekly")
        phone.get_by_role("button", name="Add to my map").click()
        expect(phone.get_by_text("Priya is on your map.")).to_be_visible()

        phone.get_by_label("Their name").fill(PRIVATE_PERSON)
        phone.get_by_role("radio", name="Closest").check()
        phone.get_by_label("Who they are to you").select_option("partner")
        phone.get_by_label("How often you are in touch").select_option("most_days")
        phone.get_by_label("Keep this person to myself").check()
        phone.get_by_role("button", name="Add to my map").click()
        expect(phone.get_by_text(f"{PRIVATE_PERSON} is on your map.")).to_be_visible()

        phone.get_by_label("Circle for Priya").select_option("2")
        phone.locator("#person-" + str(client.people.get(name="Priya").pk)).get_by_role(
            "button", name="Move"
        ).click()
        expect(phone.get_by_text("Moved Priya.")).to_be_visible()
        expect(phone.get_by_role("img", name="Relationship map")).to_be_visible()
        close = phone.get_by_role("region", name="Close (1)")
        expect(close.get_by_role("link", name="Edit Priya")).to_be_visible()
        phone_journey.check(phone, "map")

        phone.get_by_role("link", name="Edit Priya").click()
        expect(phone.get_by_role("heading", name="Priya")).to_be_visible()
        phone_journey.check(phone, "person-edit")
        phone.get_by_label("How often you are in touch").select_option("monthly")
        phone.get_by_role("button", name="Save").click()
        expect(phone.get_by_text("Friend · Every month or so")).to_be_visible()

        phone.get_by_role("link", name="Changes over time").click()
        expect(phone.get_by_text("The first map.")).to_be_visible()
        phone_journey.check(phone, "map-history")
        phone.get_by_role("navigation", name="Journal").get_by_role("link", name="Journey").click()
        expect(phone.get_by_text("Updated the relationship map")).to_be_visible()
        phone_journey.check(phone, "journey")

    wide_journey = journeys["client", "desktop"]
    with wide_journey.recording():
        wide = wide_journey.open("client")
        wide.goto(reverse("accounts:login"))
        sign_in(wide, "robin@client.test")
        wide.goto(reverse("journal:my_map"))
        expect(wide.get_by_text(PRIVATE_PERSON).first).to_be_visible()
        wide_journey.check(wide, "map")
        wide.goto(reverse("journal:my_reflections"))
        wide_journey.check(wide, "reflections")

    for width in ("desktop", "phone"):
        journey = journeys["therapist", width]
        with journey.recording():
            desk = journey.open("therapist")
            desk.goto(reverse("accounts:login"))
            sign_in(desk, "tara@riverside.test")
            desk.goto(reverse("journal:journal", args=[client.pk]))
            desk.get_by_role("navigation", name="Journal").get_by_role(
                "link", name="Relationship map"
            ).click()
            expect(desk.get_by_role("heading", name="Relationship map")).to_be_visible()
            expect(
                desk.get_by_role("region", name="Close (1)").get_by_text("Priya")
            ).to_be_visible()
            expect(desk.get_by_role("button", name="Move")).to_have_count(0)
            assert PRIVATE_PERSON not in desk.content()
            journey.check(desk, "map")
            desk.get_by_role("link", name="Changes over time").click()
            desk.get_by_label("From", exact=True).fill("2026-01-01")
            desk.get_by_label("To", exact=True).fill("2030-01-01")
            desk.get_by_role("button", name="Compare").click()
            expect(desk.get_by_text("1 new person in the close circle")).to_be_visible()
            assert PRIVATE_PERSON not in desk.content()
            journey.check(desk, "map-compare")
            desk.get_by_role("navigation", name="Journal").get_by_role(
                "link", name="Reflections"
            ).click()
            expect(desk.get_by_text("I asked Priya about her weekend")).to_be_visible()
            assert PRIVATE_WORDS not in desk.content()
            journey.check(desk, "reflections")
