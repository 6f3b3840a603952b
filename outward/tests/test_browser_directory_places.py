"""Real-browser test of a directory without coordinates: the client, on a phone, sees groups
that have only an address or postcode in their area, worded honestly ("distance not
known"); the therapist, at a desk, opens the "needs a location" list and fixes an entry by
giving its postcode, after which the client sees it too."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.community.models import (
    Area,
    FreeWindow,
    Interest,
    InterestChoice,
    InterestProfile,
    Resource,
)
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_client_sees_area_matched_groups_and_staff_fixes_one(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    area = Area.objects.create(
        practice=practice,
        name="Northside",
        latitude=40.70,
        longitude=-74.0,
        postcodes="NS1\nNS2",
        places="Harbour Lane",
    )
    profile = InterestProfile.objects.create(
        client=client, area=area, max_travel_km=5, budget_per_session=Decimal(5)
    )
    games = Interest.objects.get(key="games")
    InterestChoice.objects.create(profile=profile, interest=games)
    FreeWindow.objects.create(
        profile=profile, weekday=3, start=datetime.time(18), end=datetime.time(22)
    )
    for name, address, postcode, placed in (
        ("Harbour Lane board games", "The Anchor, Harbour Lane", "", area),
        ("Dice and tea", "Mill Street", "NS1 4AB", area),
        ("Chess by the canal", "Canal Wharf", "", None),  # no area names it yet
    ):
        Resource.objects.create(
            practice=practice,
            name=name,
            kind=Resource.Kind.GROUP,
            description=f"{name}: everyone welcome.",
            address=address,
            postcode=postcode,
            placed_in=placed,
            weekday=3,
            start_time=datetime.time(19),
            end_time=datetime.time(21),
            time_zone=PRACTICE_TZ,
            source=Resource.Source.CSV,
        ).interests.set([games])

    phone_journey = new_journey(
        request, browser, axe, live_server, "directory-places-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "directory-places-desktop", VIEWPORTS["desktop"]
    )
    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("community:my_suggestions"))
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        cards = phone.locator(".suggestion-card")
        expect(cards).to_have_count(2)
        expect(cards.first).to_contain_text("in Northside — distance not known")
        expect(cards.first).to_contain_text("how much talking to expect is not known yet")
        expect(phone.get_by_text("Chess by the canal")).to_have_count(0)
        # No distance, so the card says where: the address and the postcode.
        dice = phone.locator(".suggestion-card", has_text="Dice and tea")
        expect(dice).to_contain_text("Mill Street · NS1 4AB")
        phone_journey.check(phone, "area-matched")

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("community:directory"))
        desk.get_by_role("link", name="Needs a location").click()
        expect(desk.get_by_role("heading", name="Entries that need a location")).to_be_visible()
        # No postcode file loaded: nothing to find locations from, so no button for it.
        expect(desk.get_by_role("button", name="Find locations now")).to_have_count(0)
        expect(desk.get_by_text("postcode and place file is empty")).to_be_visible()
        desk_journey.check(desk, "needs-location")
        desk.get_by_role("link", name="Add address or postcode — Chess by the canal").click()
        desk.get_by_label("Postcode").fill("NS2 7QT")
        desk.get_by_label("Social intensity").select_option("1")
        desk_journey.check(desk, "fix-entry")
        desk.get_by_role("button", name="Save").click()
        expect(desk.get_by_text("Every in-person entry has a location")).to_be_visible()
        desk_journey.check(desk, "fixed")

        phone.reload()
        expect(phone.locator(".suggestion-card")).to_have_count(3)
        chess = phone.locator(".suggestion-card", has_text="Chess by the canal")
        expect(chess).to_contain_text("in Northside — distance not known")
        expect(chess).to_contain_text("low pressure to start")
        phone_journey.check(phone, "after-fix")
