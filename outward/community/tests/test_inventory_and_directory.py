from django.urls import reverse

from outward.care.models import AuditEvent
from outward.community.models import Area, Interest, InterestProfile, Resource


def test_taxonomy_has_outward_areas_and_openactive_branch(db):
    sport = Interest.objects.get(key="sport-and-movement")
    badminton = Interest.objects.get(label="Badminton")
    assert badminton.source == "openactive"
    assert Interest.objects.filter(source="openactive").count() == 768
    # Roots of the OpenActive list hang under "Sport and movement"; deeper ones keep parents.
    assert (
        sport in badminton.broader.all() or badminton.broader.filter(source="openactive").exists()
    )
    football = Interest.objects.get(label="Football")
    assert Interest.objects.get(label="11-a-side").broader.filter(pk=football.pk).exists()


def _inventory(**extra):
    data = {
        "interest_games": "3",
        "interest_music": "1",
        "activities": "Badminton, yoga",
        "free_text": "I used to love sci-fi and board games",
        "max_travel_km": "5",
        "budget_per_session": "10",
        "mode": "either",
        "free_3_start": "18:00",
        "free_3_end": "21:00",
    }
    for interest in Interest.objects.filter(source="outward"):
        data.setdefault(f"interest_{interest.key}", "0")
    return data | extra


def test_client_fills_the_inventory(world):
    area = Area.objects.create(
        practice=world.practice, name="Riverside North", latitude=40.7, longitude=-74.0
    )
    http = world.as_("client")
    response = http.post(reverse("community:my_interests"), _inventory(area=area.pk))
    assert response.status_code == 302
    profile = InterestProfile.objects.get(client=world.client)
    strengths = {choice.interest.label: choice.strength for choice in profile.choices.all()}
    assert strengths == {"Games": 3, "Music": 1, "Badminton": 2, "Yoga": 2}
    assert [(w.weekday, w.start.hour, w.end.hour) for w in profile.free_windows.all()] == [
        (3, 18, 21)
    ]
    assert profile.area == area and profile.budget_per_session == 10
    page = http.get(reverse("community:my_interests")).text
    assert 'value="Badminton, Yoga"' in page or "Badminton, Yoga" in page


def test_inventory_bad_input_saves_nothing(world):
    http = world.as_("client")
    cases = [
        _inventory(activities="Underwater origami"),
        _inventory(free_3_end="17:00"),
        _inventory(free_4_start="10:00"),
        _inventory(max_travel_km="-1"),
        _inventory(mode="teleport"),
    ]
    for data in cases:
        response = http.post(reverse("community:my_interests"), data)
        assert response.status_code == 200
        assert 'class="error"' in response.text
    assert not InterestProfile.objects.exists()


def test_therapist_fills_it_with_the_client_and_it_is_audited(world):
    url = reverse("community:interests", args=[world.client.pk])
    world.as_("therapist").post(url, _inventory())
    assert InterestProfile.objects.filter(client=world.client).exists()
    assert AuditEvent.objects.filter(
        client=world.client, target__startswith="interestprofile:"
    ).exists()


RESOURCE = {
    "name": "Thursday board games",
    "description": "Relaxed board games at the library.",
    "kind": "group",
    "interests": "Games",
    "latitude": "40.71",
    "longitude": "-74.0",
    "weekday": "3",
    "start_time": "19:00",
    "end_time": "21:00",
    "cost_per_session": "0",
    "social_intensity": "1",
}


def test_therapist_adds_and_edits_a_resource(world):
    http = world.as_("therapist")
    response = http.post(reverse("community:resource_create"), RESOURCE)
    resource = Resource.objects.get()
    assert response["Location"] == reverse("community:resource_detail", args=[resource.pk])
    assert resource.practice == world.practice and resource.social_intensity == 1
    assert [i.label for i in resource.interests.all()] == ["Games"]
    http.post(
        reverse("community:resource_edit", args=[resource.pk]), RESOURCE | {"name": "Board games"}
    )
    resource.refresh_from_db()
    assert resource.name == "Board games"
    assert "Board games" in http.get(reverse("community:directory")).text


def test_resource_bad_input(world):
    http = world.as_("therapist")
    for data in [
        RESOURCE | {"latitude": "", "longitude": ""},  # in person needs a place
        RESOURCE | {"latitude": "91"},
        RESOURCE | {"interests": "Nonsense"},
        RESOURCE | {"end_time": "18:00"},
        RESOURCE | {"social_intensity": "9"},
        {},
    ]:
        response = http.post(reverse("community:resource_create"), data)
        assert response.status_code == 200 and 'class="error"' in response.text
    assert not Resource.objects.exists()


def test_directory_is_per_practice(world):
    Resource.objects.create(
        practice=world.other_practice, name="Hilltop choir", kind="group", online=True
    )
    assert "Hilltop choir" not in world.as_("therapist").get(reverse("community:directory")).text
    assert "Hilltop choir" in world.as_("stranger").get(reverse("community:directory")).text


def test_directory_query_count_is_constant(world, django_assert_max_num_queries):
    games = Interest.objects.get(key="games")
    for number in range(30):
        resource = Resource.objects.create(
            practice=world.practice, name=f"R{number}", kind="club", online=True
        )
        resource.interests.add(games)
    http = world.as_("therapist")
    # Ten: the page's own, and whether any in-person entry needs a location.
    with django_assert_max_num_queries(10):
        assert http.get(reverse("community:directory")).status_code == 200


def test_a_pasted_wall_of_activities_is_a_form_error_not_a_500(
    world, django_assert_max_num_queries
):
    """Found in issue 8: 60,000 characters gave SQLite "LIKE pattern too complex" (a 500) and
    50,000 comma-separated names took 23 s (a query each)."""
    http = world.as_("client")
    for activities in ("x" * 60000, ", ".join(["Badminton"] * 50000), "a," * 31):
        response = http.post(reverse("community:my_interests"), _inventory(activities=activities))
        assert response.status_code == 200
        assert 'class="error"' in response.text
    assert not InterestProfile.objects.exists()


def test_activities_are_found_in_one_query_whatever_their_case(world, django_assert_num_queries):
    from outward.community.forms import _interests_named

    with django_assert_num_queries(1):
        found = _interests_named("badminton, YOGA, Badminton", "%(names)s")
    assert [interest.label for interest in found] == ["Badminton", "Yoga"]
