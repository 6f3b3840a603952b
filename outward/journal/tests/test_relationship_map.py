"""The relationship map: people in three circles, edited as a list with a circle picker,
picked from the contact log, kept private, snapshotted once a day and compared in words."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outward.care.records import Visibility
from outward.journal import selectors, services
from outward.journal.models import MapSnapshot, Person
from outward.lib.convoy import Place, convoy_layout, map_changes

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ADD = reverse("journal:my_person_add")


def add(world, name, circle, *, touch="weekly", role="friend", **fields):
    return services.person_add(
        client=world.client,
        author=world.client.user,
        ip=None,
        name=name,
        circle=circle,
        role=role,
        touch=touch,
        **fields,
    )


def at(day, hour=12):
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=NEW_YORK)


def test_the_client_adds_someone_by_name_and_moves_them_with_the_circle_picker(world):
    http = world.as_("client")
    response = http.post(
        ADD, {"name": " Jo  Lee ", "circle": "3", "role": "neighbour", "touch": "monthly"}
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.name, person.circle, person.role, person.visibility) == (
        "Jo Lee",
        3,
        "neighbour",
        Visibility.SHARED,
    )
    page = http.get(reverse("journal:my_map")).text
    assert 'role="img"' in page and "<title" in page and "Wider: 1 person." in page
    assert "Circle for Jo Lee" in page  # the picker, labelled per person
    http.post(reverse("journal:my_person_move", args=[person.pk]), {"circle": "1"})
    person.refresh_from_db()
    assert person.circle == 1
    # Two changes on one day: one snapshot, updated in place.
    [snapshot] = MapSnapshot.objects.all()
    assert snapshot.people == [
        {"person": person.pk, "circle": 1, "role": "neighbour", "touch": "monthly"}
    ]


def test_someone_from_the_contact_log_is_picked_not_retyped(world):
    from outward.journal.models import Contact

    for name in ["Priya", "Priya", "Ben"]:
        services.contact_log(
            client=world.client, author=world.client.user, ip=None, kind="met_up", with_whom=name
        )
    add(world, "Ben", 2)
    http = world.as_("client")
    page = http.get(reverse("journal:my_map")).text
    assert '<option value="Priya">Priya</option>' in page
    assert '<option value="Ben">' not in page  # on the map already
    http.post(ADD, {"picked": "Priya", "circle": "2", "role": "friend", "touch": "weekly"})
    assert Person.objects.filter(name="Priya").exists()
    assert Contact.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pick someone from your contact log or write a name."),
        ({"picked": "Priya", "name": "Sam"}, "Pick a name or write one, not both."),
        ({"name": "Sam", "circle": "4"}, "Select a valid choice."),
        ({"name": "x" * 121}, "at most 120 characters"),
        ({"picked": "Nobody"}, "Select a valid choice."),
    ],
)
def test_bad_input_says_why_and_changes_nothing(world, data, message):
    services.contact_log(
        client=world.client, author=world.client.user, ip=None, kind="met_up", with_whom="Priya"
    )
    response = world.as_("client").post(
        ADD, {"circle": "2", "role": "friend", "touch": "weekly"} | data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists() and not MapSnapshot.objects.exists()


def test_a_private_person_never_reaches_the_care_team(world):
    add(world, "Shared Sam", 2)
    add(world, "SECRET-PERSON", 1, visibility=Visibility.PRIVATE)
    http = world.as_("therapist")
    for url in [
        reverse("journal:map", args=[world.client.pk]),
        reverse("journal:map_history", args=[world.client.pk])
        + "?since=2026-01-01&until=2030-01-01",
    ]:
        page = http.get(url).text
        assert "Shared Sam" in page
        assert "SECRET-PERSON" not in page
        assert "Closest: 0 people." in page  # not even counted
    history = http.get(reverse("journal:map_history", args=[world.client.pk])).text
    assert "Closest 0 · Close 1 · Wider 0" in history
    mine = world.as_("client").get(reverse("journal:my_map")).text
    assert "SECRET-PERSON" in mine and "only you can see this person" in mine
    assert [p.name for p in selectors.people(client=world.client, viewer=None)] == ["Shared Sam"]
    assert "SECRET-PERSON" not in http.get(reverse("journal:map", args=[world.client.pk])).text


def test_a_day_only_a_private_person_changed_is_not_in_the_care_teams_history(world, time_machine):
    time_machine.move_to(at(2), tick=False)
    add(world, "Shared Sam", 2)
    time_machine.move_to(at(9), tick=False)
    add(world, "SECRET-PERSON", 1, visibility=Visibility.PRIVATE)
    url = reverse("journal:map_history", args=[world.client.pk])
    page = world.as_("therapist").get(url).text
    assert "Monday 2 November 2026" in page and "9 November" not in page
    mine = world.as_("client").get(reverse("journal:my_map_history")).text
    assert "Monday 9 November 2026" in mine and "1 new person in the closest circle" in mine


def test_a_map_change_is_a_happening_the_care_team_sees_only_for_shared_people(world, time_machine):
    from outward.care import happenings

    time_machine.move_to(at(2), tick=False)
    add(world, "Shared Sam", 2)
    time_machine.move_to(at(9), tick=False)
    add(world, "SECRET-PERSON", 1, visibility=Visibility.PRIVATE)
    time_machine.move_to(at(16), tick=False)
    sam = Person.objects.get(name="Shared Sam")
    services.person_update(person=sam, actor=world.client.user, ip=None, role="colleague")
    window = {
        "client_ids": [world.client.pk],
        "start": at(1),
        "end": at(20),
        "kinds": [selectors.MAP_SNAPSHOT],
    }
    seen = happenings.happenings(**window, viewer=world.therapist.user)
    assert [h.occurred.date() for h in seen] == [at(2).date(), at(16).date()]
    assert len(happenings.happenings(**window, viewer=world.client.user)) == 3
    history = (
        world.as_("therapist").get(reverse("journal:map_history", args=[world.client.pk])).text
    )
    assert "16 November" in history and "9 November" not in history


def test_the_care_team_reads_the_map_but_cannot_change_it(world):
    person = add(world, "Alex", 2)
    page = world.as_("therapist").get(reverse("journal:map", args=[world.client.pk])).text
    assert "Alex" in page and "Add someone" not in page and "Move" not in page
    assert (
        world.as_("therapist").post(f"/clients/{world.client.pk}/journal/people/add/").status_code
        == 404
    )
    assert Person.objects.get().pk == person.pk


def test_editing_and_taking_someone_off_the_map(world):
    person = add(world, "Alex", 2)
    http = world.as_("client")
    edit = reverse("journal:my_person_edit", args=[person.pk])
    http.post(
        edit,
        {"name": "Alex B", "circle": "1", "role": "partner", "touch": "most_days", "private": "on"},
    )
    person.refresh_from_db()
    assert (person.name, person.circle, person.role, person.visibility) == (
        "Alex B",
        1,
        "partner",
        Visibility.PRIVATE,
    )
    remove = reverse("journal:my_person_remove", args=[person.pk])
    assert "Take Alex B off your map?" in http.post(remove).text  # asks first
    http.post(remove, {"confirmed": "1"})
    person.refresh_from_db()
    assert person.removed is not None
    assert http.get(edit).status_code == 404
    assert MapSnapshot.objects.get().people == []


def test_a_snapshot_a_day_and_a_comparison_in_words(world, time_machine):
    time_machine.move_to(at(2), tick=False)
    ana = add(world, "Ana", 1)
    ben = add(world, "Ben", 2)
    cy = add(world, "Cy", 3)
    dee = add(world, "Dee", 3)
    eve = add(world, "Eve", 3)
    time_machine.move_to(at(20), tick=False)
    for person, changes in [
        (ben, {"circle": 1}),
        (cy, {"circle": 2}),
        (dee, {"touch": "lost"}),
    ]:
        services.person_update(person=person, actor=world.client.user, ip=None, **changes)
    add(world, "Fay", 3)
    services.person_remove(person=eve, actor=world.client.user, ip=None)
    assert list(MapSnapshot.objects.order_by("day").values_list("day", flat=True)) == [
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 20),
    ]
    compared = selectors.map_compare(
        client=world.client,
        viewer=world.therapist.user,
        since=datetime.date(2026, 11, 10),
        until=datetime.date(2026, 11, 20),
    )
    assert compared.changes == [
        "2 people moved closer",
        "1 new person in the wider circle",
        "1 lost touch",
        "1 no longer on the map",
    ]
    assert compared.before.day == datetime.date(2026, 11, 2)
    assert [p.name for p in compared.before.people] == ["Ana", "Ben", "Cy", "Dee", "Eve"]
    assert ana.pk in compared.after.places
    # The page says the same, and the history lists each day with its changes.
    http = world.as_("client")
    page = http.get(reverse("journal:my_map_history") + "?since=2026-11-10&until=2026-11-20").text
    assert "2 people moved closer" in page and "From 10 Nov 2026 to 20 Nov 2026" in page
    assert page.count('role="img"') == 2
    assert "The first map." in page


def test_an_empty_or_backwards_comparison_says_why(world):
    http = world.as_("client")
    page = http.get(reverse("journal:my_map_history") + "?since=2026-11-20&until=2026-11-01").text
    assert "Choose a date after the first one." in page
    page = http.get(reverse("journal:my_map_history") + "?since=0001-01-01&until=").text
    assert "Enter a date between" in page and "This field is required." in page


def test_changes_and_layout_are_pure():
    before = {1: Place(1, "weekly"), 2: Place(2, "weekly"), 3: Place(3, "lost")}
    after = {1: Place(2, "weekly"), 3: Place(3, "monthly"), 4: Place(1, "weekly")}
    changes = map_changes(before, after)
    assert (changes.closer, changes.further, changes.back_in_touch, changes.off_the_map) == (
        0,
        1,
        1,
        1,
    )
    assert dict(changes.new) == {1: 1}
    assert selectors.change_sentences(changes) == [
        "1 person moved further out",
        "1 new person in the closest circle",
        "1 back in touch",
        "1 no longer on the map",
    ]
    assert not map_changes(before, before).any()
    layout = convoy_layout([("A very long name indeed", 1), ("Bo", 3), ("Cy", 3)], size=360)
    assert [ring.radius for ring in layout.rings] == [71.1, 120.1, 169.2]
    assert layout.dots[0].label == "A very long…"
    for dot in layout.dots:
        assert 0 <= dot.x <= 360 and 0 <= dot.y <= 360
    distance = [((d.x - 180) ** 2 + (d.y - 180) ** 2) ** 0.5 for d in layout.dots]
    assert 16 < distance[0] < 71.1 and all(120.1 < d < 169.2 for d in distance[1:])


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_map_history_takes_the_same_queries_for_5_and_200_snapshots(world, persona):
    people = [add(world, f"Person {n}", 1 + n % 3) for n in range(6)]
    url = (
        reverse("journal:my_map_history")
        if persona == "client"
        else reverse("journal:map_history", args=[world.client.pk])
    )
    url += "?since=2026-01-01&until=2026-06-01"
    http = world.as_(persona)

    def fill(start, count):
        MapSnapshot.objects.bulk_create(
            MapSnapshot(
                client=world.client,
                author=world.client.user,
                day=datetime.date(2020, 1, 1) + datetime.timedelta(days=start + n),
                people=[
                    {"person": p.pk, "circle": 1 + (n + i) % 3, "role": "friend", "touch": "weekly"}
                    for i, p in enumerate(people)
                ],
            )
            for n in range(count)
        )

    fill(0, 5)
    http.get(url)
    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    fill(5, 195)
    with CaptureQueriesContext(connection) as large:
        assert http.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_map_page_takes_the_same_queries_for_5_and_200_people(world, persona):
    url = (
        reverse("journal:my_map")
        if persona == "client"
        else reverse("journal:map", args=[world.client.pk])
    )
    http = world.as_(persona)
    for n in range(5):
        add(world, f"Person {n}", 1 + n % 3)
    http.get(url)
    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    Person.objects.bulk_create(
        Person(
            client=world.client,
            author=world.client.user,
            name=f"More {n}",
            circle=1 + n % 3,
            role="group",
            touch="rarely",
        )
        for n in range(195)
    )
    with CaptureQueriesContext(connection) as large:
        assert http.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
