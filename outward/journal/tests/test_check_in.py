"""The client's check-in form (/me/check-in/)."""

import datetime
import zoneinfo

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.journal.models import CheckIn

URL = "/me/check-in/"
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

ANSWERS = {
    "mood": "6",
    "loneliness": "3",
    "meaningful_interactions": "4",
    "in_person": "3",
    "online": "1",
    "win": "Said yes to the quiz night",
    "note": "Tired but glad I went",
}


def test_the_form_asks_mood_and_loneliness_on_0_to_10(world):
    response = world.as_("client").get(URL)
    assert response.status_code == 200
    for name in ["mood", "loneliness"]:
        assert response.text.count(f'type="radio" name="{name}"') == 11
        for value in range(11):
            assert f'name="{name}" value="{value}"' in response.text
    assert 'name="note_private"' in response.text


def test_a_check_in_is_saved_and_audited(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 20, 0, tzinfo=NEW_YORK), tick=False)

    response = world.as_("client").post(URL, ANSWERS)

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    check_in = CheckIn.objects.get()
    assert (check_in.client, check_in.author) == (world.client, world.client.user)
    assert check_in.occurred == datetime.datetime(2026, 11, 24, 20, 0, tzinfo=NEW_YORK)
    assert (check_in.mood, check_in.loneliness) == (6, 3)
    assert (check_in.meaningful_interactions, check_in.in_person, check_in.online) == (4, 3, 1)
    assert (check_in.win, check_in.note, check_in.note_visibility) == (
        "Said yes to the quiz night",
        "Tired but glad I went",
        "shared",
    )
    assert AuditEvent.objects.filter(action="create", target=f"checkin:{check_in.pk}").exists()


def test_the_split_may_be_less_than_the_total(world):
    data = {**ANSWERS, "meaningful_interactions": "5", "in_person": "1", "online": "0"}
    assert world.as_("client").post(URL, data).status_code == 302


def test_in_person_and_online_above_the_total_is_a_field_error(world):
    response = world.as_("client").post(
        URL, {**ANSWERS, "meaningful_interactions": "3", "in_person": "2", "online": "2"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["online"]
    assert "add up to more than 3" in errors["online"][0]
    assert "add up to more than 3" in response.text
    assert not CheckIn.objects.exists()


def test_missing_answers_are_field_errors(world):
    response = world.as_("client").post(URL, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "mood",
        "loneliness",
        "meaningful_interactions",
        "in_person",
        "online",
    }
    assert "Please check these and try again:" in response.text
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mood": "11"}, "mood"),
        ({"mood": "-1"}, "mood"),
        ({"loneliness": "lots"}, "loneliness"),
        ({"meaningful_interactions": "501"}, "meaningful_interactions"),
        ({"in_person": "-1"}, "in_person"),
        ({"win": "w" * 301}, "win"),
    ],
)
def test_out_of_range_answers_are_refused(world, change, field):
    response = world.as_("client").post(URL, {**ANSWERS, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_the_check_in_is_a_happening_without_its_note(world):
    world.as_("client").post(URL, {**ANSWERS, "note": "PRIVATE-CHECKIN-NOTE", "note_private": "on"})
    found = happenings.happenings(
        client_ids=[world.client.pk],
        start=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    # The win of the week becomes a win (and the first check-in a first): happenings too.
    assert {h.kind for h in found} == {
        "journal.check_in",
        "journal.week.win",
        "goals.own.win",
        "goals.first.win",
    }
    assert all("PRIVATE-CHECKIN-NOTE" not in h.summary for h in found)
    assert [h.summary for h in found if h.kind == "journal.week.win"] == [
        "Said yes to the quiz night"
    ]
