"""Directory entries without coordinates: areas' postcode and place lists, the centroid file
(valid, edge and malformed), filling coordinates at import and on demand, the online
geocoder (faked: tests never reach the network), matching with honest wording, and the
"needs a location" page."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from outward.community import services
from outward.community.directory import places
from outward.community.directory import services as directory_services
from outward.community.matching import ranking
from outward.community.models import (
    Area,
    GeocodeCache,
    PlaceCentroid,
    Resource,
)
from outward.community.tests.test_matching import HOME, interest, inventory, north, resource

# --- Area lists (pure) --------------------------------------------------------------------


def _ns1_centroid(practice, *, latitude=40.7, longitude=-74.0) -> PlaceCentroid:
    """The practice's postcode file, holding the district NS1."""
    return PlaceCentroid.objects.create(
        practice=practice,
        kind="postcode",
        key="ns1",
        label="NS1",
        latitude=latitude,
        longitude=longitude,
    )


def _index(*areas) -> places.AreaIndex:
    return places.AreaIndex.of(places.AreaLists(*area) for area in areas)


def test_postcodes_match_whole_or_by_their_first_part():
    index = _index((1, "Northside", "NS1, NS2 4AB", ""), (2, "Quayside", "10115\n12345", ""))
    assert index.area_for(postcode="NS1 4AB", address="") == 1
    assert index.area_for(postcode="ns14ab", address="") == 1  # no space: UK inward code
    assert index.area_for(postcode="NS2-4AB", address="") == 1
    assert index.area_for(postcode="NS2 9ZZ", address="") is None  # only NS2 4AB listed
    assert index.area_for(postcode="NS12 3AB", address="") is None  # NS1 is not NS12
    assert index.area_for(postcode="12345-6789", address="") == 2  # ZIP+4
    assert index.area_for(postcode="10115", address="") == 2


def test_an_address_names_an_area_by_postcode_or_place_longest_first():
    index = _index(
        (1, "Harbour", "", "Harbour"),
        (2, "Lanes", "", "Harbour Lane, Old Town"),
        (3, "Northside", "NS1", ""),
    )
    assert index.area_for(postcode="", address="4 Quay St, Harbour Lane") == 2
    assert index.area_for(postcode="", address="Harbour front") == 1
    assert index.area_for(postcode="", address="Mill Road, Elsewhere NS1 4AB") == 3
    assert index.area_for(postcode="", address="Café Élan, OLD TOWN") == 2  # any case, accents
    assert index.area_for(postcode="", address="Northside") == 3  # the area's own name
    assert index.area_for(postcode="", address="Nowhere") is None


def test_split_list_drops_blanks_and_repeats():
    assert places.split_list("NS1, NS2;\n\nNS1 ,") == ["NS1", "NS2"]


# --- Centroid files (pure) ----------------------------------------------------------------


def test_a_simple_csv_with_a_header_postcodes_and_places():
    read = places.read_centroids(
        b"\xef\xbb\xbfpostcode,latitude,longitude\nNS1 4AB,51.5,-0.12\nNorthside,51.6,-0.2\n"
        b"Northside,51.8,-0.4\n\n"
    )
    assert read.problems == []
    found = {(c.kind, c.key): (c.latitude, c.longitude) for c in read.centroids}
    assert found[("postcode", "ns14ab")] == (51.5, -0.12)
    assert found[("place", "northside")] == pytest.approx((51.7, -0.3))  # the mean


def test_a_headerless_csv_and_columns_in_another_order():
    assert places.read_centroids(b"NS1,51.5,-0.1\n").centroids[0].key == "ns1"
    read = places.read_centroids(b"lat;lon;name\n51,5;-0,1;Harbour\n")  # semicolons, commas
    assert [(c.kind, c.key, c.latitude) for c in read.centroids] == [("place", "harbour", 51.5)]


def test_a_geonames_postal_code_dump():
    line = "GB\tNS1\tNorthside\tEngland\tENG\tGreater\t\t\t\t51.5\t-0.12\t4\n"
    other = "GB\tNS2\tNorthside\tEngland\tENG\tGreater\t\t\t\t51.7\t-0.14\t4\n"
    read = places.read_centroids((line + other).encode())
    assert read.problems == []
    found = {(c.kind, c.key): (c.latitude, c.longitude) for c in read.centroids}
    assert found[("postcode", "ns1")] == (51.5, -0.12)
    assert found[("place", "northside")] == pytest.approx((51.6, -0.13))


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"NS1,91,0\n", "line 1: latitude 91 is outside -90 to 90"),
        (b"NS1,51,-181\n", "line 1: longitude -181 is outside -180 to 180"),
        (b"NS1,north,0\n", "line 1: latitude \u201cnorth\u201d is not a number"),
        (b"NS1,nan,0\n", "line 1: latitude nan is outside -90 to 90"),
        (b"code,lat,lon\nNS1,51\n", "line 2: expected a code or name, a latitude and a longitude"),
        (b",51,0\n", "line 1: no postcode or place name"),
        (b"NS1,51,0\nNS 1,52,0\n", "line 2: postcode \u201cNS 1\u201d is listed twice"),
        (b"GB\tNS1\tX\t\t\t\t\t\t\t51\t0\nGB\tNS2\n", "line 2: expected at least 11"),
        (b"\xff\xfe", "The file is not UTF-8 text."),
        (b"a\x00b", "The file is not a text file."),
        (b"code,lat,lon\n", "The file holds no lines with coordinates."),
    ],
)
def test_a_malformed_file_names_its_lines_and_keeps_nothing(data, problem):
    read = places.read_centroids(data)
    assert read.centroids == []
    assert read.problems[0].startswith(problem)


def test_many_bad_lines_are_listed_only_up_to_a_limit():
    read = places.read_centroids(b"".join(b"NS%d,x,0\n" % n for n in range(100)))
    assert len(read.problems) == places.MAX_PROBLEMS
    assert read.problems[-1] == "\u2026 and more lines with problems."


def test_centroid_keys_from_postcode_and_address():
    assert places.centroid_keys(postcode="NS1 4AB", address="") == (["ns14ab", "ns1"], [])
    codes, names = places.centroid_keys(postcode="", address="12 Quay St, Northside, Leeds NS1 4AB")
    assert codes == ["ns14ab", "ns1"]
    assert names == ["northside", "leeds"]


# --- Locating entries (database) ----------------------------------------------------------


def _unplaced(world, name: str, **fields) -> Resource:
    made = Resource.objects.create(
        practice=world.practice, name=name, kind=Resource.Kind.GROUP, **fields
    )
    made.interests.set([interest("games")])
    return made


def test_centroids_load_fills_coordinates_and_areas_place_the_rest(world):
    area = Area.objects.create(
        practice=world.practice,
        name="Northside",
        latitude=HOME[0],
        longitude=HOME[1],
        postcodes="NS9",
        places="Harbour Lane",
    )
    by_code = _unplaced(world, "By postcode", postcode="NS1 4AB")
    by_town = _unplaced(world, "By town", address="3 Mill Rd, Quayside")
    in_area = _unplaced(world, "In area", address="9 Dock St, Harbour Lane")
    lost = _unplaced(world, "Lost", address="Somewhere")
    count, located = directory_services.centroids_load(
        practice=world.practice,
        data=b"NS1,40.71,-74.01\nQuayside,40.72,-74.02\n",
        file_name="centroids.csv",
        actor=world.admin.user,
        ip=None,
    )
    assert count == 2
    assert (located.filled, located.placed, located.missing) == (2, 1, 1)
    by_code.refresh_from_db(), by_town.refresh_from_db(), in_area.refresh_from_db()
    assert (by_code.latitude, by_code.longitude) == (40.71, -74.01)
    assert (by_town.latitude, by_town.longitude) == (40.72, -74.02)
    assert in_area.latitude is None and in_area.placed_in == area
    assert Resource.objects.get(pk=lost.pk).placed_in is None


def test_a_bad_centroid_file_changes_nothing(world):
    _ns1_centroid(world.practice, latitude=1, longitude=1)
    with pytest.raises(directory_services.CentroidsRefused) as refused:
        directory_services.centroids_load(
            practice=world.practice, data=b"NS2,1,1\nNS3,x,1\n", file_name="f", actor=None, ip=None
        )
    assert refused.value.problems == ["line 2: latitude \u201cx\u201d is not a number"]
    assert list(PlaceCentroid.objects.values_list("key", flat=True)) == ["ns1"]


def test_saving_an_area_places_entries_again_and_other_practices_are_untouched(world):
    entry = _unplaced(world, "Chess", postcode="NS1 4AB")
    theirs = Resource.objects.create(
        practice=world.other_practice, name="Theirs", kind="group", postcode="NS1 4AB"
    )
    area = directory_services.area_save(
        practice=world.practice,
        actor=world.therapist.user,
        ip=None,
        name="Northside",
        latitude=HOME[0],
        longitude=HOME[1],
        postcodes="NS1",
        places="",
    )
    entry.refresh_from_db(), theirs.refresh_from_db()
    assert entry.placed_in == area and theirs.placed_in is None
    directory_services.area_save(
        practice=world.practice, area=area, actor=world.therapist.user, ip=None, postcodes="NS2"
    )
    entry.refresh_from_db()
    assert entry.placed_in is None  # no longer listed


def test_an_import_fills_coordinates_from_the_centroid_file(world):
    from outward.community.imports.services import import_apply, import_preview
    from outward.community.tests.import_helpers import csv_file, upload

    PlaceCentroid.objects.create(
        practice=world.practice,
        kind="place",
        key="northside",
        label="Northside",
        latitude=40.71,
        longitude=-74.0,
    )
    pending = import_preview(
        practice=world.practice,
        kind="csv",
        uploaded_file=upload(
            csv_file('k1,Chess club,club,"1 High St, Northside"', header="id,name,kind,address")
        ),
        actor=world.therapist.user,
    )
    import_apply(pending=pending, actor=world.therapist.user)
    chess = Resource.objects.get(source_key="k1")
    assert (chess.latitude, chess.longitude) == (40.71, -74.0)
    assert chess.social_intensity is None  # the file did not grade it


def test_the_geocoder_sends_only_public_addresses_once_each(world, settings):
    settings.OUTWARD_GEOCODER_URL = ""
    assert directory_services.geocode_resources(practice=world.practice) == 0  # off by default
    one = _unplaced(world, "One", address="1 Quay St", postcode="NS1 4AB")
    two = _unplaced(world, "Two", address="1 Quay St", postcode="NS1 4AB")
    _unplaced(world, "Nowhere")  # nothing to send
    asked = []

    def fake(query):
        asked.append(query)
        return SimpleNamespace(latitude=40.7, longitude=-74.0)

    filled = directory_services.geocode_resources(practice=world.practice, geocode=fake)
    assert filled == 2 and asked == ["1 Quay St, NS1 4AB"]
    assert GeocodeCache.objects.get().latitude == 40.7
    one.refresh_from_db(), two.refresh_from_db()
    assert one.latitude == two.latitude == 40.7
    # Cached: a third entry at the same address is filled without asking again.
    _unplaced(world, "Three", address="1 Quay St", postcode="NS1 4AB")
    assert directory_services.geocode_resources(practice=world.practice, geocode=fake) == 1
    assert len(asked) == 1


def test_the_geocoder_client_is_configured_and_rate_limited(settings):
    settings.OUTWARD_GEOCODER_URL = "https://nominatim.example.org"
    geocode = directory_services._geocoder()
    assert geocode.min_delay_seconds == 1.0
    assert geocode.func.__self__.domain == "nominatim.example.org"


# --- Matching without coordinates ---------------------------------------------------------


def _placed(world, name, area, **fields) -> Resource:
    made = _unplaced(
        world,
        name,
        placed_in=area,
        weekday=3,
        start_time=datetime.time(19),
        end_time=datetime.time(21),
        time_zone="America/New_York",
        social_intensity=1,
        **fields,
    )
    return made


@pytest.fixture
def _thursday(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 17, 0, tzinfo=datetime.UTC), tick=False)


@pytest.mark.usefixtures("_thursday")
def test_entries_in_the_clients_area_are_suggested_with_honest_wording(world):
    inventory(world)  # Riverside, at HOME, 5 km
    riverside = Area.objects.get(name="Riverside")
    nearby = Area.objects.create(
        practice=world.practice, name="Northside", latitude=north(3)[0], longitude=HOME[1]
    )
    far = Area.objects.create(
        practice=world.practice, name="Faraway", latitude=north(50)[0], longitude=HOME[1]
    )
    _placed(world, "Games in Riverside", riverside)
    _placed(world, "Games in Northside", nearby)
    _placed(world, "Games far away", far)
    _unplaced(world, "Games nowhere")

    found = {s.name: s for s in ranking.suggestions(client=world.client)}
    assert set(found) == {"Games in Riverside", "Games in Northside"}
    assert "in Riverside — distance not known" in found["Games in Riverside"].reason
    assert found["Games in Northside"].area_name == "Northside"
    assert found["Games in Riverside"].distance_km is None
    assert found["Games in Riverside"].score > found["Games in Northside"].score


@pytest.mark.usefixtures("_thursday")
def test_a_known_short_distance_ranks_above_distance_not_known(world):
    inventory(world)
    riverside = Area.objects.get(name="Riverside")
    _placed(world, "Games placed", riverside)
    Resource.objects.create(
        practice=world.practice,
        name="Games at 1 km",
        kind="group",
        latitude=north(1)[0],
        longitude=HOME[1],
        weekday=3,
        start_time=datetime.time(19),
        end_time=datetime.time(21),
        time_zone="America/New_York",
        social_intensity=1,
    ).interests.set([interest("games")])
    assert [s.name for s in ranking.suggestions(client=world.client)] == [
        "Games at 1 km",
        "Games placed",
    ]


@pytest.mark.usefixtures("_thursday")
def test_a_card_without_a_distance_shows_the_entrys_postcode(world):
    inventory(world)
    riverside = Area.objects.get(name="Riverside")
    _placed(world, "Games placed", riverside, address="Mill Lane", postcode="NS1 4AB")
    resource(world, "Games at 1 km", address="Quay Street", postcode="NS9 9ZZ")
    page = world.as_("client").get(reverse("community:my_suggestions"))
    cards = {s.name: s for s in page.context["suggestions"]}
    assert cards["Games placed"].postcode == "NS1 4AB"
    html = page.content.decode()
    # Where the distance is not known the postcode says where it is; beside a distance the
    # address is enough.
    assert "Mill Lane · NS1 4AB" in html
    assert "Quay Street" in html and "NS9 9ZZ" not in html


@pytest.mark.usefixtures("_thursday")
def test_an_unassessed_entry_is_neutral_and_its_reason_claims_no_pressure(world):
    inventory(world)
    riverside = Area.objects.get(name="Riverside")
    _placed(world, "Graded games", riverside)
    ungraded = _placed(world, "Ungraded games", riverside)
    Resource.objects.filter(pk=ungraded.pk).update(social_intensity=None)
    found = {s.name: s for s in ranking.suggestions(client=world.client)}
    reason = found["Ungraded games"].reason
    assert "how much talking to expect is not known yet" in reason
    assert "pressure" not in reason and "structured" not in reason
    ranker = ranking.Ranker(
        profile=ranking.match_profile(client=world.client), now=None, ladder_level=None
    )
    assert ranker.anxiety_fit(None) == ranking.UNKNOWN_SHARE
    assert found["Graded games"].score > found["Ungraded games"].score


@pytest.mark.usefixtures("_thursday")
def test_entries_without_coordinates_cost_no_extra_queries(world, django_assert_max_num_queries):
    inventory(world, free_text="dice")
    riverside = Area.objects.get(name="Riverside")
    for number in range(30):
        _placed(world, f"Placed {number}", riverside)
    with django_assert_max_num_queries(10):
        found = ranking.suggestions(client=world.client, limit=40)
    assert len(found) == 30


# --- Pages --------------------------------------------------------------------------------


def test_the_needs_a_location_page_lists_and_fixes_entries(world):
    area = Area.objects.create(
        practice=world.practice,
        name="Northside",
        latitude=HOME[0],
        longitude=HOME[1],
        postcodes="NS1",
    )
    lost = _unplaced(world, "Lost chess", address="Somewhere")
    _unplaced(world, "Placed chess", placed_in=area)
    Resource.objects.create(
        practice=world.practice, name="Online chess", kind="online", online=True
    )
    http = world.as_("therapist")
    page = http.get(reverse("community:needs_location"))
    assert page.status_code == 200
    assert [r.name for r in page.context["page"].object_list] == ["Lost chess"]

    edit = reverse("community:resource_edit", args=[lost.pk])
    back = reverse("community:needs_location")
    form = http.get(f"{edit}?next={back}")
    data = {
        name: value for name, value in form.context["form"].initial.items() if value is not None
    } | {"interests": "Games", "postcode": "NS1 4AB", "kind": "group", "social_intensity": ""}
    data["last_verified"] = datetime.date.today().isoformat()
    data["next"] = back
    response = http.post(edit, data)
    assert response.status_code == 302 and response["Location"] == back
    lost.refresh_from_db()
    assert lost.placed_in == area and lost.postcode == "NS1 4AB"
    assert lost.social_intensity is None
    assert not http.get(back).context["page"].object_list


def test_find_locations_now_uses_the_centroid_file(world):
    lost = _unplaced(world, "Lost chess", postcode="NS1 4AB")
    _ns1_centroid(world.practice)
    response = world.as_("therapist").post(reverse("community:locate"), follow=True)
    assert "1 entry got coordinates" in response.content.decode()
    lost.refresh_from_db()
    assert lost.latitude == 40.7


def test_needs_location_offers_finding_locations_only_with_a_centroid_file(world):
    _unplaced(world, "Lost chess", postcode="NS1 4AB")
    url = reverse("community:needs_location")
    locate = reverse("community:locate")
    centroids = reverse("community:centroids")
    # An empty file: nothing to find locations from, so the page points to loading one (a
    # therapist is told whom to ask; one who is also an admin gets the link).
    therapist = world.as_("therapist").get(url).content.decode()
    assert "Find locations now" not in therapist and locate not in therapist
    assert "postcode and place file is empty" in therapist
    assert "Ask a practice admin to load one." in therapist and centroids not in therapist
    world.therapist.is_admin = True
    world.therapist.save(update_fields=["is_admin"])
    admin = world.as_("therapist").get(url).content.decode()
    assert centroids in admin and "Find locations now" not in admin
    _ns1_centroid(world.practice, latitude=1, longitude=1)
    loaded = world.as_("therapist").get(url).content.decode()
    assert "Find locations now" in loaded and locate in loaded
    assert "postcode and place file is empty" not in loaded


def test_an_admin_loads_a_centroid_file_or_sees_its_bad_lines(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    http = world.as_("admin")
    url = reverse("community:centroids")
    bad = http.post(url, {"file": SimpleUploadedFile("c.csv", b"NS1,51,0\nNS2,x,0\n")})
    assert bad.status_code == 200
    assert bad.context["problems"] == ["line 2: latitude \u201cx\u201d is not a number"]
    assert not PlaceCentroid.objects.exists()
    good = http.post(url, {"file": SimpleUploadedFile("c.csv", b"NS1,51,0\nNS2,52,0\n")})
    assert good.status_code == 302 and PlaceCentroid.objects.count() == 2


def test_areas_are_edited_with_their_lists(world):
    http = world.as_("therapist")
    url = reverse("community:area_create")
    data = {
        "name": "Northside",
        "latitude": "40.7",
        "longitude": "-74",
        "postcodes": "NS1,NS2",
        "places": "Harbour Lane",
    }
    assert http.post(url, data).status_code == 302
    area = Area.objects.get(name="Northside")
    assert (area.postcodes, area.places) == ("NS1\nNS2", "Harbour Lane")
    again = http.post(url, data | {"name": "northside"})
    assert again.status_code == 200 and "name" in again.context["form"].errors
    wrong = http.post(url, data | {"name": "Other", "latitude": "95"})
    assert "latitude" in wrong.context["form"].errors


def test_a_group_is_added_by_hand_with_a_postcode_not_coordinates(world):
    PlaceCentroid.objects.create(
        practice=world.practice,
        kind="postcode",
        key="ns14ab",
        label="NS1 4AB",
        latitude=40.7,
        longitude=-74.0,
    )
    saved = services.resource_save(
        practice=world.practice,
        interests=[],
        name="Chess",
        kind="club",
        online=False,
        address="1 Quay St",
        postcode="NS1 4AB",
        latitude=None,
        longitude=None,
        social_intensity=None,
    )
    assert (saved.latitude, saved.longitude) == (40.7, -74.0)


def test_many_entries_are_located_by_the_worker(world, monkeypatch):
    monkeypatch.setattr(directory_services, "LOCATE_NOW", 0)
    lost = _unplaced(world, "Lost chess", postcode="NS1 4AB")
    _ns1_centroid(world.practice)
    response = world.as_("therapist").post(reverse("community:locate"), follow=True)
    assert "Finding locations in the background" in response.content.decode()
    lost.refresh_from_db()
    assert lost.latitude == 40.7  # the tests' task backend runs the task at once


def test_the_command_loads_a_file_all_or_nothing(world, tmp_path):
    from django.core.management import CommandError, call_command

    lost = _unplaced(world, "Lost chess", address="1 Quay St, Northside")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Northside,40.7,-74.0\nSouthside,x,1\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("locate_directory", world.practice.pk, "--centroids", str(bad))
    assert not PlaceCentroid.objects.exists()
    good = tmp_path / "good.csv"
    good.write_bytes(b"Northside,40.7,-74.0\n")
    call_command("locate_directory", world.practice.pk, "--centroids", str(good))
    lost.refresh_from_db()
    assert (lost.latitude, lost.longitude) == (40.7, -74.0)
    with pytest.raises(CommandError, match="No online geocoder"):
        call_command("locate_directory", world.practice.pk, "--geocode")


def test_the_staff_lists_read_in_a_constant_number_of_queries(world):
    """The areas, the entries needing a location and the practice's synonyms: one page of
    each costs the same with 2 rows as with 30."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from outward.community.interests import services as interest_services

    http = world.as_("therapist")
    urls = [reverse(name) for name in ("community:areas", "community:needs_location")]
    urls.append(reverse("community:synonyms"))
    made, counts = 0, []
    for rows in (2, 30):
        for number in range(made, rows):
            word = f"word{number}"
            Area.objects.create(practice=world.practice, name=word, latitude=40, longitude=-74)
            _unplaced(world, f"Unplaced {word}", address=f"{word} Road")
            interest_services.synonym_add(
                practice=world.practice, phrase=word, interest_key="games"
            )
        made = rows
        page_counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert http.get(url).status_code == 200
            page_counts.append(len(queries))
        counts.append(page_counts)
    assert counts[0] == counts[1], counts
