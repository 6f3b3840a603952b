"""The interest taxonomy beyond sport, its synonyms (stemmed through Snowball), and the interest
inventory a few questions per screen, saved as the person goes."""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings

from outward.care.models import AuditEvent
from outward.community import services
from outward.community.interests import forms as interest_forms
from outward.community.interests import selectors as interest_selectors
from outward.community.interests import services as interest_services
from outward.community.interests.views import SLUGS
from outward.community.matching import ranking
from outward.community.models import (
    Area,
    FreeWindow,
    Interest,
    InterestChoice,
    InterestProfile,
    InterestSynonym,
)
from outward.community.taxonomy import (
    AREA_KEYS,
    NARROWER,
    OPENACTIVE_ALSO_UNDER,
    OPENACTIVE_SYNONYMS,
    SPORT_SHORTLIST,
    builtin_synonyms,
    interest_lookup,
)
from outward.tests.properties import form_data

from .test_matching import resource


def step_url(step: str, world=None) -> str:
    if world is None:
        return reverse("community:my_interests_step", args=[step])
    return reverse("community:interests_step", args=[world.client.pk, step])


def chosen(world) -> dict[str, int]:
    return dict(
        InterestChoice.objects.filter(profile__client=world.client).values_list(
            "interest__key", "strength"
        )
    )


# The taxonomy -------------------------------------------------------------------------------


def test_keys_are_unique_and_every_narrower_interest_hangs_under_its_area(db):
    keys = [key for interests in NARROWER.values() for key, _label, _syn in interests]
    assert len(keys) == len(set(keys)) and not set(keys) & AREA_KEYS
    assert set(NARROWER) <= AREA_KEYS
    assert len(keys) >= 70
    links = set(
        Interest.broader.through.objects.filter(from_interest__key__in=keys).values_list(
            "from_interest__key", "to_interest__key"
        )
    )
    expected = {(key, area) for area, items in NARROWER.items() for key, _l, _s in items}
    assert links == expected
    for area, labels in OPENACTIVE_ALSO_UNDER.items():
        for label in labels:
            interest = Interest.objects.get(label=label, source="openactive")
            assert interest.broader.filter(key=area).exists(), (label, area)
            assert interest.broader.exclude(key=area).exists()  # still in the sport branch


def test_the_issue_s_kinds_of_interest_are_there(db):
    labels = set(Interest.objects.values_list("label", flat=True))
    for label in [
        "Chess",
        "Board games",
        "Tabletop role-playing",
        "Choirs and singing",
        "Learning an instrument",
        "Book clubs",
        "Creative writing",
        "Language exchange",
        "Faith communities",
        "Food banks",
        "Parent and baby groups",
        "Pet owners' groups",
        "Birdwatching and wildlife",
        "Coding and programming",
        "Knitting and crochet",
    ]:
        assert label in labels, label


def test_every_synonym_reaches_its_own_interest(db):
    """A synonym another interest's label (or an earlier synonym) claims would never be used."""
    lookup = interest_selectors.lookup_for(practice=None)
    keys = set(Interest.objects.values_list("key", flat=True))
    for phrase, key in builtin_synonyms():
        assert key in keys
        assert lookup[phrase] == key, (phrase, key, lookup[phrase])
    labels = dict(Interest.objects.filter(source="openactive").values_list("label", "key"))
    for label, phrases in OPENACTIVE_SYNONYMS.items():
        for phrase in phrases:
            assert lookup[phrase] == labels[label], (phrase, label)
    assert set(SPORT_SHORTLIST) <= set(labels)


def test_names_meet_in_any_case_and_grammatical_form():
    lookup = interest_lookup(
        [("knitting-and-crochet", "Knitting and crochet"), ("board-games", "Board games")]
    )
    for name in ("knitting", "Knitters", "KNIT", "knitted", "crocheting", "knitting and crochet"):
        assert lookup[name] == "knitting-and-crochet", name
    assert lookup["board game"] == lookup["Boardgames"] == "board-games"
    assert "underwater origami" not in lookup
    assert interest_lookup([("board-games", "Board games")])["BOARD GAMES"] == ("board-games")


def test_search_terms_are_stemmed_by_snowball_and_find_other_forms():
    # Snowball's "potteri" is cut back to a prefix of the word, so "pottery" still finds it.
    assert [ranking.stem(word) for word in ("knitting", "choirs", "pottery")] == [
        "knit",
        "choir",
        "potter",
    ]
    [term] = ranking.terms("knitting")
    assert term.stem == "knit"


def test_own_words_name_interests_and_keep_the_rest():
    lookup = interest_lookup([("knitting-and-crochet", "Knitting and crochet"), ("chess", "Chess")])
    found, rest = lookup.found_in("Knitters, chess and underwater origami")
    assert found == ["knitting-and-crochet", "chess"]
    assert rest == "and underwater origami"


# Saved as you go --------------------------------------------------------------------------


@pytest.fixture
def riverside(world):
    return Area.objects.create(
        practice=world.practice, name="Riverside", latitude=40.71, longitude=-74.0
    )


def test_a_new_client_starts_at_the_first_question(world):
    response = world.as_("client").get(reverse("community:my_interests"))
    assert response["Location"] == step_url("areas")
    assert not InterestProfile.objects.exists()


def test_each_step_is_kept_when_the_client_moves_on(world, riverside):
    http = world.as_("client")
    response = http.post(step_url("areas"), {"areas": ["games", "music"]})
    assert response["Location"] == step_url("details")
    assert chosen(world) == {"games": 2, "music": 2}

    # Leaving here loses nothing: the profile is there, with what was said so far.
    page = http.get(reverse("community:my_interests")).text
    assert "Games" in page and "Music" in page

    details = http.get(step_url("details")).text
    assert "Chess" in details and "Choirs and singing" in details
    assert "Knitting and crochet" not in details  # arts and crafts were not ticked
    chess = Interest.objects.get(key="chess")
    response = http.post(
        step_url("details"),
        {"in_games": [str(chess.pk)], "own_words": "Knitters, sci-fi and lighthouses"},
        follow=True,
    )
    assert chosen(world) == {"games": 2, "music": 2, "chess": 3, "knitting-and-crochet": 2}
    profile = InterestProfile.objects.get(client=world.client)
    assert profile.free_text == "Knitters, sci-fi and lighthouses"  # kept as written
    assert "In your words we found: Knitting and crochet." in response.text
    assert "sci-fi, lighthouses" in response.text  # searched for in the directory

    response = http.post(step_url("times"), {"day_3": ["afternoon", "evening"], "day_5": []})
    assert response["Location"] == step_url("mode")
    assert list(FreeWindow.objects.values_list("weekday", "start", "end")) == [
        (3, datetime.time(12), datetime.time(22))
    ]
    response = http.post(step_url("mode"), {"mode": "online"})
    assert response["Location"] == step_url("needs")  # where you could go does not apply
    response = http.post(
        step_url("needs"), {"budget_per_session": "4.50", "accessibility_needs": "A quiet room"}
    )
    assert response["Location"] == reverse("community:my_suggestions")
    profile.refresh_from_db()
    assert (profile.mode, profile.budget_per_session) == ("online", 4.5)
    assert "Your interests are saved" in http.get(response["Location"]).text


def test_an_untouched_step_keeps_what_the_care_team_typed_to_the_minute(world):
    services.profile_save(
        client=world.client,
        actor=world.therapist.user,
        interests={},
        free_windows=[(3, datetime.time(18, 30), datetime.time(21))],
        ip=None,
    )
    http = world.as_("client")
    page = http.get(step_url("times")).text
    assert re.search(r'name="day_3" value="evening"[^>]*checked', page)
    assert not re.search(r'name="day_3" value="morning"[^>]*checked', page)
    http.post(step_url("times"), {"day_3": ["evening"]})
    assert list(FreeWindow.objects.values_list("start", "end")) == [
        (datetime.time(18, 30), datetime.time(21))
    ]


def test_unticking_removes_only_what_the_step_shows(world):
    services.profile_save(
        client=world.client,
        actor=world.client.user,
        interests={Interest.objects.get(key=key): 3 for key in ("games", "chess", "music")},
        free_windows=[],
        ip=None,
    )
    http = world.as_("client")
    http.post(step_url("areas"), {"areas": ["games"]})
    assert chosen(world) == {"games": 3, "chess": 3}  # strengths kept, music unticked
    http.post(step_url("details"), {"own_words": ""})
    assert chosen(world) == {"games": 3}


def test_skipping_a_question_changes_nothing(world):
    page = world.as_("client").get(step_url("times")).text
    assert f'href="{step_url("mode")}"' in page and "Skip this question" in page
    assert 'href="' + step_url("details") + '"' in page  # back


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("areas", {"areas": ["nonsense"]}),
        ("details", {"own_words": "x" * 1001}),
        ("times", {"day_2": ["midnight"]}),
        ("mode", {"mode": "teleport"}),
        ("where", {"max_travel_km": "-1"}),
        ("needs", {"budget_per_session": "-3"}),
    ],
)
def test_bad_input_on_a_step_saves_nothing(world, step, data):
    response = world.as_("client").post(step_url(step), data)
    assert response.status_code == 200 and 'class="error"' in response.text
    assert not InterestProfile.objects.exists()


def test_an_unknown_step_is_a_404(world):
    assert world.as_("client").get(step_url("nonsense")).status_code == 404


def test_the_care_team_fills_it_in_with_the_client_and_it_is_audited(world, riverside):
    http = world.as_("therapist")
    http.post(step_url("areas", world), {"areas": ["books-and-writing"]})
    response = http.post(step_url("where", world), {"area": riverside.pk, "max_travel_km": "8"})
    assert response["Location"] == step_url("needs", world)
    assert chosen(world) == {"books-and-writing": 2}
    assert (
        AuditEvent.objects.filter(
            client=world.client, target__startswith="interestprofile:"
        ).count()
        == 2
    )
    page = http.get(reverse("community:interests", args=[world.client.pk])).text
    assert "Riverside, up to 8 km" in page and "Books and writing" in page
    assert f'href="{step_url("times", world)}"' in page


def test_the_summary_reads_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    def fill(count):
        interests = Interest.objects.filter(source="outward").order_by("pk")[:count]
        services.profile_save(
            client=world.client,
            actor=world.client.user,
            interests=dict.fromkeys(interests, 2),
            free_windows=[(day, datetime.time(9), datetime.time(12)) for day in range(count % 7)],
            ip=None,
            free_text="chess and knitting " * count,
        )

    http = world.as_("client")
    url = reverse("community:my_interests")
    for count in (2, 40):
        fill(count)
        with django_assert_max_num_queries(14):
            assert http.get(url).status_code == 200


def test_words_the_client_uses_find_groups_that_say_them(world, time_machine):
    """Unknown words are search terms: "knitting" finds "Northside Knitters" untagged."""
    Area.objects.create(practice=world.practice, name="Riverside", latitude=40.71, longitude=-74)
    http = world.as_("client")
    http.post(step_url("details"), {"own_words": "knitting"})
    http.post(step_url("where"), {"area": Area.objects.get().pk, "max_travel_km": "5"})
    resource(world, "Northside Knitters", tags=())
    resource(world, "Chess club", tags=())
    names = [found.name for found in ranking.suggestions(client=world.client)]
    assert names == ["Northside Knitters"]


# The practice's own words -------------------------------------------------------------------


def test_a_practice_adds_a_word_and_both_the_inventory_and_imports_use_it(world):
    http = world.as_("therapist")
    response = http.post(
        reverse("community:synonyms"), {"phrase": "Crafternoon", "interest": "knitters"}
    )
    assert response["Location"] == reverse("community:synonyms")
    synonym = InterestSynonym.objects.get()
    assert (synonym.practice, synonym.interest.key) == (world.practice, "knitting-and-crochet")
    assert "Crafternoon" in http.get(reverse("community:synonyms")).text

    world.as_("client").post(step_url("details"), {"own_words": "crafternoons"})
    assert chosen(world) == {"knitting-and-crochet": 2}
    lookup = interest_selectors.lookup_for(practice=world.practice)
    assert lookup["crafternoon"] == "knitting-and-crochet"
    assert "crafternoon" not in interest_selectors.lookup_for(practice=world.other_practice)


@pytest.mark.parametrize(
    "data",
    [
        {"phrase": "Chess", "interest": "Board games"},  # already a label of another
        {"phrase": "Crafternoon", "interest": "Underwater origami"},
        {"phrase": "!!!", "interest": "Chess"},
        {},
    ],
)
def test_a_word_that_cannot_work_is_refused(world, data):
    response = world.as_("therapist").post(reverse("community:synonyms"), data)
    assert response.status_code == 200 and 'class="error"' in response.text
    assert not InterestSynonym.objects.exists()


def test_a_word_is_removed_only_by_its_own_practice(world):
    synonym = interest_services.synonym_add(
        practice=world.practice, phrase="crafternoon", interest_key="games"
    )
    url = reverse("community:synonym_delete", args=[synonym.pk])
    assert world.as_("stranger").post(url).status_code == 404
    assert world.as_("therapist").post(url).status_code == 302
    assert not InterestSynonym.objects.exists()


# Any post at all to any step (the view-properties matrix covers two) -------------------------


@pytest.mark.parametrize("step", ["areas", "mode", "where", "needs"])
def test_no_post_to_a_step_makes_a_500_or_a_partial_write(world, step):
    forms_by_step = {
        "areas": (
            interest_forms.AreasForm,
            {"areas": list(Interest.objects.filter(key__in=AREA_KEYS))},
        ),
        "mode": (interest_forms.ModeForm, {}),
        "where": (interest_forms.WhereForm, {"areas": Area.objects.none()}),
        "needs": (interest_forms.NeedsForm, {}),
    }
    form_class, kwargs = forms_by_step[step]
    http = world.as_("client")

    @hypothesis_settings(max_examples=15)
    @given(form_data(form_class(**kwargs).fields))
    def check(posted):
        data, _files = posted
        with transaction.atomic():
            valid = form_class(data, **kwargs).is_valid()
            response = http.post(step_url(step), data)
            assert response.status_code < 500
            assert InterestProfile.objects.exists() == valid
            transaction.set_rollback(True)

    check()
    assert SLUGS[-1] == "needs"
