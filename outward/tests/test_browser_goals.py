"""Real-browser test of the goal loop: a therapist sets a goal and a step on a desktop, the client
does it on a phone, the win comes back to the therapist, who acknowledges it; then a weekly
check-in whose private note the care team never sees.

It reuses the fixtures and checks of test_browser (and its module-level skip when there is no
Chromium): every page gets a screenshot, axe-core, the sideways-overflow check and the console
(CSP) check.
"""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.conftest import PRACTICE_TZ, make_client, make_staff
from outward.journal.models import CheckIn
from outward.tests.browsing import VIEWPORTS, new_journey, sign_in, skip_without_browser

skip_without_browser()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = "Reach out to a friend weekly"
STEP = "Send Sam a message"
ACKNOWLEDGEMENT = "Lovely — well done"
MET_ONCE = "Done 1 time this week — target met"  # rather than "1 of 1 this week"
MET_TWICE = "Done 2 times this week — target met"  # rather than "2 of 1"
PRIVATE_NOTE = "PRIVATE-CHECKIN-NOTE: I nearly cancelled on Sam"


def test_goal_loop_from_therapist_to_client_and_back(request, browser, axe, live_server):
    from playwright.sync_api import expect

    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    client = make_client(therapist, "robin@client.test", "Robin Rivers")
    # The client's "today", where the client lives (the practice's zone, not UTC).
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(PRACTICE_TZ))
    # Last week's check-in, so that one is due now and the journal has a trend to draw.
    CheckIn.objects.create(
        client=client,
        author=client.user,
        occurred=timezone.now() - datetime.timedelta(days=8),
        mood=4,
        loneliness=7,
        meaningful_interactions=1,
        in_person=1,
        online=0,
    )

    # Two devices, two sizes: the therapist at a desk, the client on a phone.
    desk_journey = new_journey(
        request, browser, axe, live_server, "goals-desktop", VIEWPORTS["desktop"]
    )
    phone_journey = new_journey(
        request, browser, axe, live_server, "goals-phone", VIEWPORTS["phone"]
    )

    with desk_journey.recording(), phone_journey.recording():
        # 1. The therapist sets a goal with the client, from a starting point. -------------
        desk = desk_journey.open("therapist")
        desk.goto(reverse("accounts:login"))
        sign_in(desk, "tara@riverside.test")
        expect(desk.get_by_role("heading", name="Caseload")).to_be_visible()
        desk.get_by_role("link", name="Robin Rivers", exact=True).click()
        expect(desk).to_have_url(re.compile(reverse("care:client_detail", args=[client.pk]) + "$"))
        expect(desk.get_by_role("heading", name="Robin Rivers", level=1)).to_be_visible()
        desk_journey.check(desk, "client")

        tabs = desk.get_by_role("navigation", name="Client record")
        tabs.get_by_role("link", name="Goals").click()
        expect(desk.get_by_role("heading", name="Goals", level=2)).to_be_visible()
        expect(tabs.get_by_role("link", name="Goals")).to_have_attribute("aria-current", "page")
        expect(desk.get_by_text("No goals yet")).to_be_visible()
        desk_journey.check(desk, "goals-empty")

        desk.get_by_role("link", name="New goal").click()
        expect(desk.get_by_role("heading", name="A new goal")).to_be_visible()
        expect(desk.get_by_label("Robin’s goal")).to_have_value("")
        desk_journey.check(desk, "new-goal-blank")

        # "New goal" opens a blank form; the ideas to start from are on the Goals tab.
        desk.go_back()
        desk.get_by_role("link", name=GOAL).click()
        expect(desk).to_have_url(re.compile(r"[?&]start=reach_out"))
        expect(desk.get_by_label("Robin’s goal")).to_have_value(GOAL)
        expect(desk.get_by_label("How many times")).to_have_value("1")
        expect(desk.get_by_label("per", exact=True)).to_have_value("week")
        desk_journey.check(desk, "new-goal-from-idea")

        # The live SMART check (htmx) follows the text: the form stays put, the advice changes.
        desk.evaluate("window.outwardNoReload = true")
        smart = desk.locator("#smart-check")
        relevant = smart.locator(".criterion", has_text="Relevant")
        why = desk.get_by_label("Why does it matter to Robin?")
        with desk.expect_response(lambda response: "smart-check" in response.url):
            why.fill("")
        expect(relevant).to_contain_text("Why does this matter to you?")
        expect(relevant).to_have_class(re.compile(r"\bcriterion-hint\b"))
        expect(smart.locator(".criterion", has_text="Specific")).to_have_class(
            re.compile(r"\bcriterion-pass\b")
        )
        desk_journey.check(desk, "smart-check-hint")

        with desk.expect_response(lambda response: "smart-check" in response.url):
            why.fill("I miss my old friends from college")
        expect(relevant).not_to_contain_text("Why does this matter to you?")
        expect(relevant).to_have_class(re.compile(r"\bcriterion-pass\b"))
        expect(smart).to_have_count(1)  # swapped in place, not nested in itself
        assert desk.evaluate("window.outwardNoReload") is True, "the SMART check reloaded"
        desk_journey.check(desk, "smart-check-passes")

        desk.get_by_role("button", name="Save goal").click()
        expect(desk.get_by_role("heading", name=GOAL, level=2)).to_be_visible()
        expect(desk.get_by_role("status")).to_contain_text("Robin’s goal is saved.")
        expect(desk.locator(".progress-line")).to_have_text("0 of 1 this week")
        desk_journey.check(desk, "goal")

        # A step planned for today.
        desk.get_by_label("A small step").fill(STEP)
        desk.get_by_label("Planned for (optional)").fill(today.isoformat())
        desk.get_by_role("button", name="Add step").click()
        expect(desk.get_by_role("status")).to_contain_text("Step added.")
        steps = desk.locator(".steps-list")
        expect(steps.get_by_role("listitem").last).to_contain_text(STEP)
        expect(steps.get_by_role("listitem").last).to_contain_text(today.strftime("%a %-d %b"))
        desk_journey.check(desk, "goal-with-step")

        # 2. The client, on a phone, does the step in one tap from Today. ------------------
        phone = phone_journey.open("client")
        phone.goto(reverse("accounts:login"))
        sign_in(phone, "robin@client.test")
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        due = phone.locator(".due-list")
        step_item = due.get_by_role("listitem").filter(has_text=STEP)
        expect(step_item).to_be_visible()
        # The goal's cadence ("0 of 1 this week"), beside its next undated step (issue 14).
        goal_item = due.get_by_role("listitem").filter(has_text=GOAL).filter(has_text="this week")
        expect(goal_item).to_contain_text("0 of 1 this week")
        expect(
            due.get_by_role("listitem").filter(has_text=f"Next step toward “{GOAL}”")
        ).to_be_visible()
        phone_journey.check(phone, "today-due")

        # (Chromium reads the visually hidden part after a space: "Done : Send Sam a message".)
        step_item.get_by_role("button", name=re.compile(rf"^Done ?: {STEP}$")).click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(phone.get_by_role("status")).to_contain_text("Done — nice work.")
        expect(due.get_by_role("listitem").filter(has_text=STEP)).to_have_count(0)
        # The step was reaching out, so this week's target is met and leaves the list too.
        expect(goal_item).to_have_count(0)
        phone_journey.check(phone, "today-done")

        places = phone.get_by_role("navigation", name="Your places")
        places.get_by_role("link", name="Goals").click()
        expect(phone).to_have_url(re.compile(reverse("goals:my_goals") + "$"))
        expect(phone.get_by_role("heading", name="Your goals", level=1)).to_be_visible()
        goal_card = phone.locator("article.goal").filter(has_text=GOAL)
        expect(goal_card.locator(".progress-line")).to_have_text(MET_ONCE)
        wins = phone.locator("#wins")
        expect(wins.get_by_role("heading", name="Wins")).to_be_visible()
        expect(wins.locator(".win-text", has_text=f"Done: {STEP}")).to_be_visible()
        expect(wins).to_contain_text(f"Target met: “{GOAL}” this week")
        phone_journey.check(phone, "my-goals-win")

        # "I did it" is on the goal's own page; one more tap counts once more.
        goal_card.get_by_role("link", name=GOAL).click()
        expect(phone.get_by_role("heading", name=GOAL, level=1)).to_be_visible()
        expect(phone.locator(".progress-line")).to_have_text(MET_ONCE)
        expect(phone.locator(".step-done", has_text=STEP)).to_be_visible()
        phone_journey.check(phone, "my-goal")
        phone.get_by_role("button", name="I did it").click()
        expect(phone.get_by_role("status")).to_contain_text("Logged — well done.")
        expect(phone.locator(".progress-line")).to_have_text(MET_TWICE)
        phone_journey.check(phone, "my-goal-did-it")

        # 3. The therapist sees the win and acknowledges it. -------------------------------
        desk.goto(reverse("goals:goals", args=[client.pk]))
        step_win = desk.locator("article.win").filter(has_text=f"Done: {STEP}")
        expect(step_win).to_be_visible()
        expect(desk.locator("article.win").filter(has_text="Target met:")).to_be_visible()
        expect(desk.locator("article.goal").locator(".progress-line")).to_have_text(MET_TWICE)
        desk_journey.check(desk, "goals-wins")

        step_win.get_by_text("Acknowledge this win").click()  # a disclosure: one line per win
        step_win.get_by_label("A short message for the client").fill(ACKNOWLEDGEMENT)
        desk_journey.check(desk, "goals-acknowledging")
        step_win.get_by_role("button", name="Send").click()
        expect(desk.get_by_role("status")).to_contain_text("Your message is on the win.")
        step_win = desk.locator("article.win").filter(has_text=f"Done: {STEP}")
        expect(step_win.locator(".acknowledgement")).to_have_text(
            f"Tara Therapist wrote: {ACKNOWLEDGEMENT}"
        )
        expect(step_win.get_by_text("Acknowledge this win")).to_have_count(0)
        desk_journey.check(desk, "goals-acknowledged")

        # 4. The client sees it. ------------------------------------------------------------
        phone.goto(reverse("goals:my_goals"))
        step_win = phone.locator("article.win").filter(has_text=f"Done: {STEP}")
        expect(step_win.locator(".acknowledgement")).to_have_text(
            f"Tara Therapist wrote: {ACKNOWLEDGEMENT}"
        )
        expect(phone.get_by_text("Acknowledge this win")).to_have_count(0)
        phone_journey.check(phone, "my-goals-acknowledged")

        # 5. A weekly check-in on the phone, with a note kept private. ----------------------
        places.get_by_role("link", name="Today").click()
        check_in_item = due.get_by_role("listitem").filter(has_text="Your check-in")
        check_in_item.get_by_role("link", name=re.compile(r"^Open ?: Your check-in$")).click()
        expect(phone).to_have_url(re.compile(reverse("journal:my_check_in") + "$"))
        expect(phone.get_by_role("heading", name="How was your week?")).to_be_visible()
        phone_journey.check(phone, "check-in")

        mood = phone.get_by_role("group", name="How was your mood this week?")
        mood.get_by_label("7", exact=True).check()
        lonely = phone.get_by_role("group", name="How lonely did you feel?")
        lonely.get_by_label("4", exact=True).check()
        expect(mood.get_by_label("7", exact=True)).to_be_checked()
        phone.get_by_label("How many conversations felt meaningful?").fill("3")
        phone.get_by_label("…of those, in person").fill("2")
        phone.get_by_label("…and online or by phone").fill("1")
        phone.get_by_label("A win of the week (optional)").fill("Coffee with Sam")
        phone.get_by_label("Anything else? (optional)").fill(PRIVATE_NOTE)
        phone.get_by_label("Keep this note to myself").check()
        phone_journey.check(phone, "check-in-filled")
        phone.get_by_role("button", name="Save my check-in").click()
        expect(phone).to_have_url(re.compile(reverse("care:today") + "$"))
        expect(phone.get_by_role("status")).to_contain_text("Thank you for checking in.")
        expect(due.get_by_role("listitem").filter(has_text="Your check-in")).to_have_count(0)
        phone_journey.check(phone, "today-checked-in")

        places.get_by_role("link", name="Journal").click()
        expect(phone.get_by_role("heading", name="Your journal", level=1)).to_be_visible()
        expect(phone.get_by_text(PRIVATE_NOTE)).to_be_visible()  # the client sees their own note
        expect(phone.get_by_text("only you can see this note")).to_be_visible()
        phone_journey.check(phone, "my-journal")

        # The therapist's Journal tab: the answers, never the private note.
        tabs.get_by_role("link", name="Journal").click()
        expect(desk.get_by_role("heading", name="Journal", level=2)).to_be_visible()
        entry = desk.locator("article").filter(
            has=desk.get_by_role("heading", name=f"{today:%A} {today.day} {today:%B}")
        )
        expect(entry).to_contain_text("Mood 7/10 · loneliness 4/10 · 3 meaningful conversations")
        expect(entry).to_contain_text("Win of the week: Coffee with Sam")
        expect(entry).to_contain_text("The client kept the note of this check-in private.")
        expect(desk.get_by_role("table")).to_contain_text("2 / 1")
        captions = desk.locator("figure figcaption")  # two check-ins make a trend worth drawing
        expect(captions).to_have_count(2)
        expect(captions.first).to_contain_text("Mood")
        assert PRIVATE_NOTE not in desk.content()
        assert "nearly cancelled" not in desk.content()
        desk_journey.check(desk, "journal")

        # The check-in's win of the week is a win on the Goals tab as well.
        tabs.get_by_role("link", name="Goals").click()
        expect(desk.locator("article.win").filter(has_text="Coffee with Sam")).to_be_visible()
        desk_journey.check(desk, "goals-check-in-win")
