"""Real-browser test of a progress report: the therapist asks for one on a desktop, the page
goes from "being prepared" to ready, and the PDF opens (its text is read back); the version
made for the client is downloaded from "Me" on a phone. Every page: screenshot, axe-core, no
sideways overflow, no console (CSP) errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.goals import services as goal_services
from outward.journal import services as journal_services
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser
from outward.tests.reading import pdf_text

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_pdf(page, link) -> str:
    """The PDF a link opens, fetched with the page's own session, as text."""
    response = page.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body())


def test_a_progress_report_from_the_therapist_to_the_client(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    for days in (3, 10, 17):
        journal_services.check_in_create(
            client=client,
            author=client.user,
            ip=None,
            occurred=timezone.now() - datetime.timedelta(days=days),
            mood=5 + days % 3,
            loneliness=6 - days % 3,
            meaningful_interactions=3,
            in_person=2,
            online=1,
        )
    goal_services.win_create(
        client=client, author=client.user, text="Said hello at the book club", ip=None
    )
    desk_journey = new_journey(
        request, browser, axe, live_server, "reports-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "reports-phone", VIEWPORTS["phone"]
    )

    with desk_journey.recording(), phone_journey.recording():
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        desk.goto(reverse("care:client_detail", args=[client.pk]))
        desk.get_by_role("navigation", name="Client record").get_by_role(
            "link", name="Reports"
        ).click()
        expect(desk.get_by_role("heading", name="Progress report")).to_be_visible()
        desk_journey.check(desk, "form")

        desk.get_by_role("button", name="Make the PDF").click()
        expect(
            desk.locator("[data-error-summary]").get_by_text(
                "Write the summary, or untick the Summary section."
            )
        ).to_be_visible()
        desk_journey.check(desk, "summary-missing")

        desk.get_by_label("Your summary").fill("Robin has joined the book club. Next: speak once.")
        desk.get_by_role("button", name="Make the PDF").click()
        expect(desk.get_by_text("The PDF is ready")).to_be_visible()
        desk_journey.check(desk, "ready")
        text = _open_pdf(desk, desk.get_by_role("link", name="Open the PDF"))
        for expected in [
            "Riverside Practice",
            "Progress report: Robin Rivers",
            "Page 1 of",
            "Said hello at the book club",
            "Robin has joined the book club.",
            "Check-ins by week",
        ]:
            assert expected in text, expected

        desk.get_by_role("link", name="Back to Reports").click()
        desk.get_by_label("For the client").check()
        desk.get_by_label("Your summary").fill("Well done on the book club, Robin.")
        desk.get_by_role("button", name="Make the PDF").click()
        expect(desk.get_by_text("The client can download it from their portal")).to_be_visible()
        desk.get_by_role("link", name="Back to Reports").click()
        expect(desk.get_by_role("cell", name="For the client")).to_be_visible()
        desk_journey.check(desk, "two-reports")

        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        phone.get_by_role("navigation", name="Your places").get_by_role("link", name="Me").click()
        phone_journey.check(phone, "me")
        phone.get_by_role(
            "link", name="Reports of your progress your therapist made for you"
        ).click()
        expect(phone.get_by_role("heading", name="Your progress reports")).to_be_visible()
        links = phone.get_by_role("link", name="Open your report of")
        expect(links).to_have_count(1)  # the care team's version is not theirs
        phone_journey.check(phone, "my-reports")
        text = _open_pdf(phone, links.first)
        assert "Your progress, Robin Rivers" in text
        assert "Well done on the book club, Robin." in text
        assert "PHQ" not in text and "T-score" not in text
