"""Plans to go and the first-visit bridge: making a plan, preparing it, saying how it went,
the win and the goal it counts for, Today, the in-person vs online balance, time zones."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from outward.care import happenings, reminders
from outward.care.models import AuditEvent
from outward.community.models import Plan, Resource, ResourceOccurrence
from outward.community.plans import selectors as plan_selectors
from outward.community.plans import services as plan_services
from outward.community.plans.forms import as_choice
from outward.goals.models import Win
from outward.goals.services import goal_create

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")  # world.client's own time zone
LONDON = zoneinfo.ZoneInfo("Europe/London")


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NEW_YORK)


MONDAY_NOON = local(2026, 11, 23, 12, 0)
THURSDAY_EVENING = local(2026, 11, 26, 19, 0)


def make_resource(practice, **fields) -> Resource:
    fields = {
        "name": "Board games night",
        "kind": Resource.Kind.GROUP,
        "description": "Cooperative board games for beginners; rules explained at the table.",
        "address": "Riverside Library, 12 Mill Lane",
        "accessibility": "Step-free entrance; quiet room available",
        "group_size": "8–12 people",
        "contact_url": "https://example.org/board-games",
        "weekday": 3,  # Thursdays
        "start_time": datetime.time(19, 0),
        "end_time": datetime.time(21, 0),
        "time_zone": "America/New_York",
        **fields,
    }
    return Resource.objects.create(practice=practice, **fields)


def make_plan(world, resource=None, when=THURSDAY_EVENING, **fields) -> Plan:
    """Written straight to the table, so a plan can sit in the past."""
    return Plan.objects.create(
        client=world.client,
        resource=resource or make_resource(world.practice),
        author=world.client.user,
        when=when,
        **fields,
    )


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY_NOON, tick=False)
    return time_machine


# Making a plan ------------------------------------------------------------------------------


def test_the_client_plans_to_go_to_the_next_weekly_meeting(world, monday):
    resource = make_resource(world.practice)
    http = world.as_("client")
    url = f"/me/groups/{resource.pk}/plan/"

    page = http.get(url)
    assert page.status_code == 200
    # The next four Thursdays at 19:00 New York time, shown in the client's time zone.
    assert [label for _value, label in page.context["form"].fields["when"].choices] == [
        "Thursday 26 November, 7 p.m.",
        "Thursday 3 December, 7 p.m.",
        "Thursday 10 December, 7 p.m.",
        "Thursday 17 December, 7 p.m.",
        "Another day and time",
    ]
    assert "what_to_expect" not in page.context["form"].fields  # the therapist's note

    response = http.post(
        url,
        {
            "when": as_choice(THURSDAY_EVENING),
            "arrival_plan": "Bus at 18:30, arrive ten minutes early",
            "opening_line": "Hi, it's my first time here",
            "predicted_anxiety": "70",
            "feared_outcome": "Nobody talks to me",
            "what_to_expect": "ignored: not the client's to write",
        },
    )

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/me/plans/{plan.pk}/"
    assert plan.when == THURSDAY_EVENING
    assert (plan.client, plan.resource, plan.author) == (world.client, resource, world.client.user)
    assert plan.status == Plan.Status.PLANNED
    assert plan.predicted_anxiety == 70
    assert plan.opening_line == "Hi, it's my first time here"
    assert plan.what_to_expect == ""
    assert AuditEvent.objects.filter(
        action="create", target=f"plan:{plan.pk}", actor=world.client.user
    ).exists()


def test_dated_meetings_from_a_feed_are_offered_and_past_ones_are_not(world, monday):
    resource = make_resource(world.practice, weekday=None, start_time=None, kind="event")
    for moment in [
        local(2026, 11, 20, 18, 0),
        local(2026, 12, 5, 10, 0),
        local(2026, 11, 28, 10, 0),
    ]:
        ResourceOccurrence.objects.create(resource=resource, start=moment)

    form = world.as_("client").get(f"/me/groups/{resource.pk}/plan/").context["form"]

    assert [value for value, _label in form.fields["when"].choices] == [
        as_choice(local(2026, 11, 28, 10, 0)),
        as_choice(local(2026, 12, 5, 10, 0)),
        "other",
    ]


def test_another_day_and_time_is_read_in_the_clients_time_zone(world, monday):
    """The therapist works in London; the client lives in New York: the plan is the client's."""
    world.therapist.user.time_zone = "Europe/London"
    world.therapist.user.save()
    resource = make_resource(world.practice, weekday=None, start_time=None)
    http = world.as_("therapist")

    response = http.post(
        f"/clients/{world.client.pk}/groups/{resource.pk}/plan/",
        {
            "when": "other",
            "other_date": "2026-11-28",
            "other_time": "10:00",
            "what_to_expect": "Someone meets newcomers at the door.",
        },
    )

    plan = Plan.objects.get()
    assert response["Location"] == f"/clients/{world.client.pk}/plans/{plan.pk}/"
    assert plan.when == local(2026, 11, 28, 10, 0)
    assert plan.what_to_expect == "Someone meets newcomers at the door."
    assert plan.author == world.therapist.user
    # Each sees the time in their own zone.
    therapist_page = http.get(response["Location"]).text
    assert "Saturday 28 November, 3 p.m." in therapist_page
    client_page = world.as_("client").get(f"/me/plans/{plan.pk}/").text
    assert "Saturday 28 November, 10 a.m." in client_page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"when": "other", "other_date": "2026-11-22", "other_time": "10:00"},
            "when",
            "Choose a time that has not passed yet.",
        ),
        (
            {"when": as_choice(local(2026, 11, 19, 19, 0))},  # last Thursday: not offered
            "when",
            "Select a valid choice.",
        ),
        ({"when": "other"}, "other_date", "Choose a day and a time."),
        (
            {"when": as_choice(THURSDAY_EVENING), "predicted_anxiety": "101"},
            "predicted_anxiety",
            "Ensure this value is less than or equal to 100.",
        ),
        (
            {"when": as_choice(THURSDAY_EVENING), "predicted_anxiety": "-1"},
            "predicted_anxiety",
            "Ensure this value is greater than or equal to 0.",
        ),
        ({}, "when", "This field is required."),
    ],
)
def test_a_bad_plan_is_not_saved(world, monday, data, field, message):
    resource = make_resource(world.practice)
    response = world.as_("client").post(f"/me/groups/{resource.pk}/plan/", data)

    assert response.status_code == 200
    [error] = response.context["form"].errors[field]
    assert error.startswith(message)
    assert "Please check these and try again:" in response.text
    assert not Plan.objects.exists()


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_a_resource_of_another_practice_is_not_found(world, monday, persona):
    elsewhere = make_resource(world.other_practice)
    url = (
        f"/me/groups/{elsewhere.pk}/plan/"
        if persona == "client"
        else f"/clients/{world.client.pk}/groups/{elsewhere.pk}/plan/"
    )
    http = world.as_(persona)

    assert http.get(url).status_code == 404
    assert http.post(url, {"when": as_choice(THURSDAY_EVENING)}).status_code == 404
    assert not Plan.objects.exists()


def test_the_service_checks_the_rules_again(world, monday):
    resource = make_resource(world.practice)
    create = {"client": world.client, "author": world.client.user, "ip": None}

    with pytest.raises(ValidationError) as past:
        plan_services.plan_create(resource=resource, when=local(2026, 11, 22, 10, 0), **create)
    assert list(past.value.message_dict) == ["when"]

    with pytest.raises(ValidationError) as too_anxious:
        plan_services.plan_create(
            resource=resource, when=THURSDAY_EVENING, predicted_anxiety=101, **create
        )
    assert list(too_anxious.value.message_dict) == ["predicted_anxiety"]

    with pytest.raises(ValidationError) as elsewhere:
        plan_services.plan_create(
            resource=make_resource(world.other_practice), when=THURSDAY_EVENING, **create
        )
    assert list(elsewhere.value.message_dict) == ["resource"]

    with pytest.raises(TypeError):
        plan_services.plan_create(resource=resource, when=THURSDAY_EVENING, status="went", **create)
    assert not Plan.objects.exists()


# The bridge ---------------------------------------------------------------------------------


def test_the_bridge_page_shows_what_to_expect_and_the_clients_preparation(world, monday):
    plan = make_plan(
        world,
        what_to_expect="Ask for Sam at the door; newcomers sit with a host.",
        arrival_plan="Bus at 18:30",
        opening_line="Hi, it's my first time here",
        predicted_anxiety=70,
    )

    page = world.as_("client").get(f"/me/plans/{plan.pk}/")

    assert page.status_code == 200
    text = page.text
    for detail in [
        "Your plan: Board games night",
        "Thursday 26 November, 7 p.m.",
        "Cooperative board games for beginners",
        "Step-free entrance; quiet room available",
        "8–12 people",
        "Riverside Library, 12 Mill Lane",
        'href="https://example.org/board-games"',
        "From your therapist:",
        "Ask for Sam at the door; newcomers sit with a host.",
        "Bus at 18:30",
        "Hi, it&#x27;s my first time here",
        'value="70"',
    ]:
        assert detail in text, detail
    # Before the time: the preparation is editable and "I went" is not offered yet.
    assert "Save: I went" not in text
    assert "Can’t go this time?" in text


def test_the_client_updates_their_preparation_but_not_the_therapists_note(world, monday):
    plan = make_plan(world, what_to_expect="A note from Tara")

    response = world.as_("client").post(
        f"/me/plans/{plan.pk}/",
        {"arrival_plan": "Walk there with my sister", "predicted_anxiety": "55"},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.arrival_plan, plan.predicted_anxiety) == ("Walk there with my sister", 55)
    assert plan.what_to_expect == "A note from Tara"

    bad = world.as_("client").post(f"/me/plans/{plan.pk}/", {"predicted_anxiety": "101"})
    assert bad.status_code == 200
    assert bad.context["before_form"].errors["predicted_anxiety"]
    plan.refresh_from_db()
    assert plan.predicted_anxiety == 55


def test_the_care_teams_looks_are_audited(world, monday):
    plan = make_plan(world)
    http = world.as_("therapist")

    assert http.get(f"/clients/{world.client.pk}/plans/{plan.pk}/").status_code == 200
    assert http.get(f"/clients/{world.client.pk}/plans/").status_code == 200

    views = AuditEvent.objects.filter(action="view", actor=world.therapist.user)
    assert set(views.values_list("target", flat=True)) >= {
        f"plan:{plan.pk}",
        f"client:{world.client.pk}",
    }


def test_another_clients_plan_is_not_found_through_this_clients_record(world, monday):
    other = Plan.objects.create(
        client=world.other_client,
        resource=make_resource(world.practice),
        author=world.other_client.user,
        when=THURSDAY_EVENING,
    )
    http = world.as_("therapist")

    assert http.get(f"/clients/{world.client.pk}/plans/{other.pk}/").status_code == 404
    assert (
        http.post(f"/clients/{world.client.pk}/plans/{other.pk}/report/", {"went": "no"})
    ).status_code == 404
    assert world.as_("client").get(f"/me/plans/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.status == Plan.Status.PLANNED


# After: how it went ------------------------------------------------------------------------


def test_going_counts_toward_a_goal_and_is_a_win_on_both_sides(world, time_machine):
    goal = goal_create(
        client=world.client,
        author=world.therapist.user,
        title="Attend one social event per month",
        cadence_count=1,
        cadence_period="month",
        counts_kind="community.plan.went",
        ip=None,
    )
    plan = make_plan(world, predicted_anxiety=70)
    time_machine.move_to(local(2026, 11, 26, 21, 30), tick=False)
    http = world.as_("client")

    page = http.get(f"/me/plans/{plan.pk}/").text
    assert "How did it go?" in page
    assert "Save: I went" in page

    response = http.post(
        f"/me/plans/{plan.pk}/report/",
        {
            "went": "yes",
            "actual_anxiety": "40",
            "enjoyment": "7",
            "talked_to_someone": "yes",
            "reflection": "Sam taught me a new game",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/me/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert plan.status == Plan.Status.WENT
    assert (plan.actual_anxiety, plan.enjoyment, plan.talked_to_someone) == (40, 7, True)
    assert plan.reported == local(2026, 11, 26, 21, 30)
    wins = dict(Win.objects.filter(client=world.client).values_list("source", "text"))
    assert wins == {
        f"target:{goal.pk}:2026-11-01": "Target met: “Attend one social event per month” "
        "this month",
        "first:community.plan.went": "A first: you went to a planned group or event",
    }
    report_page = http.get(response["Location"]).text
    assert "You went. That took courage, and it counts." in report_page
    assert "You expected your anxiety to be about 70 out of 100, and it was 40." in report_page
    assert "It was easier than you feared." in report_page

    goals_page = http.get("/me/goals/").text
    assert "A first: you went to a planned group or event" in goals_page
    assert "Target met: “Attend one social event per month” this month" in goals_page
    assert "Done 1 time this month — target met" in goals_page
    therapist_goals = world.as_("therapist").get(f"/clients/{world.client.pk}/goals/").text
    # The care team reads the first about the client by name, not in the client's voice.
    assert "A first: Casey went to a planned group or event" in therapist_goals
    assert "A first: you" not in therapist_goals
    # Reporting again (a correction) adds no second win.
    http.post(f"/me/plans/{plan.pk}/report/", {"went": "yes", "actual_anxiety": "35"})
    assert Win.objects.filter(client=world.client).count() == 2


def test_the_happening_is_the_plans_time_with_only_the_kind_of_group(world, time_machine):
    went = make_plan(
        world,
        reflection="private words",
        status=Plan.Status.WENT,
        predicted_anxiety=70,
        actual_anxiety=40,
    )
    make_plan(world, status=Plan.Status.DID_NOT_GO, when=local(2026, 11, 27, 19, 0))
    make_plan(world, when=local(2026, 11, 28, 19, 0))  # not reported

    found = happenings.happenings(
        client_ids=[world.client.pk], start=local(2026, 11, 1), end=local(2026, 12, 1)
    )

    assert found == [
        happenings.Happening(
            "community.plan.went",
            world.client.pk,
            THURSDAY_EVENING,
            "Group",
            f"community.plan:{went.pk}",
            # What it was at and the anxiety expected and felt, for a fear ladder's rung
            # (skills reads them through the registry; the words stay here).
            about=f"community.resource:{went.resource_id}",
            numbers={"expected_suds": 70, "peak_suds": 40},
            # A group meets in person: a rehearsal in the "club" setting prepared for it.
            setting="club",
        )
    ]
    assert happenings.kinds()["community.plan.went"] == "went to a planned group or event"


def test_the_event_starting_point_counts_plans_attended(world):
    form = world.as_("client").get("/me/goals/new/", {"start": "event"}).context["form"]
    assert form.initial["counts_kind"] == "community.plan.went"
    assert "community.plan.went" in dict(form.fields["counts_kind"].choices)


def test_a_plan_attended_late_in_the_evening_counts_for_the_clients_own_month(world, time_machine):
    """23:30 on 30 November in New York is already December in UTC."""
    goal = goal_create(
        client=world.client,
        author=world.client.user,
        title="Attend one social event per month",
        cadence_count=1,
        cadence_period="month",
        counts_kind="community.plan.went",
        ip=None,
    )
    plan = make_plan(world, when=local(2026, 11, 30, 23, 30))
    time_machine.move_to(local(2026, 12, 1, 9, 0), tick=False)

    world.as_("client").post(f"/me/plans/{plan.pk}/report/", {"went": "yes"})

    assert Win.objects.filter(source=f"target:{goal.pk}:2026-11-01").exists()
    assert not Win.objects.filter(source=f"target:{goal.pk}:2026-12-01").exists()


def test_going_cannot_be_reported_before_the_time(world, monday):
    plan = make_plan(world)

    response = world.as_("client").post(f"/me/plans/{plan.pk}/report/", {"went": "yes"})

    assert response.status_code == 200
    assert "This plan’s time has not come yet." in response.text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PLANNED
    assert not Win.objects.exists()


@pytest.mark.parametrize(
    ("online", "address", "suggestion"),
    [
        (False, "Riverside Library", "Walk past the venue at the same time next week"),
        (True, "", "Look at their page again with your therapist"),
    ],
)
def test_not_going_offers_a_smaller_step(world, time_machine, online, address, suggestion):
    plan = make_plan(world, resource=make_resource(world.practice, online=online, address=address))
    time_machine.move_to(local(2026, 11, 27, 9, 0), tick=False)
    http = world.as_("client")

    page = http.get(f"/me/plans/{plan.pk}/")
    assert page.context["missed_form"].initial["smaller_step"] == suggestion
    assert f'value="{suggestion}"' in page.text

    response = http.post(
        f"/me/plans/{plan.pk}/report/",
        {"went": "no", "obstacle": "I felt too tired after work", "smaller_step": ""},
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DID_NOT_GO
    assert plan.obstacle == "I felt too tired after work"
    assert plan.smaller_step == suggestion  # blank: the offered step
    text = http.get(f"/me/plans/{plan.pk}/").text
    assert "Not this time, and that’s OK" in text
    assert "A smaller next step:" in text
    assert suggestion in text
    assert "Plan another time" in text
    assert not Win.objects.exists()


def test_the_client_can_write_their_own_smaller_step(world, time_machine):
    plan = make_plan(world)
    time_machine.move_to(local(2026, 11, 27, 9, 0), tick=False)

    world.as_("client").post(
        f"/me/plans/{plan.pk}/report/",
        {"went": "no", "obstacle": "Rain", "smaller_step": "Message the organiser first"},
    )

    plan.refresh_from_db()
    assert plan.smaller_step == "Message the organiser first"


def test_the_care_team_reports_with_the_client_in_session(world, time_machine):
    plan = make_plan(world)
    time_machine.move_to(local(2026, 11, 30, 10, 0), tick=False)

    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/plans/{plan.pk}/report/",
        {"went": "yes", "actual_anxiety": "30", "enjoyment": "6", "talked_to_someone": "no"},
    )

    assert response["Location"] == f"/clients/{world.client.pk}/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.status, plan.talked_to_someone) == (Plan.Status.WENT, False)
    assert AuditEvent.objects.filter(
        action="update", target=f"plan:{plan.pk}", actor=world.therapist.user
    ).exists()
    assert Win.objects.filter(client=world.client, source="first:community.plan.went").exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"went": "maybe"},
        {"went": "yes", "actual_anxiety": "101"},
        {"went": "yes", "enjoyment": "11"},
    ],
)
def test_a_bad_report_changes_nothing(world, time_machine, data):
    plan = make_plan(world)
    time_machine.move_to(local(2026, 11, 27, 9, 0), tick=False)

    response = world.as_("client").post(f"/me/plans/{plan.pk}/report/", data)

    assert response.status_code == 200
    assert "Please check these and try again:" in response.text
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PLANNED
    assert plan.reported is None


# The plans page and the in-person vs online balance ---------------------------------------


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_balance_counts_plans_attended_in_person_and_online(world, monday, persona):
    in_person = make_resource(world.practice)
    online_flag = make_resource(world.practice, name="Sci-fi readers", online=True, address="")
    online_kind = make_resource(world.practice, name="Forum", kind=Resource.Kind.ONLINE)
    for days in (1, 2, 3):
        make_plan(world, in_person, when=local(2026, 11, 1 + days, 19, 0), status=Plan.Status.WENT)
    make_plan(world, online_flag, when=local(2026, 11, 10, 19, 0), status=Plan.Status.WENT)
    make_plan(world, online_kind, when=local(2026, 11, 11, 19, 0), status=Plan.Status.DID_NOT_GO)
    make_plan(world, in_person, when=local(2026, 11, 12, 19, 0))  # not reported
    make_plan(world, in_person)  # coming up on Thursday

    assert plan_selectors.balance(client=world.client) == plan_selectors.Balance(3, 1)
    url = "/me/plans/" if persona == "client" else f"/clients/{world.client.pk}/plans/"
    text = world.as_(persona).get(url).text

    assert "4 plans attended: 3 in person, 1 online." in text
    assert '<meter class="progress" min="0" max="4" value="3"' in text
    assert "Thursday 26 November, 7 p.m." in text  # coming up
    assert ("How did it go?" if persona == "client" else "Not reported yet") in text
    assert "Not this time" in text


def test_no_plans_attended_yet_is_said_kindly(world, monday):
    text = world.as_("client").get("/me/plans/").text
    assert "in person and online both count" in text
    assert "<meter" not in text


def fill(world, resource, numbers):
    Plan.objects.bulk_create(
        Plan(
            client=world.client,
            resource=resource,
            author=world.client.user,
            when=local(2026, 1, 1, 19, 0) + datetime.timedelta(days=number),
            status=[Plan.Status.WENT, Plan.Status.DID_NOT_GO, Plan.Status.PLANNED][number % 3],
        )
        for number in numbers
    )


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_plans_page_query_count_is_constant(
    world, monday, persona, django_assert_max_num_queries
):
    resources = [make_resource(world.practice, name=f"Group {n}") for n in range(3)]
    url = "/me/plans/" if persona == "client" else f"/clients/{world.client.pk}/plans/"
    http = world.as_(persona)
    # Measured: session, user, who they are (4, the client record included); upcoming plans,
    # the page's count, the balance, the page's rows; the session save (3); for the therapist,
    # the audit event (3: lock the hash chain's head, insert, move the head). The same for
    # 6 plans and for 51.
    bound = 14 if persona == "therapist" else 11
    for resource in resources:
        fill(world, resource, range(2))  # 6 plans
    with django_assert_max_num_queries(bound):
        assert http.get(url).status_code == 200

    for resource in resources:
        fill(world, resource, range(2, 17))  # 51 plans
    with django_assert_max_num_queries(bound):
        response = http.get(url)
    assert response.text.count('<li class="card">') == 20  # one page of earlier plans


# Today and the reminder -------------------------------------------------------------------


def today(world) -> str:
    return world.as_("client").get("/today/").text


def test_today_shows_the_plan_on_its_day_then_asks_how_it_went(world, time_machine):
    """20:00 on Thursday in New York is 01:00 on Friday in UTC: the plan is Thursday's."""
    plan = make_plan(world, when=local(2026, 11, 26, 20, 0))

    time_machine.move_to(local(2026, 11, 25, 10, 0), tick=False)  # the day before
    assert "Your plan: Board games night" not in today(world)

    time_machine.move_to(local(2026, 11, 26, 10, 0), tick=False)  # the day
    page = today(world)
    assert "Your plan: Board games night" in page
    assert "Today at 8 p.m." in page
    assert f'href="/me/plans/{plan.pk}/"' in page
    assert "How did it go?" not in page

    time_machine.move_to(local(2026, 11, 26, 22, 0), tick=False)  # after, still Thursday
    page = today(world)
    assert "How did it go?" in page
    assert "Your plan: Board games night" not in page

    time_machine.move_to(local(2026, 11, 28, 10, 0), tick=False)  # days later
    page = today(world)
    assert "How did it go?" in page
    assert "Board games night, Thu 26 Nov" in page

    world.as_("client").post(f"/me/plans/{plan.pk}/report/", {"went": "no"})
    assert "How did it go?" not in today(world)


def test_an_unreported_plan_stops_asking_after_two_weeks(world, time_machine):
    plan = make_plan(world)
    time_machine.move_to(local(2026, 12, 10, 10, 0), tick=False)
    assert "How did it go?" in today(world)
    time_machine.move_to(local(2026, 12, 11, 10, 0), tick=False)
    assert "How did it go?" not in today(world)
    assert "How did it go?" in world.as_("client").get("/me/plans/").text  # still there
    assert plan.status == Plan.Status.PLANNED


def test_the_reminder_on_the_day_carries_no_clinical_text(world, time_machine):
    make_plan(
        world,
        when=local(2026, 11, 26, 20, 0),
        feared_outcome="Everyone stares at me",
        opening_line="Hi there",
    )
    time_machine.move_to(local(2026, 11, 26, 9, 0), tick=False)

    assert reminders.send_reminder.call(client_id=world.client.pk, day="2026-11-26") is True

    body = mail.outbox[0].subject + mail.outbox[0].body
    for secret in ["Board games", "Everyone stares", "Hi there", "anxious", "Library"]:
        assert secret not in body
