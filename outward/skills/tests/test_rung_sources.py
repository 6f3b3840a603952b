"""Rungs from elsewhere: the examples library, a goal's step and a directory resource (the
last two through care.happenings' rung sources: skills imports neither room)."""

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.community.models import Mark, Resource
from outward.goals import services as goal_services
from outward.skills import library
from outward.skills.models import Rung

from .helpers import make_ladder


def test_the_library_has_about_thirty_graded_situations_in_six_areas():
    areas = library.areas()
    assert [area.key for area in areas] == [
        "meeting",
        "groups",
        "work",
        "friends",
        "online",
        "errands",
    ]
    situations = [s for area in areas for s in area.situations]
    assert 28 <= len(situations) <= 36
    for area in areas:
        assert [s.suds for s in area.situations] == sorted(s.suds for s in area.situations)


def test_picking_an_example_adds_it_with_the_clients_own_suds(world):
    ladder = make_ladder(world.client)
    client = world.as_("client")
    page = client.get(f"/me/skills/ladders/{ladder.pk}/examples/")
    assert page.status_code == 200
    assert "Meeting new people" in page.text and "Everyday errands" in page.text

    response = client.post(
        f"/me/skills/ladders/{ladder.pk}/examples/",
        {"ref": "errands-phone", "expected_suds": "55"},
    )

    assert response.status_code == 302
    rung = Rung.objects.get()
    assert (rung.situation, rung.expected_suds, rung.source, rung.source_ref) == (
        "Phone to book an appointment",
        55,
        Rung.Source.LIBRARY,
        "library:errands-phone",
    )


def test_an_unknown_example_is_a_404(world):
    ladder = make_ladder(world.client)

    response = world.as_("client").post(
        f"/me/skills/ladders/{ladder.pk}/examples/", {"ref": "nope", "expected_suds": "5"}
    )

    assert response.status_code == 404
    assert not Rung.objects.exists()


def test_both_rooms_offer_rung_ideas_through_care():
    assert {source.key for source in happenings.rung_sources()} == {"goal_step", "resource"}
    assert {source.key for source in happenings.rung_sources()} <= set(Rung.Source.values)


def test_a_goals_open_steps_can_become_rungs(world):
    goal = goal_services.goal_create(
        client=world.client,
        author=world.client.user,
        title="Make a friend at work",
        steps=["Eat lunch in the kitchen", "Ask Sam about their weekend"],
        ip=None,
    )
    goal_services.goal_create(
        client=world.other_client,
        author=world.other_client.user,
        title="Olive's",
        steps=["Olive's step"],
        ip=None,
    )
    ladder = make_ladder(world.client)
    therapist = world.as_("therapist")
    url = f"/clients/{world.client.pk}/skills/ladders/{ladder.pk}/from/goal_step/"

    page = therapist.get(url)
    assert "Ask Sam about their weekend" in page.text
    assert "Make a friend at work" in page.text
    assert "Olive" not in page.text

    step_ref = next(
        idea.ref
        for idea in happenings.rung_source("goal_step").ideas(
            client=world.client, viewer=world.therapist.user, query=""
        )
        if idea.text == "Ask Sam about their weekend"
    )
    response = therapist.post(url, {"ref": step_ref, "expected_suds": "40"})

    assert response.status_code == 302
    rung = Rung.objects.get()
    assert (rung.situation, rung.source, rung.source_ref, rung.author) == (
        "Ask Sam about their weekend",
        "goal_step",
        step_ref,
        world.therapist.user,
    )
    assert goal.pk  # the goal is untouched


def test_someone_elses_goal_step_is_a_404(world):
    goal_services.goal_create(
        client=world.other_client,
        author=world.other_client.user,
        title="Olive's",
        steps=["Olive's step"],
        ip=None,
    )
    olives = happenings.rung_source("goal_step").ideas(
        client=world.other_client, viewer=world.other_client.user, query=""
    )
    ladder = make_ladder(world.client)

    response = world.as_("client").post(
        f"/me/skills/ladders/{ladder.pk}/from/goal_step/",
        {"ref": olives[0].ref, "expected_suds": "10"},
    )

    assert response.status_code == 404
    assert not Rung.objects.exists()


def test_a_directory_resource_becomes_a_rung_with_a_first_suds_guess(world):
    resource = Resource.objects.create(
        practice=world.practice,
        name="Harbour Library board games night",
        kind="group",
        social_intensity=3,
    )
    Resource.objects.create(practice=world.other_practice, name="Hilltop board games", kind="group")
    ladder = make_ladder(world.client)
    client = world.as_("client")
    url = f"/me/skills/ladders/{ladder.pk}/from/resource/"

    page = client.get(url, {"q": "board games"})
    assert "Harbour Library board games night" in page.text
    assert "Hilltop" not in page.text
    assert 'value="50"' in page.text  # intensity 3: a first guess the client corrects

    response = client.post(url, {"ref": f"community.resource:{resource.pk}", "expected_suds": "60"})

    assert response.status_code == 302
    rung = Rung.objects.get()
    assert (rung.situation, rung.expected_suds, rung.source) == (
        "Harbour Library board games night",
        60,
        "resource",
    )


@pytest.mark.parametrize("which", ["other_practice", "hidden"])
def test_a_resource_the_client_cannot_have_is_a_404(world, which):
    practice = world.other_practice if which == "other_practice" else world.practice
    resource = Resource.objects.create(practice=practice, name="Somewhere", kind="group")
    if which == "hidden":
        Mark.objects.create(
            client=world.client, resource=resource, state=Mark.State.HIDDEN, by=world.therapist.user
        )
    ladder = make_ladder(world.client)

    response = world.as_("client").post(
        f"/me/skills/ladders/{ladder.pk}/from/resource/",
        {"ref": f"community.resource:{resource.pk}", "expected_suds": "10"},
    )

    assert response.status_code == 404
    assert not Rung.objects.exists()


def test_an_unknown_source_is_a_404(world):
    ladder = make_ladder(world.client)

    assert world.as_("client").get(f"/me/skills/ladders/{ladder.pk}/from/nope/").status_code == 404


def test_intensity_and_suds_map_both_ways():
    for level, suds in happenings.INTENSITY_SUDS.items():
        assert happenings.intensity_for_suds(suds) == level
    assert happenings.intensity_for_suds(0) == 1
    assert happenings.intensity_for_suds(100) == 5


def test_a_broken_examples_file_stops_start_up_naming_it(tmp_path, monkeypatch):
    broken = tmp_path / "situations.json"
    broken.write_text(
        '{"areas": [{"key": "meeting", "title": "x", "situations": '
        '[{"key": "a", "text": "A", "suds": 150}]}]}',
        encoding="utf-8",
    )
    monkeypatch.setattr(library, "FILE", broken)
    library.areas.cache_clear()
    try:
        with pytest.raises(ValueError, match="situations.json"):
            library.areas()
    finally:
        library.areas.cache_clear()
        monkeypatch.undo()
        library.areas()


def test_picking_from_another_room_is_audited_as_a_look(world):
    ladder = make_ladder(world.client)

    world.as_("therapist").get(
        f"/clients/{world.client.pk}/skills/ladders/{ladder.pk}/from/goal_step/"
    )

    assert AuditEvent.objects.filter(
        actor=world.therapist.user, action="view", target=f"fearladder:{ladder.pk}"
    ).exists()
