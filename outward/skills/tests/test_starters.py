"""Conversation starters: Outward's bank, a setting's starters level by level with the next
level suggested, favourites and one's own, rehearsing one alone, the practice's bank, and the
plan's opening line picked from them with "did you use it?" feeding back to the starter."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.community.models import Plan, Resource
from outward.community.plans import selectors as plan_selectors
from outward.community.plans import services as plan_services
from outward.conftest import make_client
from outward.skills.models import (
    FavouriteStarter,
    Openness,
    OwnStarter,
    Rehearsal,
    Setting,
    Starter,
)
from outward.skills.starters import library, selectors, services

CLUB_HELLO = "club-new-here"  # level 1, club
CLUB_STORY = "club-grandad"  # level 3, club


def rehearse(client, key, **extra):
    fields = {
        "times_said": 3,
        "confidence_before": 3,
        "confidence_after": 6,
        "next_time": "",
    } | extra
    return services.starter_rehearse(client=client, author=client.user, key=key, ip=None, **fields)


def practice_starter(world, text="Hello, is this the beginners' table?", **extra):
    fields = {"setting": Setting.CLUB, "openness": 1} | extra
    return services.practice_starter_add(
        practice=world.practice, author=world.therapist.user, text=text, **fields
    )


# The bank ---------------------------------------------------------------------------------


def test_the_bank_has_starters_at_every_level_of_every_setting():
    bank = library.bank()
    assert len(bank) >= 60
    for setting in Setting.values:
        mine = [s for s in bank.values() if s.setting == setting]
        assert len(mine) >= library.AT_LEAST_PER_SETTING
        assert {s.openness for s in mine} == set(Openness.values)
    assert all(len(s.text) <= library.TEXT_MAX and ":" not in s.key for s in bank.values())


def _bank_refused(tmp_path, monkeypatch, starters, match):
    """Reading a bank file holding these starters fails with an error matching `match`."""
    data = json.loads(library.FILE.read_text(encoding="utf-8"))
    data["starters"] = starters(data["starters"])
    path = tmp_path / "starters.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(library, "FILE", path)
    library.bank.cache_clear()
    try:
        with pytest.raises(ValueError, match=match):
            library.bank()
    finally:
        monkeypatch.undo()
        library.bank.cache_clear()


@pytest.mark.parametrize(
    "broken",
    [
        {"key": "club-new-here", "setting": "club", "openness": 1, "text": "A second one"},
        {"key": "x-1", "setting": "pub", "openness": 1, "text": "Hello"},
        {"key": "x-2", "setting": "club", "openness": 5, "text": "Hello"},
        {"key": "practice:1", "setting": "club", "openness": 1, "text": "Hello"},
        {"key": "x-3", "setting": "club", "openness": 1, "text": ""},
    ],
)
def test_a_broken_bank_file_names_itself(tmp_path, monkeypatch, broken):
    _bank_refused(tmp_path, monkeypatch, lambda starters: [*starters, broken], "starters.json")


def test_a_setting_without_every_level_is_refused(tmp_path, monkeypatch):
    def without_club_4(starters):
        return [s for s in starters if (s["setting"], s["openness"]) != ("club", 4)]

    _bank_refused(tmp_path, monkeypatch, without_club_4, "'club' needs starters at every level")


def test_the_settings_are_the_words_community_uses():
    assert tuple(Setting.values) == happenings.CONVERSATION_SETTINGS


@pytest.mark.parametrize(
    ("kind", "online", "setting"),
    [
        ("class", False, "class"),
        ("club", False, "club"),
        ("group", False, "club"),
        ("event", False, "club"),
        ("online", False, "online"),
        ("class", True, "online"),
    ],
)
def test_a_directory_resource_maps_to_a_setting(kind, online, setting):
    resource = Resource(kind=kind, online=online)
    assert plan_selectors.resource_setting(resource.kind, resource.online) == setting
    assert setting in happenings.CONVERSATION_SETTINGS


# Browsing level by level -----------------------------------------------------------------


def test_a_new_client_is_offered_level_one_and_steps_up_after_rehearsing(world):
    http = world.as_("client")
    url = reverse("skills:my_starter_setting", args=["club"])
    page = http.get(url)
    assert page.status_code == 200
    assert page.context["view"].suggested == 1
    assert "Start with level 1" in page.content.decode()
    rehearse(world.client, CLUB_STORY)  # level 3
    page = http.get(url)
    view = page.context["view"]
    assert (view.reached, view.suggested) == (3, 4)
    assert [level.state for level in view.levels] == ["reached", "reached", "reached", "next"]
    assert "Try level 4" in page.content.decode()
    # Other settings are not moved by it.
    assert (
        http.get(reverse("skills:my_starter_setting", args=["class"])).context["view"].suggested
        == 1
    )


def test_an_unknown_setting_is_a_404(world):
    url = reverse("skills:my_starter_setting", args=["pub"])
    assert world.as_("client").get(url).status_code == 404


def test_the_practice_bank_reaches_its_own_clients_only(world):
    starter = practice_starter(world, text="PRACTICE-LINE: first time at the games table?")
    page = world.as_("client").get(reverse("skills:my_starter_setting", args=["club"]))
    assert "PRACTICE-LINE" in page.content.decode()
    stranger_starter = services.practice_starter_add(
        practice=world.other_practice,
        author=world.stranger.user,
        text="OTHER-PRACTICE-LINE",
        setting="club",
        openness=1,
    )
    assert "OTHER-PRACTICE-LINE" not in page.content.decode()
    url = reverse("skills:my_starter_rehearse", args=[stranger_starter.key])
    assert world.as_("client").get(url).status_code == 404
    assert (
        world.as_("client")
        .get(reverse("skills:my_starter_rehearse", args=[starter.key]))
        .status_code
        == 200
    )


def test_a_therapist_adds_to_the_bank_and_bad_input_changes_nothing(world):
    http = world.as_("colleague")  # any therapist of the practice, not only the care team
    url = reverse("skills:practice_starters")
    response = http.post(url, {"text": "", "setting": "club", "openness": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"text", "openness"}
    assert not Starter.objects.exists()
    response = http.post(
        url, {"text": "Which table is for beginners?", "setting": "club", "openness": "1"}
    )
    assert response.status_code == 302
    starter = Starter.objects.get()
    assert (starter.practice, starter.author) == (world.practice, world.colleague.user)
    assert "Which table is for beginners?" in http.get(url).content.decode()


# Favourites and one's own ------------------------------------------------------------------


def test_favourites_are_kept_once_and_let_go(world):
    http = world.as_("client")
    url = reverse("skills:my_starter_favourite")
    data = {"key": CLUB_HELLO, "favourite": "1", "back_to": "club"}
    response = http.post(url, data)
    assert response["Location"] == reverse("skills:my_starter_setting", args=["club"])
    http.post(url, data)
    assert list(FavouriteStarter.objects.values_list("starter_key", flat=True)) == [CLUB_HELLO]
    page = http.get(reverse("skills:my_starters"))
    assert [row.key for row in page.context["rows"]] == [CLUB_HELLO]
    http.post(url, {"key": CLUB_HELLO, "back_to": ""})
    assert not FavouriteStarter.objects.exists()
    assert AuditEvent.objects.filter(client=world.client, target__startswith="favouritestarter:")


def test_a_favourite_of_no_starter_is_refused_with_a_message(world):
    http = world.as_("client")
    response = http.post(
        reverse("skills:my_starter_favourite"), {"key": "no-such-starter", "favourite": "1"}
    )
    assert response.status_code == 302
    assert not FavouriteStarter.objects.exists()
    page = http.get(response["Location"])
    assert "not one you can use" in page.content.decode()


def test_an_own_starter_is_saved_as_a_favourite(world):
    http = world.as_("client")
    url = reverse("skills:my_own_starter_create")
    assert http.get(url + "?setting=online").context["form"].initial == {"setting": "online"}
    bad = http.post(url, {"text": " ", "setting": "pub", "openness": "0"})
    assert set(bad.context["form"].errors) == {"text", "setting", "openness"}
    assert not OwnStarter.objects.exists()
    response = http.post(url, {"text": "Hi, I'm Casey.", "setting": "online", "openness": "1"})
    own = OwnStarter.objects.get()
    assert response["Location"] == reverse("skills:my_starter_setting", args=["online"])
    assert FavouriteStarter.objects.get().starter_key == own.key
    page = http.get(reverse("skills:my_starters"))
    assert "your own words" in page.content.decode()


def test_another_clients_own_starter_is_not_yours(world):
    other = OwnStarter.objects.create(
        client=world.other_client,
        author=world.other_client.user,
        text="OLIVE-OWN",
        setting="club",
        openness=1,
    )
    http = world.as_("client")
    assert http.get(reverse("skills:my_starter_rehearse", args=[other.key])).status_code == 404
    http.post(reverse("skills:my_starter_favourite"), {"key": other.key, "favourite": "1"})
    assert not FavouriteStarter.objects.filter(client=world.client).exists()


# Rehearsing alone ----------------------------------------------------------------------------


def test_rehearsing_a_starter_alone_is_saved_with_its_setting_and_level(world):
    http = world.as_("client")
    url = reverse("skills:my_starter_rehearse", args=[CLUB_STORY])
    page = http.get(url)
    assert "The last time I played this was with my grandad" in page.content.decode()
    response = http.post(
        url,
        {
            "confidence_before": "2",
            "said": ["1", "2", "3"],
            "confidence_after": "7",
            "next_time": "Ask what game they'd teach me",
        },
    )
    assert response["Location"] == reverse("skills:my_starter_setting", args=["club"])
    rehearsal = Rehearsal.objects.get()
    assert (rehearsal.mode, rehearsal.starter_key, rehearsal.scenario_key) == (
        Rehearsal.Mode.ALONE,
        CLUB_STORY,
        "",
    )
    assert (rehearsal.setting, rehearsal.openness, rehearsal.times_said) == ("club", 3, 3)
    assert (rehearsal.confidence_before, rehearsal.confidence_after) == (2, 7)
    assert rehearsal.author == world.client.user
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, target=f"rehearsal:{rehearsal.pk}"
    ).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"confidence_before": "2", "confidence_after": "7"}, "said"),
        ({"confidence_before": "11", "said": ["1"], "confidence_after": "7"}, "confidence_before"),
        ({"confidence_before": "2", "said": ["4"], "confidence_after": "7"}, "said"),
        ({"said": ["1"], "confidence_after": "7"}, "confidence_before"),
    ],
)
def test_a_rehearsal_with_bad_input_says_why_and_saves_nothing(world, data, field):
    url = reverse("skills:my_starter_rehearse", args=[CLUB_HELLO])
    response = world.as_("client").post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Rehearsal.objects.exists()


def test_the_service_checks_the_rules_again(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        rehearse(world.client, CLUB_HELLO, times_said=0)
    with pytest.raises(ValidationError):
        rehearse(world.client, CLUB_HELLO, confidence_after=12)
    with pytest.raises(ValidationError):
        services.starter_rehearse(
            client=world.client,
            author=world.therapist.user,
            key=CLUB_HELLO,
            times_said=1,
            confidence_before=1,
            confidence_after=2,
            next_time="",
            ip=None,
        )
    assert not Rehearsal.objects.exists()


def test_the_therapist_sees_the_rehearsals_and_the_view_is_audited(world):
    rehearse(world.client, CLUB_HELLO, next_time="NEXT-TIME-WORDS")
    page = world.as_("therapist").get(reverse("skills:starters", args=[world.client.pk]))
    text = page.content.decode()
    assert "Hi, I&#x27;m new. Is it all right if I sit here?" in text
    assert "<td>3 → 6</td>" in text and "NEXT-TIME-WORDS" in text
    assert AuditEvent.objects.filter(
        client=world.client, actor=world.therapist.user, action=AuditEvent.Action.VIEW
    ).exists()


# Plans: the opening line and how it went ----------------------------------------------------


def _resource(world, kind="group"):
    return Resource.objects.create(practice=world.practice, name="Games night", kind=kind)


def test_a_plan_offers_favourites_first_then_the_settings_starters(world):
    services.favourite_set(
        client=world.client,
        actor=world.client.user,
        key="work-lunch-place",
        favourite=True,
        ip=None,
    )
    lines = plan_selectors.opening_line_choices(
        client=world.client, viewer=world.client.user, resource=_resource(world)
    )
    assert lines[0].key == "work-lunch-place" and lines[0].favourite
    club = [line.key for line in lines[1:]]
    # A first visit offers small talk and opinions (levels 1 and 2) until more is rehearsed.
    assert CLUB_HELLO in club and CLUB_STORY not in club
    assert all(key.startswith("club-") for key in club)
    rehearse(world.client, "club-favourite-here")  # level 2: level 3 is next
    lines = plan_selectors.opening_line_choices(
        client=world.client, viewer=world.client.user, resource=_resource(world)
    )
    assert CLUB_STORY in [line.key for line in lines]


def _plan_with_line(world, key, resource=None):
    resource = resource or _resource(world)
    plan = plan_services.plan_create(
        client=world.client,
        resource=resource,
        when=timezone.now() + datetime.timedelta(days=2),
        author=world.client.user,
        ip=None,
        opening_line_key=key,
        opening_line="typed words are ignored when a starter is picked",
    )
    Plan.objects.filter(pk=plan.pk).update(when=timezone.now() - datetime.timedelta(hours=1))
    plan.refresh_from_db()
    return plan


def test_a_picked_starter_becomes_the_plans_opening_line(world):
    http = world.as_("client")
    resource = _resource(world)
    url = reverse("community:my_plan_create", args=[resource.pk])
    when = (timezone.now() + datetime.timedelta(days=3)).astimezone(
        datetime.timezone(datetime.timedelta(hours=-5))
    )
    data = {
        "when": "other",
        "other_date": when.date().isoformat(),
        "other_time": "19:00",
        "opening_line_key": CLUB_HELLO,
        "opening_line": "",
    }
    assert CLUB_HELLO in dict(http.get(url).context["form"].fields["opening_line_key"].choices)
    response = http.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    plan = Plan.objects.get()
    assert plan.opening_line_key == CLUB_HELLO
    assert plan.opening_line == library.bank()[CLUB_HELLO].text


def test_a_starter_not_offered_is_refused_and_typed_words_clear_the_key(world):
    from django.core.exceptions import ValidationError

    other = OwnStarter.objects.create(
        client=world.other_client,
        author=world.other_client.user,
        text="X",
        setting="club",
        openness=1,
    )
    with pytest.raises(ValidationError):
        _plan_with_line(world, other.key)
    assert not Plan.objects.exists()
    plan = _plan_with_line(world, CLUB_HELLO)
    Plan.objects.filter(pk=plan.pk).update(when=timezone.now() + datetime.timedelta(days=1))
    plan.refresh_from_db()
    plan_services.plan_update_before(
        plan=plan, actor=world.client.user, ip=None, opening_line="My own hello"
    )
    plan.refresh_from_db()
    assert (plan.opening_line, plan.opening_line_key) == ("My own hello", "")


def test_saving_a_plan_keeps_a_line_no_longer_offered(world):
    services.favourite_set(
        client=world.client,
        actor=world.client.user,
        key="work-lunch-place",
        favourite=True,
        ip=None,
    )
    plan = _plan_with_line(world, "work-lunch-place")
    Plan.objects.filter(pk=plan.pk).update(when=timezone.now() + datetime.timedelta(days=1))
    services.favourite_set(
        client=world.client,
        actor=world.client.user,
        key="work-lunch-place",
        favourite=False,
        ip=None,
    )
    http = world.as_("client")
    url = reverse("community:my_plan", args=[plan.pk])
    form = http.get(url).context["before_form"]
    assert form["opening_line_key"].value() == "work-lunch-place"
    response = http.post(
        url, {"arrival_plan": "Bus at six", "opening_line_key": "work-lunch-place"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.opening_line_key == "work-lunch-place"
    assert plan.opening_line == library.bank()["work-lunch-place"].text


def test_did_you_use_it_feeds_back_to_the_starter(world):
    services.favourite_set(
        client=world.client, actor=world.client.user, key=CLUB_HELLO, favourite=True, ip=None
    )
    http = world.as_("client")
    for worked in ("yes", "no"):
        plan = _plan_with_line(world, CLUB_HELLO)
        response = http.post(
            reverse("community:my_plan_report", args=[plan.pk]),
            {"went": "yes", "opening_line_used": "yes", "opening_line_worked": worked},
        )
        assert response.status_code == 302
    unused = _plan_with_line(world, CLUB_HELLO)
    http.post(
        reverse("community:my_plan_report", args=[unused.pk]),
        {"went": "yes", "opening_line_used": "no", "opening_line_worked": "yes"},
    )
    unused.refresh_from_db()
    assert (unused.opening_line_used, unused.opening_line_worked) == (False, None)
    page = http.get(reverse("skills:my_starters"))
    assert "used 2 times, worked once" in page.content.decode()
    [row] = page.context["rows"]
    assert (row.use.used, row.use.worked) == (2, 1)
    therapist_plan = world.as_("therapist").get(
        reverse("community:plan", args=[world.client.pk, plan.pk])
    )
    assert "Opening line: used — it did not work." in therapist_plan.content.decode()


def test_not_going_asks_nothing_about_the_line(world):
    plan = _plan_with_line(world, CLUB_HELLO)
    plan_services.plan_report(
        plan=plan, went=False, actor=world.client.user, ip=None, opening_line_used=True
    )
    plan.refresh_from_db()
    assert (plan.opening_line_used, plan.opening_line_worked) == (None, None)


# Constant query counts ----------------------------------------------------------------------


def _grow(world, n):
    """n more of everything the starter pages read: practice and own starters, favourites,
    rehearsals, and plans that used a line."""
    client = world.client
    resource = _resource(world)
    for i in range(n):
        practice_starter(world, text=f"Practice line {i}", openness=1 + i % 4)
        own = services.own_starter_add(
            client=client,
            author=client.user,
            text=f"Own {i}",
            setting="club",
            openness=1 + i % 4,
            ip=None,
        )
        key = list(library.bank())[i % 60]
        services.favourite_set(client=client, actor=client.user, key=key, favourite=True, ip=None)
        rehearse(client, key)
        rehearse(client, own.key)
        _plan_with_line(world, key, resource)
    for plan in Plan.objects.filter(client=client):
        plan_services.plan_report(
            plan=plan,
            went=True,
            actor=client.user,
            ip=None,
            opening_line_used=True,
            opening_line_worked=True,
        )


def _count(http, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert http.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_starter_pages_cost_the_same_for_little_or_much(world, persona):
    world.client.user.refresh_from_db()
    http = world.as_(persona)
    prefix = "skills:my_" if persona == "client" else "skills:"
    args = [] if persona == "client" else [world.client.pk]
    urls = [
        reverse(f"{prefix}starters", args=args),
        reverse(f"{prefix}starter_setting", args=[*args, "club"]),
    ]
    _grow(world, 2)
    http.get(urls[0])  # warm the session and the once-per-process caches
    few = [_count(http, url) for url in urls]
    _grow(world, 12)
    assert [_count(http, url) for url in urls] == few


def test_the_practice_bank_costs_the_same_for_little_or_much(world):
    http = world.as_("therapist")
    url = reverse("skills:practice_starters")
    practice_starter(world)
    http.get(url)
    few = _count(http, url)
    for i in range(30):
        practice_starter(world, text=f"Line {i}")
    assert _count(http, url) == few


def test_a_second_client_starts_from_nothing(world):
    rehearse(world.client, CLUB_STORY)
    newcomer = make_client(world.therapist, "nia@client.test", "Nia New")
    assert selectors.reached_levels(client=newcomer, viewer=newcomer.user) == {}


def test_today_offers_practising_a_starter_any_time(world):
    page = world.as_("client").get(reverse("care:today"))
    assert reverse("skills:my_starters") in page.text


def test_a_practice_starter_taken_out_leaves_the_plans_words(world):
    starter = practice_starter(world, text="GONE-LINE is this seat free?")
    services.favourite_set(
        client=world.client, actor=world.client.user, key=starter.key, favourite=True, ip=None
    )
    rehearse(world.client, starter.key)
    plan = _plan_with_line(world, starter.key)
    url = reverse("skills:practice_starter_delete", args=[starter.pk])
    asked = world.as_("colleague").post(url)
    assert asked.status_code == 200 and "GONE-LINE" in asked.text
    assert Starter.objects.exists()
    assert world.as_("colleague").post(url, {"confirmed": "1"}).status_code == 302
    assert not Starter.objects.exists()
    plan.refresh_from_db()
    assert plan.opening_line == "GONE-LINE is this seat free?"
    page = world.as_("client").get(reverse("skills:my_starters"))
    assert page.context["rows"] == []
    assert "has since been removed" in page.text
