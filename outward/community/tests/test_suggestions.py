"""The suggestions page (/me/groups/ and the care team's Groups tab) and pin / hide / clear."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.community.models import Mark, Resource, ResourceOccurrence
from outward.community.taxonomy import OPENACTIVE_ATTRIBUTION

from .test_matching import inventory, local, resource


@pytest.fixture(autouse=True)
def _wednesday_noon(time_machine):
    time_machine.move_to(local(2026, 11, 25, 12, 0), tick=False)


def page_url(world, persona: str) -> str:
    if persona == "client":
        return reverse("community:my_suggestions")
    return reverse("community:suggestions", args=[world.client.pk])


def mark_url(world, target: Resource) -> str:
    return reverse("community:mark", args=[world.client.pk, target.pk])


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_shows_suggestions_with_reasons_interests_and_attribution(world, persona):
    inventory(world, interests={"games": 3, "Badminton": 1})
    resource(world, "Dice night", km=2.1, contact_url="https://dice.example/")
    resource(world, "Far dice night", km=9)

    response = world.as_(persona).get(page_url(world, persona))

    assert response.status_code == 200
    text = response.text
    assert "Dice night" in text and "Far dice night" not in text
    name = world.client.short_name
    reason = (
        "Matches your interest in games · 2.1 km · Thursdays 7 p.m., when you are free"
        if persona == "client"
        else f"Matches {name}’s interest in games · 2.1 km · Thursdays 7 p.m., when {name} is free"
    )
    assert reason in text
    assert "Games" in text and "Badminton" in text  # the interests summary
    assert "Within 5 km of Riverside" in text
    inventory_url = reverse(
        "community:my_interests" if persona == "client" else "community:interests",
        args=[] if persona == "client" else [world.client.pk],
    )
    assert f'href="{inventory_url}"' in text
    assert OPENACTIVE_ATTRIBUTION in text
    assert 'href="https://dice.example/"' in text
    plan_url = (
        reverse("community:my_plan_create", args=[Resource.objects.get(name="Dice night").pk])
        if persona == "client"
        else reverse(
            "community:plan_create",
            args=[world.client.pk, Resource.objects.get(name="Dice night").pk],
        )
    )
    assert f'href="{plan_url}"' in text


def test_the_client_reads_why_low_pressure_comes_first_and_sees_no_pin_buttons(world):
    inventory(world)
    resource(world, "Dice night")
    text = world.as_("client").get(page_url(world, "client")).text
    assert "Low-pressure groups come first" in text
    assert "Pin to top" not in text and "Hide" not in text


def test_the_care_team_sees_pin_and_hide_and_the_intensity_rule(world):
    inventory(world)
    target = resource(world, "Dice night")
    text = world.as_("therapist").get(page_url(world, "therapist")).text
    assert "Pin to top" in text and "Hide" in text
    assert f'action="{mark_url(world, target)}"' in text
    assert "No step on an exposure ladder yet, so social intensity 1–2" in text


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_no_inventory_yet_is_a_friendly_page_not_an_error(world, persona):
    resource(world, "Dice night")
    response = world.as_(persona).get(page_url(world, persona))
    assert response.status_code == 200
    if persona == "client":
        assert "Fill in your interests first" in response.text
        assert f'href="{reverse("community:my_interests")}"' in response.text
    else:
        assert "No interest inventory yet" in response.text
    assert "Dice night" not in response.text


def test_nothing_fits_says_so(world):
    inventory(world, interests={"music": 3})
    resource(world, "Dice night")
    text = world.as_("client").get(page_url(world, "client")).text
    assert "Nothing fits just yet" in text


def test_the_care_teams_look_is_audited_and_the_clients_own_is_not(world):
    inventory(world)
    world.as_("client").get(page_url(world, "client"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
    world.as_("therapist").get(page_url(world, "therapist"))
    assert AuditEvent.objects.filter(
        client=world.client, actor=world.therapist.user, action=AuditEvent.Action.VIEW
    ).exists()


def test_groups_is_a_tab_on_the_record_and_a_place_in_the_portal(world):
    inventory(world)
    client_page = world.as_("client").get(reverse("goals:my_goals")).text
    assert f'href="{reverse("community:my_suggestions")}"' in client_page
    therapist_page = world.as_("therapist").get(reverse("goals:goals", args=[world.client.pk])).text
    assert f'href="{page_url(world, "therapist")}"' in therapist_page


# Pin, hide, clear --------------------------------------------------------------------------


def test_pin_puts_a_resource_first_and_unpin_clears_it(world):
    inventory(world)
    resource(world, "Near dice", km=0.5)
    far = resource(world, "Far dice", km=4)
    http = world.as_("therapist")

    response = http.post(mark_url(world, far), {"state": "pinned"})

    assert response.status_code == 302
    assert response["Location"] == page_url(world, "therapist")
    mark = Mark.objects.get(client=world.client, resource=far)
    assert mark.state == Mark.State.PINNED and mark.by == world.therapist.user
    assert AuditEvent.objects.filter(
        client=world.client, action=AuditEvent.Action.CREATE, target=f"mark:{mark.pk}"
    ).exists()
    text = http.get(page_url(world, "therapist")).text
    assert text.index("Far dice") < text.index("Near dice")
    assert "Unpin" in text
    client_text = world.as_("client").get(page_url(world, "client")).text
    assert "From your therapist" in client_text

    http.post(mark_url(world, far), {"state": "clear"})

    assert not Mark.objects.filter(client=world.client).exists()
    assert AuditEvent.objects.filter(
        client=world.client, action=AuditEvent.Action.UPDATE, target=f"mark:{mark.pk}"
    ).exists()


def test_hide_removes_it_for_the_client_and_show_again_brings_it_back(world):
    inventory(world)
    target = resource(world, "Loud dice")
    http = world.as_("therapist")

    http.post(mark_url(world, target), {"state": "hidden"})

    client_text = world.as_("client").get(page_url(world, "client")).text
    assert "Loud dice" not in client_text
    therapist_text = http.get(page_url(world, "therapist")).text
    assert "Hidden for this client" in therapist_text and "Show again" in therapist_text

    http.post(mark_url(world, target), {"state": "clear"})
    assert "Loud dice" in world.as_("client").get(page_url(world, "client")).text


def test_marking_changes_an_existing_mark(world):
    inventory(world)
    target = resource(world, "Dice")
    http = world.as_("therapist")
    http.post(mark_url(world, target), {"state": "pinned"})
    http.post(mark_url(world, target), {"state": "hidden"})
    assert Mark.objects.get(client=world.client, resource=target).state == Mark.State.HIDDEN


def test_a_bad_state_changes_nothing(world):
    target = resource(world, "Dice")
    response = world.as_("therapist").post(mark_url(world, target), {"state": "starred"})
    assert response.status_code == 302
    assert not Mark.objects.exists()


def test_another_practices_resource_cannot_be_marked(world):
    theirs = resource(world, "Their dice", practice=world.other_practice)
    response = world.as_("therapist").post(mark_url(world, theirs), {"state": "pinned"})
    assert response.status_code == 404
    assert not Mark.objects.exists()


@pytest.mark.parametrize("persona", ["colleague", "stranger", "client", "other_client"])
def test_only_the_care_team_marks(world, persona):
    target = resource(world, "Dice")
    response = world.as_(persona).post(mark_url(world, target), {"state": "hidden"})
    assert response.status_code == 404
    assert not Mark.objects.exists()


# Scale ---------------------------------------------------------------------------------------


def fill(world, count: int) -> None:
    """Resources of every shape: weekly and dated, in person and online, some pinned/hidden."""
    for number in range(count):
        made = resource(
            world,
            f"Games {number}",
            km=(number % 40) / 10,
            online=number % 7 == 0,
            weekday=None if number % 3 == 0 else number % 7,
            start=None if number % 3 == 0 else datetime.time(19),
            description=f"Board games and dice, table {number}",
            tags=("games", "Football") if number % 2 else ("games",),
        )
        if made.weekday is None:
            ResourceOccurrence.objects.create(resource=made, start=local(2026, 11, 26, 19, 0))
            ResourceOccurrence.objects.create(resource=made, start=local(2026, 11, 12, 19, 0))
        if number in (1, 2):
            Mark.objects.create(
                client=world.client,
                resource=made,
                state=Mark.State.PINNED if number == 1 else Mark.State.HIDDEN,
                by=world.therapist.user,
            )


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_page_makes_the_same_number_of_queries_for_10_or_200_resources(world, persona):
    inventory(world, interests={"games": 3, "Badminton": 1}, free_text="board games")
    http = world.as_(persona)
    http.get(page_url(world, persona))  # a warm process: matching's naming index is built once
    counts = []
    for size in (10, 200):
        Resource.objects.filter(practice=world.practice).delete()
        fill(world, size)
        with CaptureQueriesContext(connection) as queries:
            response = http.get(page_url(world, persona))
        assert response.status_code == 200
        assert response.text.count('class="card stack suggestion-card') == min(size - 1, 20)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_plans_are_reachable_from_the_groups_page(world, persona):
    plans = (
        reverse("community:my_plans")
        if persona == "client"
        else reverse("community:plans", args=[world.client.pk])
    )
    assert f'href="{plans}"' in world.as_(persona).get(page_url(world, persona)).text
