"""Suggested groups follow the client's current rung (skills registers the level in care)."""

import datetime
from decimal import Decimal

from outward.community.models import Area, Interest, InterestChoice, InterestProfile, Resource

from .helpers import make_ladder, make_rung, set_status


def _inventory(world):
    area = Area.objects.create(
        practice=world.practice, name="Riverside", latitude=40.70, longitude=-74.00
    )
    profile = InterestProfile.objects.create(
        client=world.client,
        area=area,
        free_text="",
        max_travel_km=5,
        budget_per_session=Decimal(10),
    )
    InterestChoice.objects.create(
        profile=profile, interest=Interest.objects.get(key="games"), strength=3
    )
    for name, intensity in [("Games table", 1), ("Games chat", 3), ("Games mixer", 5)]:
        resource = Resource.objects.create(
            practice=world.practice,
            name=name,
            kind="group",
            latitude=40.705,
            longitude=-74.00,
            social_intensity=intensity,
            weekday=3,
            start_time=datetime.time(19),
            time_zone="America/New_York",
        )
        resource.interests.add(Interest.objects.get(key="games"))


def test_no_ladder_keeps_the_low_pressure_wording(world):
    _inventory(world)

    text = world.as_("therapist").get(f"/clients/{world.client.pk}/groups/").text

    assert "No step on an exposure ladder yet" in text
    assert "low pressure to start" in text


def test_the_current_rung_ranks_and_explains(world):
    _inventory(world)
    ladder = make_ladder(world.client)
    set_status(make_rung(ladder, "Say hello", 15), "done")
    make_rung(ladder, "Chat in a small group", 50)  # intensity 3

    text = world.as_("client").get("/me/groups/").text

    assert "exposure ladder yet" not in text
    assert "Groups close to where you are on your ladder come first" in text
    assert "close to where you are on your ladder: small-group conversation" in text
    assert "a step or two above where you are now: open mingling with strangers" in text
    assert text.index("Games chat") < text.index("Games table")
