"""Real-browser test of the measures loop: a therapist assigns the PHQ-9 on a desktop, the client
answers it on a phone one question at a time (leaving half-way and resuming), the score comes
back to the therapist; then a second PHQ-9 with a risk answer shows the client the crisis
information and opens an alert the therapist acknowledges.

Every page gets a screenshot, axe-core, the sideways-overflow check and the console (CSP) check.
"""

import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.measures import services as measure_services
from outward.measures.models import RiskAlert
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONNAIRE = "A few questions about how you have been"  # its plain title on Today

PHQ9 = "Patient Health Questionnaire (PHQ-9)"
ITEM_1 = "Little interest or pleasure in doing things"
ITEM_3 = "Trouble falling or staying asleep, or sleeping too much"
ITEM_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"
DIFFICULTY = "If you checked off any problems"
# Items 1–9 of the first PHQ-9, then the (unscored) difficulty item: total 8, "Mild".
CALM = ["Several days"] * 8 + ["Not at all", "Somewhat difficult"]
# The second: total 9 (still "Mild"), but item 9 is above 0 — a risk answer.
AT_RISK = ["Several days"] * 8 + ["Several days", "Very difficult"]
ACK_NOTE = "Called Robin the same afternoon; safety plan reviewed, session moved forward."


def answer(phone, choice: str, *, question: str | None = None) -> None:
    """One question of the questionnaire: pick an answer, then "Next"."""
    from playwright.sync_api import expect

    form = phone.locator("form.questionnaire-form")
    group = form.get_by_role("group", name=question) if question else form.get_by_role("group")
    group.get_by_label(choice, exact=True).check()
    expect(group.get_by_label(choice, exact=True)).to_be_checked()
    phone.get_by_role("button", name="Next").click()


def test_measure_loop_from_assignment_to_alert(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    admin = make_staff(practice, "ada@riverside.test", "Ada Admin", is_admin=True)
    measure_services.crisis_line_add(
        practice=practice,
        actor=admin.user,
        name="Riverside Crisis Line",
        number="+1 555 010 0199",
        hours="24 hours, every day",
    )
    # "First due" in the practice's zone, where both people live (not UTC).
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(PRACTICE_TZ))
    measures_url = reverse("measures:measures", args=[client.pk])

    desk_journey = new_journey(
        request, browser, axe, live_server, "measures-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "measures-phone", VIEWPORTS["phone"]
    )

    with desk_journey.recording(), phone_journey.recording():
        # 1. The therapist assigns the PHQ-9, once, due today. ----------------------------
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        expect(desk.get_by_role("heading", name="Caseload")).to_be_visible()
        desk.get_by_role("link", name="Robin Rivers", exact=True).click()
        tabs = desk.get_by_role("navigation", name="Client record")
        tabs.get_by_role("link", name="Measures").click()
        expect(desk).to_have_url(re.compile(re.escape(measures_url) + "$"))
        expect(tabs.get_by_role("link", name="Measures")).to_have_attribute("aria-current", "page")
        expect(desk.get_by_text("No questionnaires answered yet.")).to_be_visible()
        expect(desk.get_by_text("Nothing assigned.")).to_be_visible()
        desk_journey.check(desk, "measures-empty")

        assign = desk.locator("form").filter(has=desk.get_by_role("button", name="Assign"))
        assign.get_by_label("Questionnaire").select_option(label=PHQ9)
        assign.get_by_label("How often").select_option(label="Once")
        assign.get_by_label("First due").fill(today.isoformat())
        desk_journey.check(desk, "assign-filled")
        assign.get_by_role("button", name="Assign").click()
        expect(desk.get_by_role("status")).to_contain_text("Questionnaire assigned.")
        assigned = desk.locator("section").filter(
            has=desk.get_by_role("heading", name="Assigned", level=2)
        )
        expect(assigned.get_by_role("listitem")).to_have_count(1)
        expect(assigned.get_by_role("listitem")).to_contain_text(
            f"PHQ-9 · once · due {today.day} {today:%b}"
        )
        desk_journey.check(desk, "measures-assigned")

        # 2. The client, on a phone, answers it one question at a time. --------------------
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        due = phone.locator(".due-list")
        questionnaire_item = due.get_by_role("listitem").filter(has_text=QUESTIONNAIRE)
        expect(questionnaire_item).to_be_visible()
        expect(questionnaire_item).to_contain_text("10 questions, a few minutes")
        expect(questionnaire_item).not_to_contain_text("PHQ-9")
        phone_journey.check(phone, "today-questionnaire-due")

        open_link = questionnaire_item.get_by_role(
            "link", name=re.compile(rf"^Open ?: {QUESTIONNAIRE}$")
        )
        open_link.click()
        expect(phone.get_by_role("heading", name="Question 1 of 10", level=1)).to_be_visible()
        expect(phone.get_by_role("group", name=ITEM_1)).to_be_visible()
        progress = phone.get_by_role("progressbar", name="Questions answered")
        expect(progress).to_have_attribute("value", "0")
        phone_journey.check(phone, "question-1")

        answer(phone, CALM[0], question=ITEM_1)
        expect(phone.get_by_text("Question 2 of 10")).to_be_visible()
        answer(phone, CALM[1])
        expect(phone.get_by_text("Question 3 of 10")).to_be_visible()
        expect(phone.get_by_role("group", name=ITEM_3)).to_be_visible()
        expect(progress).to_have_attribute("value", "2")
        # A question not yet answered starts with nothing chosen.
        expect(phone.get_by_role("group", name=ITEM_3).locator("input:checked")).to_have_count(0)
        phone_journey.check(phone, "question-3")

        # Half-way, the client leaves for Today, and comes back to the same question.
        places = phone.get_by_role("navigation", name="Your places")
        places.get_by_role("link", name="Today").click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(questionnaire_item).to_be_visible()  # still due: not sent yet
        open_link.click()
        expect(phone.get_by_text("Question 3 of 10")).to_be_visible()
        expect(phone.get_by_role("group", name=ITEM_3)).to_be_visible()
        expect(progress).to_have_attribute("value", "2")
        phone_journey.check(phone, "question-3-resumed")

        for number, choice in enumerate(CALM[2:], start=3):
            expect(phone.get_by_text(f"Question {number} of 10")).to_be_visible()
            if number == 9:
                expect(phone.get_by_role("group", name=ITEM_9)).to_be_visible()
            if number == 10:
                expect(phone.get_by_role("group", name=re.compile(DIFFICULTY))).to_be_visible()
                phone_journey.check(phone, "question-10")
            answer(phone, choice)

        expect(phone.get_by_role("heading", name="Check your answers", level=1)).to_be_visible()
        review = phone.locator(".review-list").get_by_role("listitem")
        expect(review).to_have_count(10)
        expect(review.first).to_contain_text(ITEM_1)
        expect(review.first).to_contain_text("Several days")
        expect(review.nth(8)).to_contain_text("Not at all")
        expect(progress).to_have_attribute("value", "10")
        phone_journey.check(phone, "review")

        phone.get_by_role("button", name="Send my answers").click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(phone.get_by_role("status")).to_contain_text("Thank you")
        expect(due.get_by_role("listitem").filter(has_text=QUESTIONNAIRE)).to_have_count(0)
        phone_journey.check(phone, "today-sent")

        # 3. The therapist sees the score and band. ---------------------------------------
        desk.reload()
        results = desk.locator("section").filter(
            has=desk.get_by_role("heading", name="Results", level=2)
        )
        phq_row = results.get_by_role("row").filter(has_text="PHQ-9")
        expect(phq_row).to_contain_text("8")
        expect(phq_row).to_contain_text("Mild")
        expect(assigned.get_by_text("Nothing assigned.")).to_be_visible()  # "once" is done
        desk_journey.check(desk, "measures-result")

        phq_row.get_by_role("link", name="PHQ-9").click()
        expect(desk).to_have_url(
            re.compile(re.escape(reverse("measures:measure_detail", args=[client.pk, "phq9"])))
        )
        expect(
            desk.get_by_role("heading", name="Patient Health Questionnaire (PHQ-9)", level=2)
        ).to_be_visible()
        expect(desk.locator("svg[role=img]")).to_have_count(1)
        # Which way is good, said where the eye is, not only to screen readers.
        expect(desk.locator("figure figcaption")).to_have_text(
            "Total score over time · higher is worse"
        )
        expect(desk.get_by_role("img", name=re.compile("PHQ-9 over time"))).to_be_visible()
        table = desk.get_by_role("table")
        expect(table.get_by_role("row")).to_have_count(2)  # the header and one completion
        expect(table.get_by_role("row").nth(1)).to_contain_text("8")
        expect(table.get_by_role("row").nth(1)).to_contain_text("Mild")
        expect(table.get_by_role("row").nth(1)).to_contain_text("client")
        desk_journey.check(desk, "measure-detail")

        # 4. A second PHQ-9, with a risk answer on item 9. --------------------------------
        desk.get_by_role("link", name="All measures").click()
        assign.get_by_label("Questionnaire").select_option(label=PHQ9)
        assign.get_by_label("How often").select_option(label="Once")
        assign.get_by_label("First due").fill(today.isoformat())
        assign.get_by_role("button", name="Assign").click()
        expect(desk.get_by_role("status")).to_contain_text("Questionnaire assigned.")
        expect(assigned.get_by_role("listitem")).to_contain_text("PHQ-9 · once")

        phone.reload()
        questionnaire_item.get_by_role(
            "link", name=re.compile(rf"^Open ?: {QUESTIONNAIRE}$")
        ).click()
        expect(phone.get_by_text("Question 1 of 10")).to_be_visible()  # a fresh start
        second_questionnaire = phone.url
        for number, choice in enumerate(AT_RISK, start=1):
            expect(phone.get_by_text(f"Question {number} of 10")).to_be_visible()
            if number == 9:
                answer(phone, choice, question=ITEM_9)
                # A risk answer shows the crisis information at once and alerts the care
                # team, even if the client never sends the rest.
                expect(phone).to_have_url(
                    re.compile(re.escape(reverse("measures:my_crisis")) + r"\?assignment=\d+$")
                )
                expect(
                    phone.get_by_role("heading", name="If you need help now", level=1)
                ).to_be_visible()
                expect(
                    phone.get_by_text("you can go on with the questions afterwards")
                ).to_be_visible()
                call = phone.get_by_role("link", name="Call +1 555 010 0199")
                expect(call).to_have_attribute("href", "tel:+15550100199")
                expect(phone.get_by_text("Riverside Crisis Line")).to_be_visible()
                expect(phone.get_by_role("link", name="Back to Today")).to_be_visible()
                phone_journey.check(phone, "crisis-at-once")
                assert RiskAlert.objects.filter(client=client, acknowledged_at=None).count() == 1
                # and can still finish
                phone.get_by_role("link", name="Continue with the questions").click()
                expect(phone).to_have_url(second_questionnaire)
            else:
                answer(phone, choice)
        expect(phone.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(review.nth(8)).to_contain_text(ITEM_9)
        expect(review.nth(8)).to_contain_text("Several days")
        phone_journey.check(phone, "review-at-risk")

        phone.get_by_role("button", name="Send my answers").click()
        expect(phone).to_have_url(re.compile(reverse("measures:my_crisis") + "$"))
        expect(phone.get_by_role("heading", name="If you need help now", level=1)).to_be_visible()
        expect(phone.locator(".crisis")).to_contain_text("emergency services")
        expect(phone.get_by_role("link", name="Back to Today")).to_be_visible()
        phone_journey.check(phone, "crisis")
        assert RiskAlert.objects.filter(client=client, acknowledged_at=None).count() == 1

        # 5. The therapist sees it in the header, on the caseload, the Overview and the
        # Measures tab. -----------------------------------------------------------------------
        desk.goto(reverse("care:caseload"))
        header = desk.get_by_role("navigation", name="Main")
        expect(header.get_by_role("link", name="⚠ 1 client needs attention")).to_be_visible()
        robin_row = desk.get_by_role("row").filter(
            has=desk.get_by_role("link", name="Robin Rivers", exact=True)
        )
        badge = robin_row.get_by_role("link", name="⚠ Needs attention · Robin Rivers")
        expect(badge).to_have_attribute("href", reverse("measures:alerts", args=[client.pk]))
        desk_journey.check(desk, "caseload-needs-attention")

        robin_row.get_by_role("link", name="Robin Rivers", exact=True).click()
        notice = desk.locator(".notice-urgent")
        expect(notice).to_contain_text("Risk alert open since")
        expect(notice.get_by_role("link", name="See the answer and acknowledge")).to_be_visible()
        desk_journey.check(desk, "overview-alert")
        tabs.get_by_role("link", name="Measures").click()
        alert = desk.locator("section.alert-card")
        expect(alert.get_by_role("heading", name="Needs your attention")).to_be_visible()
        expect(alert).to_contain_text("A risk answer on PHQ-9")
        expect(alert).to_contain_text("The client was shown the crisis information.")
        desk_journey.check(desk, "measures-alert")

        alert.get_by_label("What you did (for the record)").fill(ACK_NOTE)
        alert.get_by_role("button", name="Acknowledge").click()
        expect(desk.get_by_role("status")).to_contain_text("Alert acknowledged.")
        expect(desk.locator("section.alert-card")).to_have_count(0)
        expect(results.get_by_role("row").filter(has_text="PHQ-9")).to_contain_text("9")
        desk_journey.check(desk, "measures-acknowledged")
        acknowledged = RiskAlert.objects.get(client=client)
        assert acknowledged.note == ACK_NOTE
        assert acknowledged.acknowledged_by == therapist.user

        desk.goto(reverse("care:caseload"))
        expect(robin_row).to_be_visible()
        expect(robin_row).not_to_contain_text("Needs attention")
        expect(header).not_to_contain_text("needs attention")
        desk_journey.check(desk, "caseload-calm")
