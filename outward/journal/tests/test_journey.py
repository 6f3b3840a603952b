"""My journey: wins, firsts, rungs climbed and map changes from the happenings registry, a
month a page, in a constant number of queries."""

import datetime
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outward.goals.models import Win
from outward.journal import selectors, services
from outward.tests.test_access_matrix import _rung

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
URL = reverse("journal:my_journey")


def at(month, day, hour=12):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=NEW_YORK)


def test_the_journey_lists_wins_firsts_rungs_and_map_changes(world, time_machine):
    from outward.skills import services as skills_services

    time_machine.move_to(at(11, 3), tick=False)
    services.person_add(
        client=world.client,
        author=world.client.user,
        ip=None,
        name="PRIVATE-PERSON-NAME",
        circle=1,
        role="family",
        touch="weekly",
    )
    time_machine.move_to(at(11, 10), tick=False)
    services.contact_log(client=world.client, author=world.client.user, ip=None, kind="reached_out")
    time_machine.move_to(at(11, 12), tick=False)
    rung = _rung(world)
    skills_services.rung_done(rung=rung, actor=world.client.user, ip=None)
    time_machine.move_to(at(11, 20), tick=False)
    page = world.as_("client").get(URL).text
    assert "November 2026" in page
    assert "First time" in page and "A first: you reached out to someone" in page
    assert "A rung climbed" in page and "Say hello to a neighbour" in page
    # The rung's own win is the same moment: shown once, as the rung.
    assert page.count("Say hello to a neighbour") == 1
    assert Win.objects.filter(source=f"skills.rung:{rung.pk}").exists()
    assert "Updated the relationship map" in page
    assert "PRIVATE-PERSON-NAME" not in page  # who is on the map stays on the map's pages
    # Newest first.
    assert page.index("A rung climbed") < page.index("Updated the relationship map")


def test_months_page_back_to_when_the_client_joined(world, time_machine):
    time_machine.move_to(at(11, 20), tick=False)
    world.client.created = at(9, 15)
    world.client.save(update_fields=["created"])
    http = world.as_("client")
    page = http.get(URL).text
    assert "?month=2026-10" in page and "?month=2026-12" not in page
    page = http.get(URL + "?month=2026-09").text
    assert "September 2026" in page and "?month=2026-08" not in page
    assert "?month=2026-10" in page
    for bad in ["2026-13", "x", "9999-01", "2027-01", "-1", "0001-01"]:
        assert "November 2026" in http.get(URL, {"month": bad}).text


def test_the_journey_takes_the_same_queries_for_5_and_200_wins(world, time_machine):
    time_machine.move_to(at(11, 28), tick=False)
    http = world.as_("client")

    def fill(count):
        Win.objects.bulk_create(
            Win(client=world.client, kind="own", text=f"Win {n}", occurred=at(11, 1 + n % 27))
            for n in range(count)
        )

    fill(5)
    http.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert http.get(URL).status_code == 200
    fill(195)
    with CaptureQueriesContext(connection) as large:
        response = http.get(URL)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.text.count("journey-item") == 200


def test_parse_month():
    today = datetime.date(2026, 11, 20)
    assert selectors.parse_month("2026-03", today=today) == datetime.date(2026, 3, 1)
    assert selectors.parse_month(None, today=today) == datetime.date(2026, 11, 1)
    assert selectors.parse_month("2026-12", today=today) == datetime.date(2026, 11, 1)
