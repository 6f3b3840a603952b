"""Real-browser test of long words and addresses (issue 14), at 375 and 1280 px: a goal whose
200-character title holds an address, a step that is one long address. Every page the client
and the therapist open stays as wide as the window, the Done button is whole and tappable, the
bottom navigation stays fixed, and addresses are links. It also edits the steps: move one up,
change its words, delete one after the confirmation."""

import re

import pytest
from django.urls import reverse

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.goals import services as goal_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "https://www.example.org/groups/riverside-community-garden-volunteers-saturday-mornings"
TITLE = (f"Join the garden group {ADDRESS} and go " + "Wednesdaysandsaturdays" * 8)[:200]
LONG_STEP = "Read https://example.org/" + "a" * 150 + " before Saturday"


def _tappable(page, locator) -> None:
    """The whole control is inside the window and is what a tap at its middle reaches."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('button, a')?.textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit is not None and hit.strip().startswith("Done"), hit


def _bottom_nav_fixed(page) -> None:
    bottom, height, position = page.evaluate(
        "(() => { const nav = document.querySelector('.bottom-nav');"
        " return [nav.getBoundingClientRect().bottom, innerHeight,"
        " getComputedStyle(nav).position]; })()"
    )
    assert position == "fixed" and abs(bottom - height) <= 1, (bottom, height, position)
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.bottom-nav a')]"
        ".map(a => a.getBoundingClientRect().right))"
    )
    assert right <= page.evaluate("innerWidth"), right  # every place whole, "Me" included


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_long_titles_wrap_and_steps_can_be_edited(request, browser, axe, live_server, size):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    goal = goal_services.goal_create(
        client=client,
        author=therapist.user,
        title=TITLE,
        specific=f"See {ADDRESS} for the times",
        steps=[LONG_STEP, "Ask Sam to come", "Go once"],
        ip=None,
    )
    journey = new_journey(request, browser, axe, live_server, f"long-words-{size}", VIEWPORTS[size])

    with journey.recording():
        phone = journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("care:today"))
        item = phone.locator(".due-item").filter(has_text="before Saturday")
        expect(item.get_by_role("link", name=f"https://example.org/{'a' * 150}")).to_have_attribute(
            "rel", "nofollow noopener noreferrer"
        )
        _tappable(phone, item.get_by_role("button"))
        _bottom_nav_fixed(phone)
        journey.check(phone, "today")

        phone.goto(reverse("goals:my_goals"))
        expect(phone.get_by_role("heading", name=TITLE[:30])).to_be_visible()
        _bottom_nav_fixed(phone)
        journey.check(phone, "goals")

        phone.goto(reverse("goals:my_goal_detail", args=[goal.pk]))
        expect(
            phone.get_by_role("heading", level=1).get_by_role("link", name=ADDRESS)
        ).to_be_visible()
        first = phone.locator(".step-row").first
        _tappable(phone, first.get_by_role("button", name="Done"))
        _bottom_nav_fixed(phone)
        journey.check(phone, "goal")

        # Reorder: "Go once" up one place, then change its words. (The controls are inline-flex,
        # so their hidden context reads "Move up : Go once" in Playwright's names: a pattern.)
        phone.get_by_role("button", name=re.compile(r"^Move up\W+Go once$")).click()
        expect(phone.locator(".step-title")).to_have_text([LONG_STEP, "Go once", "Ask Sam to come"])
        phone.get_by_role("link", name=re.compile(r"^Edit\W+Go once$")).click()
        journey.check(phone, "step-edit")
        phone.get_by_label("A small step").fill("Go once, with Sam")
        phone.get_by_role("button", name="Save step").click()
        expect(phone.get_by_text("Step saved.")).to_be_visible()

        # Delete, after being asked.
        phone.get_by_role("link", name=re.compile(r"^Edit\W+Ask Sam to come$")).click()
        phone.get_by_role("button", name="Delete this step").click()
        expect(phone.get_by_role("heading", name="Delete this step?")).to_be_visible()
        journey.check(phone, "step-delete-confirm")
        phone.get_by_role("button", name="Delete the step").click()
        expect(phone.locator(".step-title")).to_have_text([LONG_STEP, "Go once, with Sam"])
        phone.wait_for_load_state()  # a screenshot mid-load came out 1361 px wide
        journey.check(phone, "goal-edited")

        desk = journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("goals:goals", args=[client.pk]))
        journey.check(desk, "therapist-goals")
        desk.goto(reverse("goals:goal_detail", args=[client.pk, goal.pk]))
        expect(desk.get_by_role("link", name=ADDRESS).first).to_be_visible()
        journey.check(desk, "therapist-goal")
        desk.goto(reverse("goals:goal_edit", args=[client.pk, goal.pk]))
        journey.check(desk, "therapist-goal-edit")
