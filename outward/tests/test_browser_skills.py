"""Real-browser test of a fear ladder: the therapist, at a desk, makes one with the client on the
Skills tab (a written rung, a rung from the directory, a corrected SUDS) and opens the shared
screen; the client, on a phone, finds it under Practice, marks the current rung practising, and
their group suggestions then speak of where they are on the ladder.
Every page gets a screenshot, axe-core, the sideways-overflow check and the console check."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

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

LADDER = "Meeting new people"
TYPED = "Say hello to the person next to me at the bus stop, even if they are busy on their phone"
GROUP = "Board games night at Riverside Library"
NOTE = "CLINICAL-NOTE: discussed avoidance and safety behaviours"


# Buttons, fields and links standing on their own (not a link inside a sentence) smaller than a
# 44 px square: hard to tap on a phone.
SMALL_TAP_TARGETS = """() => [...document.querySelectorAll(
    "main a, main button, main input:not([type=hidden]), main select, main textarea, main summary"
)].filter(element => {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) return false;
    const parent = element.parentElement;
    const inSentence = element.tagName === "A" && parent.tagName === "P"
        && parent.textContent.trim() !== element.textContent.trim();
    return !inSentence && (box.height < 44 || box.width < 44);
}).map(element => `${element.tagName} “${element.textContent.trim()}” `
    + `${Math.round(element.getBoundingClientRect().width)}×`
    + `${Math.round(element.getBoundingClientRect().height)}`)"""


def _check_tap_targets(page) -> None:
    small = page.evaluate(SMALL_TAP_TARGETS)
    assert not small, f"tap targets under 44 px on {page.url}:\n" + "\n".join(small)


def _world():
    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    care_services.session_note_create(
        client=client,
        author=therapist.user,
        session_date=timezone.localdate() - datetime.timedelta(days=7),
        text=NOTE,
        ip=None,
    )
    area = Area.objects.create(practice=practice, name="Riverside", latitude=40.70, longitude=-74.0)
    profile = InterestProfile.objects.create(
        client=client,
        area=area,
        free_text="I used to love board games",
        max_travel_km=5,
        budget_per_session=Decimal(5),
    )
    games = Interest.objects.get(key="games")
    InterestChoice.objects.create(profile=profile, interest=games)
    FreeWindow.objects.create(
        profile=profile, weekday=3, start=datetime.time(18), end=datetime.time(22)
    )
    # Structured, some chatting (intensity 2): a first SUDS guess of 35.
    resource = Resource.objects.create(
        practice=practice,
        name=GROUP,
        kind=Resource.Kind.GROUP,
        description="Come and play: beginners welcome, games explained.",
        address="Riverside Library, 12 Mill Lane",
        latitude=40.70 + 1.2 / 111.2,
        longitude=-74.00,
        weekday=3,
        start_time=datetime.time(19),
        end_time=datetime.time(21),
        time_zone=PRACTICE_TZ,
        social_intensity=2,
    )
    resource.interests.set([games])
    return client


def test_therapist_builds_a_ladder_and_the_client_climbs_it(request, browser, axe, live_server):
    from playwright.sync_api import expect

    client = _world()
    desk_journey = new_journey(
        request, browser, axe, live_server, "skills-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "skills-phone", VIEWPORTS["phone"]
    )

    with desk_journey.recording(), phone_journey.recording():
        # 1. The therapist makes a ladder on the client's Skills tab. -----------------------
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("care:client_detail", args=[client.pk]))
        tabs = desk.get_by_role("navigation", name="Client record")
        tabs.get_by_role("link", name="Skills").click()
        expect(desk.get_by_role("heading", name="Skills", level=2)).to_be_visible()
        expect(tabs.get_by_role("link", name="Skills")).to_have_attribute("aria-current", "page")
        expect(desk.get_by_text("No ladder yet")).to_be_visible()
        desk_journey.check(desk, "skills-empty")

        desk.get_by_role("link", name="New ladder").click()
        desk.get_by_label("What is this ladder about?").fill(LADDER)
        desk_journey.check(desk, "new-ladder")
        desk.get_by_role("button", name="Make the ladder").click()
        expect(desk.get_by_role("heading", name=LADDER)).to_be_visible()
        expect(desk.get_by_role("status")).to_contain_text("Your ladder is made.")
        expect(desk.get_by_text("No steps yet.")).to_be_visible()
        desk_journey.check(desk, "ladder-empty")

        # A written rung (long, so that wrapping shows).
        desk.get_by_label("A situation to practise").fill(TYPED)
        desk.get_by_label("How hard does it feel? (0–100)").fill("30")
        desk.get_by_role("button", name="Add to the ladder").click()
        expect(desk.get_by_role("status")).to_contain_text("Added.")
        rungs = desk.locator(".ladder-rungs > li")
        expect(rungs).to_have_count(1)
        expect(rungs.first).to_contain_text(TYPED)
        desk_journey.check(desk, "ladder-one-rung")

        # A rung from the directory: the client's own suggestions, with a first guess.
        desk.get_by_role("link", name="From the directory").click()
        pick = desk.locator("form.pick").filter(has_text=GROUP)
        guess = pick.get_by_label("Your guess (0–100)")
        expect(guess).to_have_value("35")
        desk_journey.check(desk, "from-directory")
        guess.fill("45")
        pick.get_by_role("button", name=re.compile(rf"^Add ?{GROUP}$")).click()
        expect(desk.get_by_role("status")).to_contain_text(f"Added “{GROUP}”.")
        expect(rungs).to_have_count(2)
        expect(rungs.nth(1)).to_contain_text(GROUP)
        expect(rungs.nth(1).locator(".suds")).to_have_text("SUDS 45")

        # The client thinks it harder than that: the SUDS is corrected on the rung.
        rungs.nth(1).get_by_role("link", name=re.compile(rf"^Edit ?{GROUP}$")).click()
        expect(desk.get_by_role("heading", name="Edit step")).to_be_visible()
        desk_journey.check(desk, "edit-rung")
        desk.get_by_label("How hard does it feel? (0–100)").fill("50")
        desk.get_by_role("button", name="Save").click()
        expect(desk.get_by_role("status")).to_contain_text("Saved.")
        expect(rungs.nth(1).locator(".suds")).to_have_text("SUDS 50")
        expect(rungs.first).to_contain_text("You are here")
        expect(desk.locator(".progress-line")).to_have_text("0 of 2 steps done")
        desk_journey.check(desk, "ladder-two-rungs")

        # The shared screen: the ladder in large type, nothing else of the record.
        desk.get_by_role("link", name="Shared screen").click()
        expect(desk).to_have_url(re.compile(r"\?together=1$"))
        expect(desk.get_by_role("heading", name=LADDER, level=1)).to_be_visible()
        expect(desk.locator(".ladder-rungs > li")).to_have_count(2)
        expect(desk.get_by_role("navigation", name="Client record")).to_have_count(0)
        expect(desk.get_by_text("Caseload")).to_have_count(0)
        expect(desk.get_by_text("CLINICAL-NOTE")).to_have_count(0)
        expect(desk.get_by_role("link", name=re.compile("^Notes"))).to_have_count(0)
        expect(desk.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
        font_size = desk.locator(".rung-situation").first.evaluate(
            "element => parseFloat(getComputedStyle(element).fontSize)"
        )
        assert font_size >= 22, f"the shared screen's rungs are {font_size}px, not large type"
        desk_journey.check(desk, "together")

        # 2. The client, on a phone, finds the ladder under Practice. -----------------------
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        places = phone.get_by_role("navigation", name="Your places")
        places.get_by_role("link", name="Practice").click()
        expect(phone.get_by_role("heading", name="Practice", level=1)).to_be_visible()
        card = phone.locator("article.ladder").filter(has_text=LADDER)
        expect(card.locator(".progress-line")).to_have_text("0 of 2 steps done")
        expect(card).to_contain_text(f"Now: 30 {TYPED}")
        phone_journey.check(phone, "practice")
        _check_tap_targets(phone)

        card.get_by_role("link", name=LADDER).click()
        expect(phone.get_by_role("heading", name=LADDER, level=1)).to_be_visible()
        current = phone.locator(".rung-current")
        expect(current).to_contain_text(TYPED)
        expect(current).to_contain_text("You are here")
        phone_journey.check(phone, "ladder")
        _check_tap_targets(phone)
        current.get_by_role("button", name=re.compile(r"^Practising")).click()
        expect(phone.get_by_role("status")).to_contain_text("practising")
        expect(current).to_contain_text("You are here · Practising")
        expect(current.get_by_role("button", name=re.compile(r"^Practising"))).to_have_count(0)
        phone_journey.check(phone, "ladder-practising")

        # 3. Their group suggestions follow the ladder. ------------------------------------
        places.get_by_role("link", name="Groups").click()
        expect(phone.get_by_role("heading", name="Groups for you")).to_be_visible()
        suggestion = phone.locator(".suggestion-card").filter(has_text=GROUP)
        expect(suggestion).to_contain_text("close to where you are on your ladder")
        phone_journey.check(phone, "groups")

        # The shared screen on the phone, too (a client may bring it to a session).
        phone.goto(reverse("skills:my_skills"))
        phone.get_by_role("link", name=LADDER).click()
        phone.get_by_role("link", name="Shared screen").click()
        expect(phone.get_by_role("heading", name=LADDER, level=1)).to_be_visible()
        phone_journey.check(phone, "together")
        _check_tap_targets(phone)
