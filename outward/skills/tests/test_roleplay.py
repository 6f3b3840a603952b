"""Role-play and rehearsal (issue 10): the scenario library file, practice scenarios and
adaptations, the scenario list's suggestions and filters, a role-play on the shared screen,
a rehearsal alone on the phone, happenings (cadences, wins) and the rehearsal history with
what was since faced for real."""

import datetime
import json
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.community.models import Interest, InterestChoice, InterestProfile, Plan, Resource
from outward.goals import services as goal_services
from outward.goals.models import Win
from outward.skills import scenarios
from outward.skills.models import Rehearsal, Scenario, ScenarioAdaptation, Setting
from outward.skills.roleplay import selectors, services

from .helpers import make_ladder, make_rung

SCENARIO_FIELDS = {
    "title": "Meeting at the allotment",
    "setting": "neighbours",
    "intensity": 2,
    "situation": "You are both **watering** plants.",
    "aim": "Say hello.",
    "role_card": "You grow beans.",
    "warm": "You chat.",
    "neutral": "You nod.",
    "busy": "You are on the phone.",
    "opening_lines": "Hello!\nNice beans.",
    "debrief_questions": "How was it?",
}


def _scenario(world, **changes) -> Scenario:
    return services.practice_scenario_create(
        practice=world.practice, author=world.therapist.user, **(SCENARIO_FIELDS | changes)
    )


def _rehearse(client, key="first-class-arrival", when=None, **fields):
    text = scenarios.library().get(key)
    values = {
        "mode": Rehearsal.Mode.ALONE,
        "scenario_key": key,
        "setting": text.setting if text else "club",
        "confidence_before": 3,
        "confidence_after": 6,
    } | fields
    if when is not None:
        values["occurred"] = when
    return services.rehearsal_record(client=client, author=client.user, ip=None, **values)


# The library file ---------------------------------------------------------------------------


def test_the_library_covers_every_situation_the_issue_names():
    library = scenarios.library()
    assert len(library) >= 15
    assert {text.setting for text in library.values()} == set(Setting.values)
    assert {text.intensity for text in library.values()} == {1, 2, 3, 4, 5}
    for text in library.values():
        assert 2 <= len(text.opening_lines) <= 4 and text.debrief
        assert all([text.warm, text.neutral, text.busy, text.role_card, text.aim])
    for key in [
        "first-class-arrival",
        "first-club-meeting",
        "join-a-conversation",
        "shared-task-small-talk",
        "meet-again",
        "colleague-coffee",
        "reconnect-by-message",
        "online-first-reply",
        "online-to-in-person",
        "share-a-little",
        "handle-a-silence",
        "say-no-kindly",
        "leave-kindly",
        "recover-after-stumble",
    ]:
        assert key in library


def test_a_broken_library_file_names_the_scenario(tmp_path, monkeypatch):
    data = json.loads(scenarios.FILE.read_text(encoding="utf-8"))
    data["scenarios"][1]["key"] = data["scenarios"][0]["key"]
    broken = tmp_path / "scenarios.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(scenarios, "FILE", broken)
    scenarios.library.cache_clear()
    try:
        with pytest.raises(ValueError, match="unique key"):
            scenarios.library()
    finally:
        scenarios.library.cache_clear()


# Practice scenarios and adaptations -----------------------------------------------------------


def test_a_therapist_writes_a_scenario_and_its_markdown_is_safe(world):
    http = world.as_("colleague")
    response = http.post(
        reverse("skills:practice_scenario_create"),
        SCENARIO_FIELDS | {"situation": "<script>alert(1)</script> **bold**"},
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.practice == world.practice and scenario.author == world.colleague.user
    page = world.as_("therapist").get(
        reverse("skills:scenario_play", args=[world.client.pk, scenario.key])
    )
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<strong>bold</strong>" in page.text


def test_bad_input_changes_nothing(world):
    scenario = _scenario(world)
    url = reverse("skills:practice_scenario_edit", args=[scenario.pk])
    response = world.as_("therapist").post(url, SCENARIO_FIELDS | {"intensity": "9", "title": ""})
    assert response.status_code == 200
    assert "This field is required." in response.text
    scenario.refresh_from_db()
    assert scenario.title == SCENARIO_FIELDS["title"] and scenario.intensity == 2


def test_another_practices_scenario_is_missing(world):
    scenario = _scenario(world)
    stranger = world.as_("stranger")
    assert (
        stranger.get(reverse("skills:practice_scenario_edit", args=[scenario.pk])).status_code
        == 404
    )
    other = world.as_("therapist")
    assert (
        other.get(
            reverse("skills:scenario_play", args=[world.client.pk, "practice:999"])
        ).status_code
        == 404
    )
    assert (
        other.get(reverse("skills:scenario_play", args=[world.client.pk, "no-such"])).status_code
        == 404
    )


def test_an_adaptation_replaces_only_what_was_filled_in(world):
    url = reverse("skills:scenario_adapt", args=[world.client.pk, "neighbour-hello"])
    response = world.as_("therapist").post(
        url,
        {"situation": "", "aim": "Say hello to Mrs Patel.", "role_card": "", "opening_lines": ""},
    )
    assert response.status_code == 302
    row = ScenarioAdaptation.objects.get()
    assert row.client == world.client
    assert AuditEvent.objects.filter(
        target=f"scenarioadaptation:{row.pk}", action="create"
    ).exists()
    text = selectors.scenario_for_client(
        client=world.client, viewer=world.client.user, key="neighbour-hello"
    )
    original = scenarios.library()["neighbour-hello"]
    assert text.aim == "Say hello to Mrs Patel." and text.adapted
    assert text.situation == original.situation and text.opening_lines == original.opening_lines
    page = world.as_("client").get(reverse("skills:my_scenario_rehearse", args=["neighbour-hello"]))
    assert "Say hello to Mrs Patel." in page.text


# The scenario list ---------------------------------------------------------------------------


def test_the_ladder_rung_and_the_clients_groups_come_first(world):
    ladder = make_ladder(world.client)
    make_rung(ladder, "Go to a class", suds=80)  # intensity 5
    resource = Resource.objects.create(practice=world.practice, name="Forum", kind="online")
    interest = Interest.objects.get(key="photography")  # in the taxonomy (taxonomy.NARROWER)
    resource.interests.add(interest)
    profile = InterestProfile.objects.create(client=world.client)
    InterestChoice.objects.create(profile=profile, interest=interest)
    found = selectors.scenario_choices(client=world.client, viewer=world.therapist.user)
    assert found.level == 5 and found.hinted == {"online"}
    first = found.choices[0]
    assert first.suggested
    suggested = [c for c in found.choices if c.suggested]
    assert {c.text.key for c in suggested} >= {"ask-in-class", "online-first-reply"}
    assert all(c.suggested for c in found.choices[: len(suggested)])


def test_the_list_filters_by_setting_and_intensity(world):
    _scenario(world)
    http = world.as_("therapist")
    url = reverse("skills:scenarios", args=[world.client.pk])
    response = http.get(url, {"setting": "neighbours", "intensity": "2"})
    assert "Meeting at the allotment" in response.text
    assert "Saying no kindly" in response.text
    assert "Arriving at the first class" not in response.text
    assert http.get(url, {"setting": "nowhere", "intensity": "x"}).status_code == 200


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_scenario_list_costs_the_same_for_few_or_many(
    world, persona, django_assert_max_num_queries
):
    url = (
        reverse("skills:my_scenarios")
        if persona == "client"
        else reverse("skills:scenarios", args=[world.client.pk])
    )
    http = world.as_(persona)
    _scenario(world)
    http.get(url)
    with django_assert_max_num_queries(20) as few:
        assert http.get(url).status_code == 200
    for n in range(30):
        _scenario(world, title=f"Scenario {n}")
    for key in list(scenarios.library())[:5]:
        services.scenario_adapt(
            client=world.client,
            actor=world.therapist.user,
            scenario_key=key,
            ip=None,
            situation="",
            aim="Adapted",
            role_card="",
            opening_lines="",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert http.get(url).status_code == 200


# In session, and alone -------------------------------------------------------------------------


def test_two_clicks_from_the_skills_tab_to_a_role_play(world):
    http = world.as_("therapist")
    skills = http.get(reverse("skills:skills", args=[world.client.pk])).text
    scenarios_url = reverse("skills:scenarios", args=[world.client.pk])
    assert f'href="{scenarios_url}"' in skills
    listing = http.get(scenarios_url).text
    play = reverse("skills:scenario_play", args=[world.client.pk, "first-class-arrival"])
    assert f'href="{play}"' in listing


def test_the_shared_screen_shows_no_notes_or_navigation(world):
    page = world.as_("therapist").get(
        reverse("skills:scenario_play", args=[world.client.pk, "first-class-arrival"])
    )
    assert page.status_code == 200
    assert "PRIVATE-NOTE-TEXT" not in page.text
    assert reverse("care:caseload") not in page.text
    assert "Swap roles" in page.text and "played by the therapist" in page.text


def test_a_role_play_is_saved_with_roles_and_time(world):
    started = int(time.time()) - 300
    url = reverse("skills:scenario_debrief", args=[world.client.pk, "colleague-coffee"])
    response = world.as_("therapist").post(
        url,
        {
            "started": started,
            "plays": "self",
            "swapped": "True",
            "confidence_before": "3",
            "confidence_after": "7",
            "went_well": "Asked clearly",
            "next_time": "Suggest a day",
        },
    )
    assert response.status_code == 302
    rehearsal = Rehearsal.objects.get()
    assert rehearsal.mode == "in_session" and rehearsal.roles == "both"
    assert rehearsal.setting == "workplace" and 300 <= rehearsal.seconds < 400
    assert rehearsal.author == world.therapist.user
    assert AuditEvent.objects.filter(target=f"rehearsal:{rehearsal.pk}", action="create").exists()


def test_choosing_who_plays_whom_is_not_a_swap(world):
    http = world.as_("therapist")
    url = reverse("skills:scenario_play", args=[world.client.pk, "colleague-coffee"])
    page = http.get(url, {"plays": "other", "swapped": "0", "started": int(time.time()) - 60})
    assert 'aria-current="true">the other person' in page.text
    assert "Roles swapped." not in page.text
    debrief = page.context["debrief_query"]
    assert "plays=other&swapped=0" in debrief
    swap = page.context["swap_query"]
    assert swap.startswith("plays=self&swapped=1")


@pytest.mark.parametrize(
    "bad", [{"confidence_after": "11"}, {"started": "soon"}, {"plays": "director"}]
)
def test_a_bad_debrief_saves_nothing_and_says_why(world, bad):
    url = reverse("skills:scenario_debrief", args=[world.client.pk, "colleague-coffee"])
    data = {
        "started": int(time.time()),
        "plays": "other",
        "confidence_before": "3",
        "confidence_after": "7",
    }
    response = world.as_("therapist").post(url, data | bad)
    assert response.status_code == 200
    assert "data-error-summary" in response.text
    assert not Rehearsal.objects.exists()


def test_the_client_rehearses_alone(world):
    url = reverse("skills:my_scenario_rehearse", args=["neighbour-hello"])
    http = world.as_("client")
    page = http.get(url)
    assert "three times" in page.text
    response = http.post(
        url,
        {
            "times_said": "3",
            "confidence_before": "2",
            "confidence_after": "5",
            "next_time": "Wave first",
        },
    )
    assert response.status_code == 302
    rehearsal = Rehearsal.objects.get()
    assert (rehearsal.mode, rehearsal.times_said, rehearsal.scenario_key) == (
        "alone",
        3,
        "neighbour-hello",
    )
    assert rehearsal.author == world.client.user and rehearsal.setting == "neighbours"


# Happenings: cadences and wins ------------------------------------------------------------------


def test_rehearsals_are_happenings_that_count_and_win(world):
    goal = goal_services.goal_create(
        client=world.client,
        author=world.therapist.user,
        title="Practise a conversation twice a week",
        cadence_count=2,
        cadence_period="week",
        counts_kind=selectors.REHEARSAL,
        steps=[],
        ip=None,
    )
    assert selectors.REHEARSAL in happenings.kinds()
    _rehearse(world.client)
    _rehearse(world.client)
    _rehearse(world.client, key="leave-kindly")
    wins = set(Win.objects.filter(client=world.client).values_list("source", flat=True))
    assert "skills.scenario:first-class-arrival" in wins and "skills.scenario:leave-kindly" in wins
    assert f"first:{selectors.REHEARSAL}" in wins
    assert any(source.startswith(f"target:{goal.pk}:") for source in wins)
    now = timezone.now()
    found = happenings.happenings(
        client_ids=[world.client.pk],
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=1),
        kinds=[selectors.REHEARSAL],
    )
    assert len(found) == 3 and found[0].numbers == {"confidence_before": 3, "confidence_after": 6}


# The history -----------------------------------------------------------------------------------


def _went(world, resource, when):
    return Plan.objects.create(
        client=world.client,
        author=world.client.user,
        resource=resource,
        when=when,
        status=Plan.Status.WENT,
    )


def test_a_rehearsal_followed_by_a_plan_in_the_same_setting_was_faced(world):
    now = timezone.now()
    _rehearse(world.client, "first-class-arrival", when=now - datetime.timedelta(days=5))
    _rehearse(world.client, "colleague-coffee", when=now - datetime.timedelta(days=5))
    pottery = Resource.objects.create(practice=world.practice, name="Pottery", kind="class")
    _went(world, pottery, now - datetime.timedelta(days=2))
    for persona, url in [
        ("therapist", reverse("skills:rehearsals", args=[world.client.pk])),
        ("client", reverse("skills:my_rehearsals")),
    ]:
        page = world.as_(persona).get(url).text
        assert page.count("Faced for real on") == 1
        assert "A class or course: rehearsed" in page
        assert "<svg" in page and "<table" in page


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_history_costs_the_same_for_3_or_30(world, persona, django_assert_max_num_queries):
    url = (
        reverse("skills:my_rehearsals")
        if persona == "client"
        else reverse("skills:rehearsals", args=[world.client.pk])
    )
    http = world.as_(persona)
    now = timezone.now()
    pottery = Resource.objects.create(practice=world.practice, name="Pottery", kind="class")
    practice_scenario = _scenario(world)

    def fill(count):
        for n in range(count):
            key = practice_scenario.key if n % 2 else "first-class-arrival"
            _rehearse(world.client, key, when=now - datetime.timedelta(days=n + 1))
            _went(world, pottery, now - datetime.timedelta(hours=n))

    fill(3)
    http.get(url)
    with django_assert_max_num_queries(20) as few:
        assert http.get(url).status_code == 200
    fill(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = http.get(url)
    assert response.text.count('class="card stack rehearsal"') == selectors.HISTORY_PAGE


@pytest.mark.parametrize(
    "name",
    ["skills:scenarios", "skills:scenario_play", "skills:scenario_adapt", "skills:rehearsals"],
)
def test_the_care_teams_looks_are_audited(world, name):
    args = [world.client.pk] + (["first-class-arrival"] if "scenario_" in name else [])
    assert world.as_("therapist").get(reverse(name, args=args)).status_code == 200
    assert AuditEvent.objects.filter(
        client=world.client, actor=world.therapist.user, action="view"
    ).exists()


def test_the_client_finds_rehearsal_from_today(world):
    page = world.as_("client").get(reverse("care:today")).text
    assert reverse("skills:my_scenarios") in page


def test_an_exposure_at_an_example_rung_is_faced_in_its_areas_setting(world):
    from outward.skills import services as skill_services
    from outward.skills.models import Rung

    now = timezone.now()
    _rehearse(world.client, "colleague-coffee", when=now - datetime.timedelta(days=3))
    rung = make_rung(
        make_ladder(world.client),
        "Say good morning to a colleague",
        source=Rung.Source.LIBRARY,
        source_ref="library:work-greet",
    )
    skill_services.exposure_log(
        rung=rung,
        author=world.client.user,
        ip=None,
        occurred=now - datetime.timedelta(days=1),
        prediction="They will ignore me",
        likelihood=60,
        expected_suds=40,
        suds_peak=30,
    )
    page = world.as_("therapist").get(reverse("skills:rehearsals", args=[world.client.pk])).text
    assert "Faced for real on" in page and "a ladder step" in page


def test_a_resources_setting():
    from outward.community.models import resource_setting

    assert resource_setting("class", False) == "class"
    assert resource_setting("group", False) == "club"
    assert resource_setting("event", False) == "club"
    assert resource_setting("class", True) == "online"
    assert resource_setting("online", False) == "online"


def test_a_rehearsal_saved_twice_from_one_form_is_saved_once(world):
    from outward.tests.test_create_once import form_token

    http = world.as_("client")
    url = reverse("skills:my_scenario_rehearse", args=["neighbour-hello"])
    data = {"times_said": "3", "confidence_before": "2", "confidence_after": "5"}
    data["form_token"] = form_token(http.get(url).text)
    first, again = http.post(url, data), http.post(url, data)
    assert first.status_code == again.status_code == 302
    assert Rehearsal.objects.count() == 1
