"""Real-browser test of suggested groups: the client reads them on a phone, each with its
reason; the therapist, at a desk, pins one to the top of the client's list and hides another.
Every page gets a screenshot, axe-core, the sideways-overflow check and the console check."""

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


def _directory(practice) -> None:
    games = Interest.objects.get(key="games")
    books = Interest.objects.get(key="books-and-writing")
    for name, interest, north_km, weekday, intensity, extra in (
        ("Board games night", games, 1.2, 3, 1, {"accessibility": "Step-free entrance"}),
        ("Sci-fi book club", books, 2.5, 3, 2, {"cost_per_session": Decimal("3")}),
        ("Games café social", games, 0.8, 5, 4, {}),
        ("Online strategy games", games, None, 1, 1, {}),
    ):
        resource = Resource.objects.create(
            practice=practice,
            name=name,
            kind=Resource.Kind.ONLINE if north_km is None else Resource.Kind.GROUP,
            online=north_km is None,
            description=f"{name}: everyone welcome, beginners especially.",
            address="" if north_km is None else "Riverside Library, 12 Mill Lane",
            latitude=None if north_km is None else 40.70 + north_km / 111.2,
            longitude=None if north_km is None else -74.00,
            weekday=weekday,
            start_time=datetime.time(19),
            end_time=datetime.time(21),
            time_zone=PRACTICE_TZ,
            social_intensity=intensity,
            contact_url="https://example.org/groups",
            **extra,
        )
        resource.interests.set([interest])


def test_client_reads_suggestions_and_therapist_pins_one(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    area = Area.objects.create(practice=practice, name="Riverside", latitude=40.70, longitude=-74.0)
    profile = InterestProfile.objects.create(
        client=client,
        area=area,
        free_text="I used to love sci-fi and board games",
        max_travel_km=5,
        budget_per_session=Decimal(5),
        accessibility_needs="Stairs are hard for me",
    )
    InterestChoice.objects.create(profile=profile, interest=Interest.objects.get(key="games"))
    FreeWindow.objects.create(
        profile=profile, weekday=3, start=datetime.time(18), end=datetime.time(22)
    )
    _directory(practice)

    phone_journey = new_journey(
        request, browser, axe, live_server, "suggestions-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "suggestions-desktop", VIEWPORTS["desktop"]
    )
    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.get_by_role("navigation", name="Your places").get_by_role(
            "link", name="Groups"
        ).click()
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        first = phone.locator(".suggestion-card").first
        expect(first.get_by_role("heading")).to_have_text("Board games night")
        expect(first).to_contain_text("Matches your interest in games · 1.2 km")
        expect(first).to_contain_text("access information listed")
        expect(phone.get_by_text("Low-pressure groups come first")).to_be_visible()
        phone_journey.check(phone, "suggestions")

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("community:suggestions", args=[client.pk]))
        desk_journey.check(desk, "suggestions")
        desk.get_by_role("button", name="Pin to top — Sci-fi book club").click()
        expect(desk.locator(".suggestion-card").first).to_contain_text("Sci-fi book club")
        desk.get_by_role("button", name="Hide — Games café social").click()
        expect(desk.get_by_role("heading", name="Hidden for this client")).to_be_visible()
        desk_journey.check(desk, "pinned-and-hidden")

        phone.reload()
        first = phone.locator(".suggestion-card").first
        expect(first.get_by_role("heading")).to_have_text("Sci-fi book club")
        expect(first).to_contain_text("From your therapist")
        expect(phone.get_by_text("Games café social")).to_have_count(0)
        phone_journey.check(phone, "after-pin")
