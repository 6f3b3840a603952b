"""Real-browser test of session prep and pattern insights, on a phone (375 px) and a desktop
(1280 px): the client opens "Before we meet" from Today, takes one item out, adds something to
talk about and approves; they share one insight. The therapist opens the prep page from the
caseload and sees exactly what was approved, the agenda and the shared insight, and not the
item taken out; the page prints cleanly. Every page: screenshot, axe-core, no sideways
overflow, no console (CSP) errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.journal import services as journal_services
from outward.tests.browsing import (
    SCREENSHOTS,
    VIEWPORTS,
    new_journey,
    sign_in,
    skip_without_browser,
)

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENDA = "Feeling flat after the choir"


def _week(client, therapist):
    now = timezone.now()
    care_services.session_note_create(
        client=client,
        author=therapist.user,
        session_date=(now - datetime.timedelta(days=10)).date(),
        text="Session.",
        ip=None,
    )
    journal_services.check_in_create(
        client=client,
        author=client.user,
        ip=None,
        occurred=now - datetime.timedelta(days=3),
        mood=6,
        loneliness=4,
        meaningful_interactions=2,
        in_person=1,
        online=1,
        win="Said hello at the quiz",
    )
    for days, kind in [(2, "met_up"), (1, "online")]:
        journal_services.contact_log(
            client=client,
            author=client.user,
            ip=None,
            kind=kind,
            occurred=now - datetime.timedelta(days=days),
        )
    # Five outings on one weekday, before the last session: an insight, not in the draft.
    for weeks in range(2, 7):
        journal_services.contact_log(
            client=client,
            author=client.user,
            ip=None,
            kind="event",
            occurred=now - datetime.timedelta(weeks=weeks),
        )


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_client_approves_and_the_therapist_sees_exactly_that(
    request, browser, axe, live_server, device
):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    _week(client, therapist)
    journey = new_journey(request, browser, axe, live_server, f"prep-{device}", VIEWPORTS[device])

    with journey.recording():
        phone = journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.goto(reverse("care:today"))
        phone.get_by_role("link", name="Before we meet").click()
        expect(phone.get_by_role("heading", name="Before we meet")).to_be_visible()
        journey.check(phone, "draft")

        # The contact itself (its first-time win, "A first: you met up with someone", stays).
        phone.locator('input[name="keep"][value^="journal.contact.met_up|"]').uncheck()
        phone.get_by_label("What would you like to talk about?").fill(AGENDA)
        phone.get_by_role("button", name="Approve and share").click()
        expect(phone.get_by_role("heading", name="What you approved")).to_be_visible()
        expect(phone.get_by_text(AGENDA)).to_be_visible()
        assert "Met up with someone" not in phone.content()
        journey.check(phone, "approved")

        phone.goto(reverse("journal:my_journal"))
        phone.get_by_role("link", name="Patterns in your week").click()
        expect(phone.get_by_text("You most often go to things on")).to_be_visible()
        phone.get_by_text("The evidence").click()
        journey.check(phone, "insights")
        phone.get_by_role("button", name="Share with my care team").click()
        expect(phone.get_by_text("Shared with your care team.").first).to_be_visible()

        desk = journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("care:caseload"))
        desk.get_by_role("link", name="Approved by client").click()
        expect(desk.get_by_text("Approved by the client")).to_be_visible()
        summary = desk.locator("section", has=desk.get_by_role("heading", name="Summary"))
        expect(summary.get_by_text("Said hello at the quiz")).to_be_visible()
        assert "Talked with someone online" in summary.inner_text()  # not only its first-time win
        assert "Met up with someone" not in summary.inner_text()  # case matters: not the win
        expect(summary.get_by_text(AGENDA)).to_be_visible()
        expect(desk.get_by_text("The client most often goes to things on")).to_be_visible()
        expect(desk.get_by_role("button", name="Print")).to_be_visible()
        journey.check(desk, "prep")

        desk.emulate_media(media="print")
        desk.screenshot(path=str(SCREENSHOTS / f"prep-{device}-print.png"), full_page=True)
        expect(desk.get_by_role("button", name="Print")).to_be_hidden()
        expect(desk.get_by_role("navigation", name="Client record")).to_be_hidden()
