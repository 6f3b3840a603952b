from django.urls import reverse

from outward.community.models import Interest, Resource


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


def test_a_phone_and_email_an_import_set_can_be_edited_and_are_links(world):
    http = world.as_("therapist")
    edit = reverse("community:resource_create")
    http.post(edit, RESOURCE | {"phone": "+44 (0)113 496 0000", "email": "chess@club.example"})
    resource = Resource.objects.get()
    assert (resource.phone, resource.email) == ("+44 (0)113 496 0000", "chess@club.example")
    edit = reverse("community:resource_edit", args=[resource.pk])
    form = http.get(edit).text
    assert 'value="+44 (0)113 496 0000"' in form and 'value="chess@club.example"' in form
    page = http.get(reverse("community:resource_detail", args=[resource.pk])).text
    assert 'href="tel:+4401134960000"' in page and 'href="mailto:chess@club.example"' in page
    http.post(edit, RESOURCE | {"phone": "", "email": ""})
    resource.refresh_from_db()
    assert (resource.phone, resource.email) == ("", "")


def test_resource_bad_input(world):
    http = world.as_("therapist")
    for data in [
        RESOURCE | {"latitude": "", "longitude": ""},  # in person needs a place
        RESOURCE | {"latitude": "91"},
        RESOURCE | {"interests": "Nonsense"},
        RESOURCE | {"end_time": "18:00"},
        RESOURCE | {"social_intensity": "9"},
        RESOURCE | {"email": "not an address"},
        RESOURCE | {"phone": "0" * 41},
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


def test_activities_are_found_in_one_query_whatever_their_case(world, django_assert_num_queries):
    from outward.community.forms import _interests_named

    with django_assert_num_queries(1):
        found = _interests_named("badminton, YOGA, Badminton", "%(names)s")
    assert [interest.label for interest in found] == ["Badminton", "Yoga"]
