"""Real-browser test of the first-visit bridge: on a phone, the client plans to go to a weekly
group, gets ready (arrival plan, opening line, prediction), and after the meeting says how it
went; the win and the in-person balance show on both sides.

It reuses the checks of the other browser tests: every page gets a screenshot, axe-core, the
sideways-overflow check and the console (CSP) check.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.community.models import Plan, Resource
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_first_visit_and_say_how_it_went(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    tomorrow = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    resource = Resource.objects.create(
        practice=practice,
        name="Board games night",
        kind=Resource.Kind.GROUP,
        description="Cooperative board games for beginners; rules explained at the table.",
        address="Riverside Library, 12 Mill Lane",
        accessibility="Step-free entrance",
        group_size="8–12 people",
        contact_url="https://example.org/board-games",
        weekday=tomorrow.weekday(),
        start_time=datetime.time(19, 0),
        time_zone=PRACTICE_TZ,
    )

    phone_journey = new_journey(
        request, browser, axe, live_server, "plans-phone", VIEWPORTS["phone"]
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "plans-desktop", VIEWPORTS["desktop"]
    )
    with phone_journey.recording(), desk_journey.recording():
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("community:my_plan_create", args=[resource.pk]))
        expect(phone.get_by_role("heading", name="Plan to go to Board games night")).to_be_visible()
        phone_journey.check(phone, "create")

        phone.locator("input[name=when]").first.check()
        phone.get_by_label("How will you get there and arrive?").fill("Bus at 18:30")
        phone.get_by_label("Your own words").fill("Hi, it's my first time here")
        phone.get_by_label("How anxious do you expect to be? (0–100)").fill("70")
        phone.get_by_role("button", name="Save my plan").click()
        expect(phone.get_by_role("status")).to_contain_text("Your plan is saved.")
        expect(phone.get_by_text("Step-free entrance")).to_be_visible()
        phone_journey.check(phone, "bridge-before")

        phone.goto(reverse("care:today"))
        plan = Plan.objects.get()
        # The meeting is over (moved into the past, as if the evening had come and gone).
        Plan.objects.filter(pk=plan.pk).update(when=timezone.now() - datetime.timedelta(hours=2))
        phone.reload()
        expect(phone.locator(".due-title", has_text="How did it go?")).to_be_visible()
        phone_journey.check(phone, "today-ask")

        phone.get_by_role("link", name=re.compile("How did it go")).click()
        expect(phone.get_by_role("heading", name="How did it go?")).to_be_visible()
        phone_journey.check(phone, "bridge-after")
        phone.get_by_label("How anxious were you? (0–100)").fill("40")
        phone.get_by_label("7", exact=True).check()
        phone.get_by_role("button", name="Save: I went").click()
        expect(phone.get_by_role("status")).to_contain_text("That took courage")
        expect(phone.get_by_text("It was easier than you feared.")).to_be_visible()
        phone_journey.check(phone, "reported")

        phone.goto(reverse("community:my_plans"))
        expect(phone.get_by_text("1 plan attended: 1 in person, 0 online.")).to_be_visible()
        phone_journey.check(phone, "plans")

        phone.goto(reverse("goals:my_goals"))
        expect(phone.get_by_text("A first: you went to a planned group or event")).to_be_visible()

        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("community:plans", args=[client.pk]))
        expect(desk.get_by_text("1 plan attended: 1 in person, 0 online.")).to_be_visible()
        desk_journey.check(desk, "plans")
        desk.get_by_role("link", name="Board games night").click()
        expect(desk.get_by_text("Predicted anxiety 70/100; actual 40/100.")).to_be_visible()
        desk_journey.check(desk, "plan")
        desk.goto(reverse("goals:goals", args=[client.pk]))
        expect(desk.get_by_text("A first: Robin went to a planned group or event")).to_be_visible()
