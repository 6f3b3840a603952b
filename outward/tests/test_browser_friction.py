"""Real-browser look at the smaller fixes of issue 14, at 375 and 1280 px: the practice page
(the staff table's actions in line, the settings card clear of it), the questionnaire licence
notes, the readiness tab, the session note's date filled in, the plans reached from Groups,
and the plain 404 page. Every page: screenshot, axe-core, no sideways overflow, no console or
missing-file errors (the favicon included)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_smaller_fixes_look_right(request, browser, axe, live_server, size):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    admin = make_staff(practice, "ada@riverside.test", "Ada Admin", is_admin=True)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    make_staff(practice, "invited@riverside.test", "Ivy Invited")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    journey = new_journey(request, browser, axe, live_server, f"friction-{size}", VIEWPORTS[size])

    with journey.recording():
        desk = journey.open("admin")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, admin.user.email)
        desk.goto(reverse("care:practice"))
        table = desk.locator(".table")
        security = desk.get_by_role("heading", name="Security and safety")
        gap = security.bounding_box()["y"] - (
            table.bounding_box()["y"] + table.bounding_box()["height"]
        )
        assert gap >= 24, gap  # the settings card stands clear of the staff table
        if size == "desktop":  # each action sits on its row's first line, like the other cells
            row = desk.get_by_role("row", name="Tara Therapist")
            name_top = row.get_by_role("rowheader").bounding_box()["y"]
            action_top = row.get_by_role("button", name="Deactivate").bounding_box()["y"]
            assert abs(action_top - name_top) < 16, (name_top, action_top)
        journey.check(desk, "practice")

        desk.goto(reverse("measures:practice_measures"))
        expect(desk.get_by_text("Before you switch it on:").first).to_be_visible()
        journey.check(desk, "questionnaires")

        desk.goto("/no-such-page/")
        expect(desk.get_by_role("heading", name="This page is not here")).to_be_visible()
        journey.check(desk, "not-found")

        tara = journey.open("therapist")
        tara.goto(reverse("accounts:login"))
        sign_in(tara, therapist.user.email)
        tara.goto(reverse("care:client_detail", args=[client.pk]))
        tara.get_by_role("link", name="Readiness").click()
        expect(tara.get_by_text("What makes it the number you chose")).to_be_visible()
        journey.check(tara, "readiness")

        tara.get_by_role("link", name="Notes").click()
        today = timezone.localdate(timezone=timezone.get_fixed_timezone(0))
        value = tara.get_by_label("Session date").input_value()
        assert abs((timezone.datetime.fromisoformat(value).date() - today).days) <= 1, value
        journey.check(tara, "notes")

        tara.get_by_role("link", name="Groups").click()
        tara.get_by_role("link", name="Plans to attend").click()
        expect(tara.get_by_role("heading", name="Plans to attend")).to_be_visible()
        journey.check(tara, "plans")
