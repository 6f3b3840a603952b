"""The same group from two sources (same name and place, however written) is flagged as a
duplicate and suggested once; one source's own rows are never flagged against each other."""

from outward.community.imports.services import duplicates_flag, import_apply, import_preview
from outward.community.matching import ranking
from outward.community.models import Area, Resource

from .import_helpers import upload, zip_of
from .test_matching import inventory, north


def apply(world, kind, data, name):
    pending = import_preview(
        practice=world.practice,
        kind=kind,
        uploaded_file=upload(data, name),
        actor=world.therapist.user,
    )
    return import_apply(pending=pending, actor=world.therapist.user)


def hsds_export(lat, lon):
    return zip_of(
        {
            "services.csv": "id,name,status\r\ns1,CHESS CLUB!,active\r\n",
            "locations.csv": f"id,name,latitude,longitude\r\nl1,Hall,{lat},{lon}\r\n",
            "service_at_location.csv": "id,service_id,location_id\r\nx,s1,l1\r\n",
            "physical_addresses.csv": (
                "id,location_id,address_1,city,postal_code\r\n"
                "a1,l1,Town Library,Riverside,NY 10001\r\n"
            ),
            "services_taxonomy.csv": "id,service_id,taxonomy_id\r\nt,s1,games\r\n",
            "taxonomy.csv": "id,name\r\ngames,Games\r\n",
        }
    )


def test_the_same_group_from_two_sources_is_flagged_and_suggested_once(world):
    inventory(world)
    lat, lon = north(1)
    own = (
        "Name,Address,Postcode,Lat,Lng,Categories,Day,Start\r\n"
        f"Chess club,1 High St,NY10001,{lat},{lon},Games,Thu,19:00\r\n"
        f"Chess club,1 High St,NY10001,{lat},{lon},Games,Sat,10:00\r\n"  # twice a week
    )
    apply(world, "csv", own, "ours.csv")
    summary = apply(world, "hsds", hsds_export(lat, lon), "region.zip")
    first, second, published = Resource.objects.order_by("pk")
    assert (first.duplicate_of, second.duplicate_of) == (None, None)  # one list's own rows
    assert published.duplicate_of == first  # the practice's own list wins over a directory
    assert summary.duplicates == 1
    assert "flagged and not suggested twice" in summary.message()
    found = [s.resource_id for s in ranking.suggestions(client=world.client)]
    assert published.pk not in found and first.pk in found and second.pk in found
    page = world.as_("therapist").get(f"/directory/{published.pk}/")
    assert "See the other entry" in page.text


def test_a_flag_is_lifted_when_the_groups_no_longer_match(world):
    lat, lon = north(1)
    apply(world, "csv", f"Name,Postcode,Lat,Lng\r\nChess club,NY 10001,{lat},{lon}\r\n", "a.csv")
    apply(world, "hsds", hsds_export(lat, lon), "region.zip")
    published = Resource.objects.get(source=Resource.Source.HSDS)
    assert published.duplicate_of_id is not None
    Resource.objects.filter(source=Resource.Source.CSV).update(name="Draughts club")
    assert duplicates_flag(practice=world.practice) == 0
    published.refresh_from_db()
    assert published.duplicate_of_id is None
    # Online groups of the same name from two sources are the same group too.
    Resource.objects.create(
        practice=world.practice, name="Chess online", kind="online", online=True
    )
    Resource.objects.create(
        practice=world.practice, name="chess  ONLINE", kind="online", online=True, source="ical"
    )
    assert duplicates_flag(practice=world.practice) == 1
    # Another practice's entry is never a duplicate of ours.
    Resource.objects.create(practice=world.other_practice, name="Draughts club", kind="club")
    assert duplicates_flag(practice=world.other_practice) == 0


def test_a_csv_row_with_a_postcode_and_no_coordinates_is_placed_in_the_area_listing_it(world):
    area = Area.objects.create(
        practice=world.practice, name="Northside", latitude=51.5, longitude=-0.1, postcodes="NS1"
    )
    apply(
        world,
        "csv",
        "Name,Address,Town,Postcode\r\nChess club,1 High St,Leeds,ns1 4ab\r\n",
        "a.csv",
    )
    entry = Resource.objects.get(practice=world.practice)
    assert (entry.address, entry.postcode) == ("1 High St, Leeds", "ns1 4ab")
    assert (entry.latitude, entry.placed_in) == (None, area)
    # The same group from a calendar, its postcode written in its address, is the same place.
    Resource.objects.create(
        practice=world.practice, name="Chess Club", kind="club", source="ical",
        address="Hall, 1 High Street, NS1 4AB",
    )  # fmt: skip
    assert duplicates_flag(practice=world.practice) == 1
