"""The journal page (/me/journal/ and the therapist's tab): what the client kept private never
reaches the therapist; times in the viewer's zone; a constant number of queries."""

import datetime
import zoneinfo

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.journal import services
from outward.journal.models import CheckIn, Contact

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
MY_PAGE = "/me/journal/"
SECRET = "PRIVATE-JOURNAL-NOTE about my sister"


def therapist_page(world):
    return f"/clients/{world.client.pk}/journal/"


def check_in(world, **fields):
    answers = {"mood": 5, "loneliness": 5, "meaningful_interactions": 2, "in_person": 1}
    return services.check_in_create(
        client=world.client, author=world.client.user, ip=None, online=1, **answers | fields
    )


def everything_that_happened(world):
    return happenings.happenings(
        client_ids=[world.client.pk],
        start=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )


def test_a_private_check_in_note_is_the_clients_alone(world):
    world.as_("client").post(
        "/me/check-in/",
        {
            "mood": "4",
            "loneliness": "7",
            "meaningful_interactions": "1",
            "in_person": "1",
            "online": "0",
            "note": SECRET,
            "note_private": "on",
        },
    )
    assert CheckIn.objects.get().note_visibility == "private"

    mine = world.as_("client").get(MY_PAGE).text
    assert SECRET in mine and "only you can see this note" in mine

    theirs = world.as_("therapist").get(therapist_page(world))
    assert theirs.status_code == 200
    assert SECRET not in theirs.text
    assert "kept the note of this check-in private" in theirs.text
    assert "Mood 4/10 · loneliness 7/10" in theirs.text  # the answers themselves are shared
    overview = world.as_("therapist").get(f"/clients/{world.client.pk}/").text
    assert SECRET not in overview
    assert all(SECRET not in h.summary for h in everything_that_happened(world))


def test_a_shared_note_reaches_the_therapist(world):
    check_in(world, note="Shared with Tara")
    assert "Shared with Tara" in world.as_("therapist").get(therapist_page(world)).text


def test_a_private_contact_is_never_shown_to_the_therapist(world):
    world.as_("client").post(
        "/me/journal/contacts/",
        {"kind": "met_up", "with_whom": "Secret Sam", "note": SECRET, "private": "on"},
    )
    world.as_("client").post("/me/journal/contacts/", {"kind": "event", "with_whom": "Book club"})
    assert Contact.objects.get(with_whom="Secret Sam").visibility == "private"

    mine = world.as_("client").get(MY_PAGE).text
    assert "Secret Sam" in mine and SECRET in mine and "only you can see this" in mine

    theirs = world.as_("therapist").get(therapist_page(world)).text
    assert "Secret Sam" not in theirs and SECRET not in theirs
    assert '<li class="card">Met up with someone' not in theirs
    assert "Book club" in theirs
    overview = world.as_("therapist").get(f"/clients/{world.client.pk}/").text
    assert "Secret Sam" not in overview and SECRET not in overview
    for happening in everything_that_happened(world):
        assert "Secret Sam" not in happening.summary and SECRET not in happening.summary


def test_another_clients_journal_is_not_mixed_in(world):
    services.contact_log(
        client=world.other_client,
        author=world.other_client.user,
        ip=None,
        kind="event",
        with_whom="Olive's friend",
    )
    for persona, url in [("client", MY_PAGE), ("therapist", therapist_page(world))]:
        assert "Olive's friend" not in world.as_(persona).get(url).text


def test_trend_chart_and_table_label_days_in_the_viewers_time_zone(world, time_machine):
    # 22:00 on Sunday 1 November in New York is already 2 November in UTC.
    time_machine.move_to(datetime.datetime(2026, 11, 1, 22, 0, tzinfo=NEW_YORK), tick=False)
    check_in(world, mood=3)
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0, tzinfo=NEW_YORK), tick=False)
    check_in(world, mood=7)
    for persona, url in [("client", MY_PAGE), ("therapist", therapist_page(world))]:
        text = world.as_(persona).get(url).text
        assert ">1 Nov 2026</td>" in text and ">2 Nov 2026</td>" not in text  # the table
        assert "Sunday 1 November" in text  # the check-in's heading
        assert ">1 Nov</text>" in text and ">2 Nov</text>" not in text  # the charts' x labels
        assert "<title>1 Nov: 3</title>" in text


def test_the_therapist_sees_the_schedule_form_and_the_client_does_not(world):
    assert 'name="every_days"' in world.as_("therapist").get(therapist_page(world)).text
    assert 'name="every_days"' not in world.as_("client").get(MY_PAGE).text


def fill(world, rows: range) -> None:
    for number in rows:
        occurred = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=NEW_YORK) + datetime.timedelta(
            days=7 * number
        )
        CheckIn.objects.create(
            client=world.client,
            author=world.client.user,
            occurred=occurred,
            mood=number % 11,
            loneliness=10 - number % 11,
            meaningful_interactions=3,
            in_person=2,
            online=1,
            win=f"Win {number}",
            note=f"Note {number}",
            note_visibility="private" if number % 2 else "shared",
        )
        Contact.objects.create(
            client=world.client,
            author=world.client.user,
            occurred=occurred,
            kind="event",
            with_whom=f"Person {number}",
            quality=3,
            visibility="private" if number % 3 == 0 else "shared",
        )


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_journal_page_query_count_is_constant(world, persona, django_assert_max_num_queries):
    url = MY_PAGE if persona == "client" else therapist_page(world)
    http = world.as_(persona)
    http.get(url)
    # Measured: session, user, who they are (2); the trend, the check-ins' count and page, the
    # contacts, the check-in schedule; the session save (3); for the therapist, the audit
    # event (3: a link of the hash chain). The same for 5 rows and for 30.
    bound = 15 if persona == "therapist" else 12
    fill(world, range(5))
    with django_assert_max_num_queries(bound):
        response = http.get(url)
    assert response.text.count('<article class="card stack">') == 5

    fill(world, range(5, 30))
    with django_assert_max_num_queries(bound):
        response = http.get(url)
    assert response.text.count('<article class="card stack">') == 10  # a page of check-ins
    assert response.text.count("<tr><td") == 12  # the trend table: the latest 12 only


def test_the_care_teams_every_look_is_audited(world):
    before = AuditEvent.objects.filter(action="view").count()
    assert world.as_("therapist").get(therapist_page(world)).status_code == 200
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert (event.client, event.actor, event.target) == (
        world.client,
        world.therapist.user,
        f"client:{world.client.pk}",
    )


def test_a_private_contact_is_not_even_counted_for_the_therapist(world):
    world.as_("client").post("/me/journal/contacts/", {"kind": "met_up", "private": "on"})
    overview = world.as_("therapist").get(f"/clients/{world.client.pk}/").text
    assert "met up with someone" not in overview
