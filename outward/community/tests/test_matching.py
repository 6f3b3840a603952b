"""Matching: crafted cases for each part of the fit, the reasons it gives, and its edges
(pins, hides, other practices, events that have passed, no inventory yet)."""

import datetime
import math
import zoneinfo
from decimal import Decimal

import pytest

from outward.community import services
from outward.community.matching import ranking
from outward.community.models import (
    Area,
    FreeWindow,
    Interest,
    InterestChoice,
    InterestProfile,
    Mark,
    Resource,
    ResourceOccurrence,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")  # the world's practice and client
HOME = (40.70, -74.00)
KM_PER_DEGREE = math.pi / 180 * ranking.EARTH_KM


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def _wednesday_noon(time_machine):
    """Wednesday 25 November 2026, noon in New York: the next Thursday is the 26th."""
    time_machine.move_to(local(2026, 11, 25, 12, 0), tick=False)


def north(km: float) -> tuple[float, float]:
    return HOME[0] + km / KM_PER_DEGREE, HOME[1]


def interest(key_or_label: str) -> Interest:
    return Interest.objects.filter(key=key_or_label).first() or Interest.objects.get(
        label=key_or_label
    )


def inventory(
    world,
    *,
    interests=None,
    free_text="",
    km=5,
    budget=10,
    needs="",
    mode=InterestProfile.Mode.EITHER,
    windows=((3, datetime.time(18), datetime.time(22)),),
    client=None,
) -> InterestProfile:
    client = client or world.client
    area = Area.objects.get_or_create(
        practice=client.practice, name="Riverside", latitude=HOME[0], longitude=HOME[1]
    )[0]
    profile = InterestProfile.objects.create(
        client=client,
        area=area,
        free_text=free_text,
        max_travel_km=km,
        budget_per_session=Decimal(budget),
        accessibility_needs=needs,
        mode=mode,
    )
    for name, strength in (interests if interests is not None else {"games": 3}).items():
        InterestChoice.objects.create(profile=profile, interest=interest(name), strength=strength)
    for weekday, start, end in windows:
        FreeWindow.objects.create(profile=profile, weekday=weekday, start=start, end=end)
    return profile


def resource(
    world,
    name: str,
    *,
    tags=("games",),
    km=1.0,
    online=False,
    weekday=3,
    start=datetime.time(19),
    end=datetime.time(21),
    practice=None,
    **fields,
) -> Resource:
    lat, lon = (None, None) if online else north(km)
    fields = {"social_intensity": 1, "time_zone": "America/New_York", **fields}
    made = Resource.objects.create(
        practice=practice or world.practice,
        name=name,
        kind=Resource.Kind.ONLINE if online else Resource.Kind.GROUP,
        online=online,
        latitude=lat,
        longitude=lon,
        weekday=weekday,
        start_time=start,
        end_time=end,
        **fields,
    )
    made.interests.set([interest(tag) for tag in tags])
    return made


def names(world, **kwargs) -> list[str]:
    return [found.name for found in ranking.suggestions(client=world.client, **kwargs)]


def reasons(world, **kwargs) -> dict[str, str]:
    return {
        found.name: found.reason for found in ranking.suggestions(client=world.client, **kwargs)
    }


# Interest fit -------------------------------------------------------------------------------


def test_exact_interest_beats_a_narrower_or_broader_neighbour(world):
    inventory(world, interests={"Football": 2})
    resource(world, "Broader: sport", tags=("sport-and-movement",))
    resource(world, "Narrower: 11-a-side", tags=("11-a-side",))
    resource(world, "Exact: football", tags=("Football",))
    resource(world, "Unrelated: choir", tags=("music",))

    assert names(world)[0] == "Exact: football"
    assert set(names(world)[1:]) == {"Broader: sport", "Narrower: 11-a-side"}
    why = reasons(world)
    assert why["Exact: football"].startswith("Matches your interest in football · ")
    assert why["Narrower: 11-a-side"].startswith("Related to your interest in football: 11-a-side")
    assert why["Broader: sport"].startswith(
        "Related to your interest in football: sport and movement"
    )


def test_a_stronger_interest_counts_more(world):
    inventory(world, interests={"games": 1, "music": 3})
    resource(world, "Board games", tags=("games",))
    resource(world, "Choir", tags=("music",))
    assert names(world) == ["Choir", "Board games"]


def test_the_full_reason_reads_as_one_sentence(world):
    # Board games is a narrower interest of Games in the taxonomy.
    inventory(world, interests={"board-games": 3})
    resource(world, "Dice and donuts", tags=("board-games",), km=2.1)

    [found] = ranking.suggestions(client=world.client)

    assert found.reason == (
        "Matches your interest in board games · 2.1 km · Thursdays 7 p.m., when you are free"
        " · low pressure to start: structured, talking optional"
    )
    assert found.distance_km == pytest.approx(2.1, abs=0.01)
    assert found.next_meeting == local(2026, 11, 26, 19, 0)


# Free text ----------------------------------------------------------------------------------


def test_own_words_find_groups_by_name_and_description(world):
    inventory(world, interests={}, free_text="I used to love sci-fi and board games")
    resource(world, "Starship readers", tags=("books-and-writing",), description="Sci-fi novels.")
    resource(world, "Knit and natter", tags=("arts-and-crafts",), description="Bring wool.")

    assert names(world) == ["Starship readers"]
    assert reasons(world)["Starship readers"].startswith("Fits what you wrote: “sci-fi” · ")


def test_own_words_that_name_an_interest_find_resources_tagged_with_it(world):
    """ "board games" names the Games area, so a games group with neither word is still found."""
    inventory(world, interests={}, free_text="board games, maybe")
    resource(world, "Dice night", tags=("games",), description="Strategy and dice.")
    resource(world, "Quiet garden", tags=("nature-and-outdoors",))

    assert names(world) == ["Dice night"]
    assert reasons(world)["Dice night"].startswith("Fits what you wrote: “games”")


def test_stop_words_alone_say_nothing_so_nearby_groups_are_suggested_plainly(world):
    assert ranking.terms("I would really like to join a friendly club") == []
    inventory(world, interests={}, free_text="I would really like to join a friendly club")
    resource(world, "Friendly club", tags=("games",), description="A really friendly club.")
    assert reasons(world)["Friendly club"].startswith("1.0 km · Thursdays 7 p.m.")


def test_terms_stem_and_keep_compounds():
    found = ranking.terms("I used to love sci-fi, painting and the people's choirs")
    assert [(term.surface, term.stem) for term in found] == [
        ("sci-fi", "scifi"),
        ("painting", "paint"),
        ("choirs", "choir"),
    ]


# Distance and place -------------------------------------------------------------------------


def test_beyond_travel_distance_is_left_out_and_nearer_ranks_higher(world):
    inventory(world, km=5)
    resource(world, "Far", km=6)
    resource(world, "Near", km=0.5)
    resource(world, "Edge", km=4.8)
    # Inside the latitude/longitude box, but 5.7 km away diagonally.
    corner = resource(world, "Corner", km=4)
    corner.longitude = HOME[1] + 4 / (KM_PER_DEGREE * math.cos(math.radians(HOME[0])))
    corner.save()

    assert names(world) == ["Near", "Edge"]
    assert "4.8 km" in reasons(world)["Edge"]


def test_online_when_preferred(world):
    inventory(world, mode=InterestProfile.Mode.ONLINE)
    resource(world, "Online games", online=True)
    resource(world, "Games in the hall")
    assert names(world) == ["Online games"]
    assert "online, as you prefer" in reasons(world)["Online games"]


def test_in_person_only_leaves_out_online_and_either_prefers_in_person(world):
    profile = inventory(world, mode=InterestProfile.Mode.IN_PERSON)
    resource(world, "Online games", online=True)
    resource(world, "Games in the hall", km=4.5)
    assert names(world) == ["Games in the hall"]

    profile.mode = InterestProfile.Mode.EITHER
    profile.save()
    assert names(world) == ["Games in the hall", "Online games"]
    assert " · online · " in reasons(world)["Online games"]


def test_no_area_yet_still_suggests_and_says_so(world):
    profile = inventory(world)
    profile.area = None
    profile.save()
    resource(world, "Games anywhere", km=30)
    assert "add your area to see how far" in reasons(world)["Games anywhere"]


# Schedule -----------------------------------------------------------------------------------


def test_meeting_in_a_free_window_ranks_higher(world):
    inventory(world)  # free Thursdays 6–10 p.m.
    resource(world, "Monday games", weekday=0)
    resource(world, "Thursday games", weekday=3)
    resource(
        world, "Late Thursday games", weekday=3, start=datetime.time(21), end=datetime.time(23)
    )

    assert names(world) == ["Thursday games", "Late Thursday games", "Monday games"]
    why = reasons(world)
    assert "Thursdays 7 p.m., when you are free" in why["Thursday games"]
    assert "Thursdays 9 p.m., partly in your free time" in why["Late Thursday games"]
    assert "Mondays 7 p.m. (outside your free times)" in why["Monday games"]


def test_for_the_care_team_the_reasons_name_the_client_instead_of_you(world):
    inventory(world, interests={"Football": 2, "games": 1})
    resource(world, "Exact: football", tags=("Football",))
    resource(world, "Narrower: 11-a-side", tags=("11-a-side",))
    resource(world, "Monday games", weekday=0)
    resource(world, "Late Thursday games", weekday=3, start=datetime.time(21))

    why = reasons(world, about="Alex", ladder_level=3)

    assert why["Exact: football"].startswith("Matches Alex’s interest in football · ")
    assert "Mondays 7 p.m. (outside Alex’s free times)" in why["Monday games"]
    assert "Thursdays 9 p.m., partly in Alex’s free time" in why["Late Thursday games"]
    for reason in why.values():
        assert not {"you", "your"} & set(reason.lower().replace(",", " ").split()), reason


def test_time_zones_are_converted_to_the_clients_clock(world):
    """4 p.m. in Los Angeles is 7 p.m. in New York: inside the client's Thursday window."""
    inventory(world)
    resource(world, "West coast games", weekday=3, start=datetime.time(16), end=None)
    resource(world, "London games", weekday=3, start=datetime.time(19), end=None)
    Resource.objects.filter(name="West coast games").update(time_zone="America/Los_Angeles")
    Resource.objects.filter(name="London games").update(time_zone="Europe/London")

    why = reasons(world)
    assert "Thursdays 7 p.m., when you are free" in why["West coast games"]
    assert "Thursdays 2 p.m. (outside your free times)" in why["London games"]


def test_dated_meetings_are_matched_and_past_events_left_out(world):
    inventory(world)
    coming = resource(world, "Games evening", weekday=None, start=None, end=None)
    ResourceOccurrence.objects.create(resource=coming, start=local(2026, 11, 30, 19, 0))
    ResourceOccurrence.objects.create(resource=coming, start=local(2026, 12, 3, 19, 0))
    gone = resource(world, "Last week's games", weekday=None, start=None, end=None)
    ResourceOccurrence.objects.create(resource=gone, start=local(2026, 11, 19, 19, 0))
    resource(world, "Games, time unknown", weekday=None, start=None, end=None)

    found = {s.name: s for s in ranking.suggestions(client=world.client)}

    assert set(found) == {"Games evening", "Games, time unknown"}
    # The first meeting on Monday does not fit; Thursday the 3rd does, and is the one named.
    assert "Thu 3 Dec, 7 p.m., when you are free" in found["Games evening"].reason
    assert found["Games evening"].next_meeting == local(2026, 12, 3, 19, 0)
    assert found["Games, time unknown"].next_meeting is None


def test_a_meeting_at_this_very_moment_is_coming_and_one_this_morning_is_past(world):
    """The dated meetings are read in plain SQL: the moment compared with must be the one the
    database stores (UTC), whatever zone `now` is given in."""
    inventory(world)
    now = local(2026, 11, 25, 12, 0)  # the frozen clock, on New York's clock
    starting = resource(world, "Games starting now", weekday=None, start=None, end=None)
    ResourceOccurrence.objects.create(resource=starting, start=now)
    morning = resource(world, "Games this morning", weekday=None, start=None, end=None)
    ResourceOccurrence.objects.create(resource=morning, start=local(2026, 11, 25, 8, 0))

    for given in (now, now.astimezone(datetime.UTC)):
        found = {s.name: s for s in ranking.suggestions(client=world.client, now=given)}

        assert set(found) == {"Games starting now"}
        assert found["Games starting now"].next_meeting == now


# Cost and access ----------------------------------------------------------------------------


def test_within_budget_ranks_higher_and_says_so(world):
    inventory(world, budget=10)
    resource(world, "Dear games", cost_per_session=Decimal("20"))
    resource(world, "Cheap games", cost_per_session=Decimal("4.50"))
    resource(world, "Free games", cost_per_session=Decimal("0"))

    assert names(world)[-1] == "Dear games"
    why = reasons(world)
    assert "£20 each time, more than your budget" in why["Dear games"]
    assert "£4.50 each time, within your budget" in why["Cheap games"]
    assert " · free · " in why["Free games"]


def test_access_notes_help_when_needs_are_stated(world):
    inventory(world, needs="I use a wheelchair")
    resource(world, "No notes", accessibility="")
    resource(world, "Step-free", accessibility="Step-free entrance, accessible toilet.")

    assert names(world) == ["Step-free", "No notes"]
    why = reasons(world)
    assert "access information listed" in why["Step-free"]
    assert "ask about access" in why["No notes"]


def test_access_is_not_scored_for_online_communities(world):
    inventory(world, needs="I use a wheelchair", mode=InterestProfile.Mode.ONLINE)
    resource(world, "Online games", online=True, accessibility="")
    assert "access" not in reasons(world)["Online games"]


def test_access_is_not_mentioned_without_needs(world):
    inventory(world, needs="")
    resource(world, "No notes", accessibility="")
    assert "access" not in reasons(world)["No notes"]


# Anxiety fit --------------------------------------------------------------------------------


def test_with_no_ladder_yet_low_intensity_comes_first_and_says_why(world):
    inventory(world)
    resource(world, "Networking mixer", social_intensity=5)
    resource(world, "Games table", social_intensity=1)
    resource(world, "Games chat", social_intensity=3)

    assert names(world) == ["Games table", "Games chat", "Networking mixer"]
    why = reasons(world)
    assert why["Games table"].endswith("low pressure to start: structured, talking optional")
    assert why["Games chat"].endswith("a bigger step for later: small-group conversation")
    assert why["Networking mixer"].endswith("a bigger step for later: open mingling with strangers")


def test_a_ladder_level_moves_the_preference(world):
    """What the skills room passes (care.happenings.exposure_level): the intensity of the
    client's current fear-ladder rung. Near it first, a step or two above next, far above last."""
    inventory(world)
    resource(world, "Games table", social_intensity=1)
    resource(world, "Games chat", social_intensity=3)
    resource(world, "Games social", social_intensity=4)
    resource(world, "Networking mixer", social_intensity=5)

    why = reasons(world, ladder_level=2)
    assert why["Games table"].endswith(
        "close to where you are on your ladder: structured, talking optional"
    )
    assert why["Games chat"].endswith(
        "a step or two above where you are now: small-group conversation"
    )
    assert why["Games social"].endswith(
        "a step or two above where you are now: lots of talking with new people"
    )
    assert why["Networking mixer"].endswith("a bigger step for later: open mingling with strangers")
    assert names(world, ladder_level=2) == [
        "Games table",
        "Games chat",
        "Games social",
        "Networking mixer",
    ]


def test_higher_on_the_ladder_bigger_steps_rank_first(world):
    inventory(world)
    resource(world, "Games table", social_intensity=1)
    resource(world, "Games chat", social_intensity=3)
    resource(world, "Games social", social_intensity=4)

    why = reasons(world, ladder_level=4)
    assert why["Games social"].endswith(
        "close to where you are on your ladder: lots of talking with new people"
    )
    assert why["Games chat"].endswith(
        "close to where you are on your ladder: small-group conversation"
    )
    assert why["Games table"].endswith(
        "easier than where you are now: structured, talking optional"
    )
    assert names(world, ladder_level=4) == ["Games social", "Games chat", "Games table"]


# Pins, hides, practices, no inventory -------------------------------------------------------


def test_pinned_come_first_and_hidden_never_appear(world):
    inventory(world)
    best = resource(world, "Best fit")
    resource(world, "Good fit", km=3)
    pinned = resource(world, "Therapist's pick", tags=("music",), km=40)
    for target, state in ((pinned, Mark.State.PINNED), (best, Mark.State.HIDDEN)):
        services.mark_set(
            client=world.client, resource=target, state=state, actor=world.therapist.user, ip=None
        )

    found = ranking.suggestions(client=world.client)

    assert [s.name for s in found] == ["Therapist's pick", "Good fit"]
    assert found[0].pinned and not found[1].pinned
    assert found[0].reason.startswith(
        "Picked for you by your therapist · 40 km, further than you said you can travel"
    )


def test_another_practices_resources_are_never_suggested(world):
    inventory(world)
    mine = resource(world, "Our games")
    theirs = resource(world, "Their games", practice=world.other_practice)
    # Even a mark written past the service (which refuses it) shows nothing of theirs.
    Mark.objects.create(
        client=world.client, resource=theirs, state=Mark.State.PINNED, by=world.therapist.user
    )

    assert names(world) == ["Our games"]
    with pytest.raises(ValueError):
        services.mark_set(
            client=world.client,
            resource=theirs,
            state=Mark.State.PINNED,
            actor=world.therapist.user,
            ip=None,
        )
    assert mine.practice == world.practice


def test_no_inventory_yet_means_no_suggestions(world):
    resource(world, "Games")
    assert ranking.match_profile(client=world.client) is None
    assert ranking.suggestions(client=world.client) == []


def test_limit_and_a_constant_number_of_queries(world, django_assert_max_num_queries):
    inventory(world, free_text="dice")
    for number in range(30):
        resource(world, f"Games {number}", km=number / 10, weekday=None if number % 3 else 3)
    ranking.suggestions(client=world.client, limit=5)  # a warm process: the naming index built
    # Ten: the profile, its areas (for entries placed in one), choices, free windows,
    # neighbours, named interests (the index's version), marks, the candidates, their tags and
    # their dated meetings.
    with django_assert_max_num_queries(10):
        found = ranking.suggestions(client=world.client, limit=5)
    assert len(found) == 5


def test_the_tagged_pool_reads_tags_in_interest_order_on_every_engine(world, monkeypatch):
    """The tagged pools see the first TAGGED_SCAN tags in the interest index's order, so SQLite
    and PostgreSQL pick the same candidates (PostgreSQL's unordered scan read them as stored)."""
    inventory(world, interests={"games": 2, "music": 2}, mode=InterestProfile.Mode.IN_PERSON)
    first, second = sorted([interest("games"), interest("music")], key=lambda i: i.pk)
    resource(world, "Tagged later, stored first", tags=(second.key,), km=1)
    early = {resource(world, f"First interest {n}", tags=(first.key,), km=2).pk for n in range(3)}
    monkeypatch.setattr(ranking, "NEAR_POOL", 0)  # only the tagged pool brings candidates
    monkeypatch.setattr(ranking, "TAGGED_SCAN", 3)
    profile = ranking.match_profile(client=world.client)
    rows = ranking.candidate_rows(profile=profile, pinned=set(), hidden=set())
    assert {row["pk"] for row in rows} == early


# Helpers ------------------------------------------------------------------------------------


def test_haversine_and_bounding_box():
    assert ranking.haversine_km(51.5, -0.1, 51.5, -0.1) == 0
    # One degree of latitude is about 111.2 km.
    assert ranking.haversine_km(40.0, -74.0, 41.0, -74.0) == pytest.approx(111.2, abs=0.1)
    south, north_edge, west, east = ranking.bounding_box(40.7, -74.0, 5)
    assert south < 40.7 - 5 / 111.2 < 40.7 + 5 / 111.2 < north_edge
    assert west < -74.0 < east and east - west > north_edge - south  # longitude degrees shrink
    assert ranking.bounding_box(89.9, 10, 50)[2:] == (None, None)  # near a pole: latitude only
    assert ranking.bounding_box(0, 179.99, 50)[2:] == (None, None)  # across the antimeridian
