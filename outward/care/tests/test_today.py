import pytest
from django.urls import reverse

from outward.care.models import Client
from outward.seeding import seed_load


def test_today_shows_own_things_only(world):
    text = world.as_("client").get(reverse("care:today")).text
    assert "Hello, Casey" in text and "Tara Therapist" in text
    assert "Olive" not in text and "Cole Colleague" not in text
    assert "not watched in real time" in text


def test_client_home_is_today(world):
    assert world.as_("client").get("/")["Location"] == reverse("care:today")


@pytest.mark.parametrize("size", [10, 200])
def test_today_query_count_is_constant(db, client, size, django_assert_num_queries, settings):
    # Today's own queries: the session's save after every request is the session's, not
    # the page's (and is going away).
    settings.SESSION_SAVE_EVERY_REQUEST = False
    practice = seed_load(therapists=1, clients=size, notes_per_client=3)
    person = (
        Client.objects.filter(practice=practice, status=Client.Status.ACTIVE)
        .select_related("user")
        .first()
    )
    person.user.is_active = True  # seed_load's clients have not accepted an invitation
    person.user.save(update_fields=["is_active"])
    client.force_login(person.user)
    # the session with its person and their client record (one statement); what is due: one
    # query asks every room with a probe whether it may have something (questionnaires, plans,
    # lessons, planned attempts: none here, so none of them is read); goals (open steps, cadence
    # goals, their taps and finished steps in one query, logged contacts); the journal (plans
    # attended and practice attempts to reflect on; check-in and look back in one query); the
    # care team's words on wins; this week counted in one query; the care team. (15 before the
    # session read its person, 21 before the probes, 40 before the week was counted in one
    # query.)
    with django_assert_num_queries(12):
        response = client.get(reverse("care:today"))
    assert response.status_code == 200
    assert "Reach out to a friend weekly" in response.text
