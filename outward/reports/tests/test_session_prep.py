"""Session prep: the client's "Before we meet" (trim, add, approve) and the therapist's page
for the next session, which shows exactly what was approved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outward.care import services as care_services
from outward.care.records import Visibility
from outward.goals import services as goal_services
from outward.goals.models import Goal
from outward.journal import services as journal_services
from outward.journal.insights import RULES
from outward.journal.models import InsightShare
from outward.reports import selectors, services
from outward.reports.models import SessionPrep


def _contact(world, kind, *, days_ago=1, with_whom="", private=False):
    return journal_services.contact_log(
        client=world.client,
        author=world.client.user,
        ip=None,
        kind=kind,
        with_whom=with_whom,
        occurred=timezone.now() - datetime.timedelta(days=days_ago),
        visibility=Visibility.PRIVATE if private else Visibility.SHARED,
    )


def _check_in(world, days_ago, win=""):
    journal_services.check_in_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        occurred=timezone.now() - datetime.timedelta(days=days_ago),
        mood=6,
        loneliness=4,
        meaningful_interactions=2,
        in_person=1,
        online=1,
        win=win,
    )


@pytest.fixture
def week(world, now):
    """Since the last session (2 November): a check-in with a win, two contacts, and a
    private contact; and a contact from before the session."""
    _check_in(world, 3, win="WIN-TEXT I said hello at the quiz")
    met = _contact(world, "met_up", days_ago=2)
    online = _contact(world, "online", days_ago=1)
    _contact(world, "event", days_ago=5, private=True)
    _contact(world, "reached_out", days_ago=30)
    return {"met": f"journal.contact.met_up|journal.contact:{met.pk}", "online": online}


def _draft_keys(world):
    since = selectors.prep_since(client=world.client)
    return [
        i.key for i in selectors.prep_draft(client=world.client, since=since, now=timezone.now())
    ]


def test_the_draft_is_what_was_shared_since_the_last_session(world, week):
    page = world.as_("client").get(reverse("reports:my_prep"))
    assert page.status_code == 200
    assert "Went to a group or event" not in page.text  # kept private
    assert "Reached out to someone" not in page.text  # before the last session
    assert "WIN-TEXT I said hello at the quiz" in page.text
    assert "Met up with someone" in page.text
    assert "Talked with someone online" in page.text
    assert len(_draft_keys(world)) == 4  # check-in, its win, two contacts


def _approve(world, keys, *, keep, agenda=""):
    return world.as_("client").post(
        reverse("reports:my_prep"), {"shown": keys, "keep": keep, "agenda": agenda}
    )


def test_the_client_removes_one_adds_their_own_and_the_therapist_sees_exactly_that(world, week):
    keys = _draft_keys(world)
    keep = [key for key in keys if key != week["met"]]
    response = _approve(world, keys, keep=keep, agenda="How to keep going\n\n  Work stress  ")
    assert response.status_code == 302

    prep = SessionPrep.objects.get()
    assert [item["key"] for item in prep.items] == keep
    assert prep.removed == 1
    assert prep.agenda == ["How to keep going", "Work stress"]

    # Logged after approving: not in what was approved (a snapshot, never recomputed).
    _contact(world, "reached_out", days_ago=0)
    page = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk]))
    assert page.status_code == 200
    text = page.text
    assert "Approved by the client" in text
    assert "they took out 1 item" in text
    assert "Met up with someone" not in text
    assert "Reached out to someone" not in text
    assert "Talked with someone online" in text
    assert "WIN-TEXT I said hello at the quiz" in text
    assert "How to keep going" in text and "Work stress" in text

    # The client sees what they approved, and can change it.
    own = world.as_("client").get(reverse("reports:my_prep"))
    assert "What you approved" in own.text and "Work stress" in own.text
    change = world.as_("client").get(reverse("reports:my_prep") + "?change=1")
    assert 'name="keep"' in change.text


def test_without_approval_the_therapist_sees_the_shared_happenings_marked_so(world, week):
    text = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk])).text
    assert "Not approved by the client" in text
    assert "Met up with someone" in text
    assert "Went to a group or event" not in text


def test_a_new_session_starts_a_new_period(world, week):
    keys = _draft_keys(world)
    _approve(world, keys, keep=keys)
    care_services.session_note_create(
        client=world.client,
        author=world.therapist.user,
        session_date=datetime.date(2026, 11, 24),
        text="Met today.",
        ip=None,
    )
    text = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk])).text
    assert "Not approved by the client" in text
    assert "Met up with someone" not in text  # before the new session
    assert "Talked with someone online" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keep": ["journal.contact.met_up|journal.contact:999999"]}, "Your list changed"),
        ({"agenda": "\n".join(f"Thing {n}" for n in range(9))}, "Up to 8 things"),
        ({"agenda": "x" * 301}, "under 300 characters"),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(world, week, data, message):
    keys = _draft_keys(world)
    response = world.as_("client").post(
        reverse("reports:my_prep"), {"shown": keys, "keep": keys} | data
    )
    assert response.status_code == 200
    assert message in response.text
    assert not SessionPrep.objects.exists()


def test_only_the_client_approves(world, week):
    with pytest.raises(ValidationError):
        services.session_prep_approve(
            client=world.client,
            actor=world.therapist.user,
            since=selectors.prep_since(client=world.client),
            items=[],
            removed=0,
            agenda=[],
            ip=None,
        )


def test_goals_at_risk_are_those_missed_two_whole_periods(world, now):
    def weekly(title, created_days_ago, **extra):
        goal = goal_services.goal_create(
            client=world.client,
            author=world.therapist.user,
            title=title,
            cadence_count=1,
            cadence_period="week",
            ip=None,
            **extra,
        )
        Goal.objects.filter(pk=goal.pk).update(
            created=timezone.now() - datetime.timedelta(days=created_days_ago)
        )
        return goal

    weekly("AT-RISK reach out weekly", 30)
    weekly("NEW-GOAL too new to judge", 8)
    weekly("MET-GOAL met last week", 30, counts_kind="journal.contact.met_up")
    _contact(world, "met_up", days_ago=7)

    text = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk])).text
    assert "AT-RISK reach out weekly" in text
    assert "NEW-GOAL too new to judge" not in text
    assert "MET-GOAL met last week" not in text


def test_the_caseload_links_to_prep_and_says_when_approved(world, week):
    url = reverse("reports:prep", args=[world.client.pk])
    caseload = world.as_("therapist").get(reverse("care:caseload")).text
    assert url in caseload and "Approved by client" not in caseload
    keys = _draft_keys(world)
    _approve(world, keys, keep=keys)
    assert "Approved by client" in world.as_("therapist").get(reverse("care:caseload")).text


def _records(world, count):
    for n in range(count):
        _contact(world, ["met_up", "online", "event", "reached_out"][n % 4], days_ago=n % 20)


def _queries(http, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("approved", [False, True])
def test_the_prep_page_reads_a_constant_number_of_queries(world, now, approved):
    http, url = world.as_("therapist"), reverse("reports:prep", args=[world.client.pk])
    for rule in RULES:  # every insight shared: each rule's queries are counted too
        InsightShare.objects.create(client=world.client, author=world.client.user, rule=rule)
    _records(world, 5)
    if approved:
        keys = _draft_keys(world)
        _approve(world, keys, keep=keys[1:])
    small = _queries(http, url)
    _records(world, 195)
    assert _queries(http, url) == small


def test_measures_changed_since_the_session_show_reliable_change_and_due_ones(world, now):
    from outward.measures import services as measure_services
    from outward.measures.models import Response

    def enter(answers):
        return measure_services.response_enter(
            client=world.client,
            instrument_key="phq9",
            answers={str(n): answers.get(n, 0) for n in range(1, 10)},
            actor=world.therapist.user,
            ip=None,
        )

    baseline = enter(dict.fromkeys(range(1, 9), 2))  # 16
    Response.objects.filter(pk=baseline.pk).update(
        completed=timezone.now() - datetime.timedelta(days=60)
    )
    enter({1: 1, 2: 1})  # 2, after the last session
    measure_services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="gad7",
        every_days=None,
        first_due=datetime.date(2026, 11, 20),
        ip=None,
    )
    text = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk])).text
    assert "From 16 at baseline to 2 now" in text and "reliably improved" in text
    assert "Due: GAD-7" in text


def test_an_open_risk_alert_is_on_the_prep_page(world, now):
    from outward.conftest import raise_alert

    raise_alert(world.client)
    text = world.as_("therapist").get(reverse("reports:prep", args=[world.client.pk])).text
    assert "Risk alert open since" in text
