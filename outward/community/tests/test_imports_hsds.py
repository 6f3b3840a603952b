"""Open Referral HSDS imports: the 3.0 example tables, the 1.1 sample data package and a real
Ohana export (fixtures/, with their licences); services that cannot be taken are left out
and reported; a file that is not an HSDS export is refused."""

import datetime

import pytest

from outward.community.imports import formats, hsds
from outward.community.imports.services import ImportRefused, import_apply, import_preview
from outward.community.models import Plan, Resource
from outward.community.taxonomy import interest_lookup

from .import_helpers import upload, zip_folder, zip_of

INTERESTS = interest_lookup(
    [("arts-and-crafts", "Arts and crafts"), ("games", "Games"), ("stress", "Stress")]
)


def parse(data):
    return hsds.parse_hsds(data, interests=INTERESTS)


def notes(parsed):
    return [problem["why"] for problem in parsed.problems if problem.get("note")]


def whys(parsed, *, blocking=None):
    return [
        f"{problem['where']}: {problem['why']}"
        for problem in parsed.problems
        if not problem.get("note")
        if blocking is None or problem["blocking"] is blocking
    ]


def test_the_3_0_example_tables():
    parsed = parse(zip_folder("hsds-3.0-examples"))
    (row,) = parsed.rows
    assert row["key"] == "ac148810-d857-441c-9679-408f346de14b"
    fields = row["fields"]
    assert fields["name"] == "Community Counselling"
    assert fields["description"].startswith("Counselling Services provided by trained")
    assert "Fees: Non-NHS patients are expected to pay" in fields["description"]
    assert fields["contact_url"] == "http://example.com/counselling"
    assert fields["last_verified"] == "2005-01-01"  # assured_date
    # schedules.csv: FREQ=WEEKLY, BYDAY=TH,FR, 10:00–18:00: the first weekly day.
    assert (fields["weekday"], fields["start_time"], fields["end_time"]) == (
        3,
        "10:00:00",
        "18:00:00",
    )
    # The example's placeholder coordinates (100, 101) are reported, not imported.
    assert (fields["latitude"], fields["longitude"]) == (None, None)
    assert whys(parsed) == [
        "locations.csv line 2: latitude 100 is outside −90…90: imported without coordinates",
        "services.csv line 2: it has no physical address, so the town and postcode of its "
        "postal address were taken as its area.",
    ]
    assert not parsed.blocking
    # Its only address is a postal one: its town and postcode place it in an area, but a
    # client should not be sent to a PO box, so its street lines are not taken.
    assert (fields["address"], fields["postcode"]) == ("MyCity, MyState", "ABC 1234")
    assert fields["phone"] == "+44 1234 234567 ext. 100"
    assert fields["email"] == "email@example.com"
    (note,) = notes(parsed)
    assert note.startswith("Read from the export: accessibility.csv, addresses.csv,")
    assert "Not used (Outward has no place for what they hold): contacts.csv" in note
    assert fields["accessibility"].startswith("The building is equipped with induction loops")


def test_the_1_1_sample_data_package():
    parsed = parse(zip_folder("hsds-1.1-sample-fictional"))
    listed = [row for row in parsed.rows if not row.get("withdrawn")]
    withdrawn = [row["fields"]["name"] for row in parsed.rows if row.get("withdrawn")]
    assert len(listed) == 10
    assert withdrawn == [
        "Food Safety Program",
        "Dear Teacher Skills Refresh",
        "Wash & Go at The Cross",
    ]
    assert not parsed.blocking
    helpline = listed[0]["fields"]
    assert helpline["name"] == "Never Homeless Helpline"
    assert helpline["address"] == "Address 1, Address 2, New York City, NY"
    assert helpline["postcode"] == "10001"
    # regular_schedules.csv: weekday 1 is Monday.
    assert (helpline["weekday"], helpline["start_time"], helpline["end_time"]) == (
        0,
        "09:00:00",
        "17:00:00",
    )
    assert helpline["accessibility"] == "disabled_parking; Some details regarding the parking lot"
    assert helpline["contact_url"] == "http://example.com"  # the organisation's site
    young = listed[1]["fields"]
    assert (young["latitude"], young["longitude"]) == (39.428192, -119.897426)
    # HTML in a description is read as text.
    teacher = next(r for r in parsed.rows if r["fields"]["name"] == "Dear Teacher Skills Refresh")
    assert teacher["withdrawn"]
    assert helpline["email"] == "neverhomeless@example.com"
    # Phones: the service's own, else its location's, else its organisation's (not a fax).
    meals = next(r for r in listed if r["fields"]["name"] == "Meals To-Go at The Cross")
    assert meals["fields"]["phone"] == "(223) 346 12361"
    # The helpline opens Monday to Friday: the first day is taken, and the preview says so.
    assert any("opens on several days a week" in why for why in whys(parsed))


def test_schedules_and_phones_without_ids_of_their_own():
    tables = {
        "services.csv": "id,name,email\r\ns1,Chess club,not an email\r\ns2,Walk,w@example.org\r\n",
        "locations.csv": "id,name,latitude,longitude\r\nl1,Hall,53.8,-1.5\r\n",
        "service_at_location.csv": "id,service_id,location_id\r\n,s1,l1\r\n,s2,l1\r\n",
        "schedules.csv": (
            "id,service_id,location_id,freq,byday,opens_at,closes_at\r\n"
            ",s1,,,TU,19:00,21:00\r\n"  # no id, no freq: BYDAY alone is a weekly day
            ",,l1,WEEKLY,SA,10:00,12:00\r\n"  # the location's: for s2, which has none
        ),
        "phones.csv": "id,location_id,service_id,number,type\r\n,l1,,0113 496 0000,voice\r\n"
        ",,s1,0113 496 0001,fax\r\n",
        "mail_addresses.csv": (
            "id,location_id,address_1,city,postal_code\r\n,l1,PO Box 9,Leeds,LS1 4AP\r\n"
        ),
    }
    parsed = parse(zip_of(tables))
    chess, walk = (row["fields"] for row in parsed.rows)
    assert (chess["weekday"], chess["start_time"], chess["end_time"]) == (1, "19:00:00", "21:00:00")
    assert (walk["weekday"], walk["start_time"]) == (5, "10:00:00")
    assert chess["phone"] == walk["phone"] == "0113 496 0000"  # the location's; a fax is not
    assert "email" not in chess and walk["email"] == "w@example.org"
    # a postal address: its town and postcode, not its PO box
    assert (chess["address"], chess["postcode"]) == ("Leeds", "LS1 4AP")
    assert whys(parsed) == [
        "services.csv line 2: the email “not an email” is not valid, so it was left out.",
        "2 rows: services.csv line 2: it has no physical address, so the town and postcode of "
        "its postal address were taken as its area. The same on services.csv line 3.",
    ]


def test_a_real_ohana_export():
    parsed = parse(zip_folder("ohana-smc-sample"))
    by_key = {row["key"]: row for row in parsed.rows}
    fair_oaks = by_key["1"]
    assert fair_oaks["fields"]["address"] == "2600 Middlefield Road, Redwood City, CA"
    assert fair_oaks["fields"]["postcode"] == "94063"
    assert (fair_oaks["fields"]["latitude"], fair_oaks["fields"]["longitude"]) == (
        37.477227,
        -122.213221,
    )
    # Its keywords include "Arts and Crafts", one of Outward's interests.
    assert fair_oaks["add_interests"] == ["arts-and-crafts"]
    # Its location's schedule is "9am" to "03:00": reported, the day kept.
    assert fair_oaks["fields"]["weekday"] == 0
    assert fair_oaks["fields"]["start_time"] is None
    assert "regular_schedules.csv line 12: closes_at 03:00 is not after opens_at 9am" in " ".join(
        whys(parsed)
    )
    # Service 22's own schedule (day names) wins over its location's.
    passport = by_key["22"]["fields"]
    assert (passport["weekday"], passport["start_time"], passport["end_time"]) == (
        0,
        "08:00:00",
        "12:00:00",
    )
    assert by_key["20"]["withdrawn"] and by_key["21"]["withdrawn"]  # defunct, inactive
    unmatched = next(p for p in parsed.problems if p["where"] == "taxonomy")
    assert "COMMUNITY SERVICES" in unmatched["why"]
    assert not unmatched["blocking"]


def test_hsds_times_and_days_in_their_many_spellings():
    for text, expected in [
        ("9am", datetime.time(9)),
        ("4:00 PM", datetime.time(16)),
        ("12:30 am", datetime.time(0, 30)),
        ("09:00:00Z", datetime.time(9)),
        ("17:00:00+01:00", datetime.time(17)),
        ("13pm", None),
        ("9", None),
        ("", None),
    ]:
        assert formats.parse_time(text) == expected, text
    assert hsds._hsds_weekday({"weekday": "7"}) == 6
    assert hsds._hsds_weekday({"weekday": "Sunday"}) == 6
    assert hsds._hsds_weekday({"freq": "weekly", "byday": "SA"}) == 5
    assert hsds._hsds_weekday({"freq": "MONTHLY", "byday": "1SA"}) is None


def test_taxonomy_terms_that_name_an_interest_are_added():
    fixtures = "hsds-3.0-examples"
    terms = (
        "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri\r\n"
        "t1,,Stress,,,,,,\r\nt2,,Workplace,,,,,,\r\n"
    )
    attributes = (
        "id,link_id,taxonomy_term_id,link_type,link_entity,value\r\n"
        "a1,ac148810-d857-441c-9679-408f346de14b,t1,,service,\r\n"
        "a2,ac148810-d857-441c-9679-408f346de14b,t2,,service,\r\n"
    )
    parsed = parse(
        zip_folder(fixtures, replace={"taxonomy_terms.csv": terms, "attributes.csv": attributes})
    )
    assert parsed.rows[0]["add_interests"] == ["stress"]
    assert "Workplace" in whys(parsed)[-2]


def test_a_virtual_location_is_online(world):
    tables = {
        "services.csv": "id,name,status\r\ns1,Online peer support,active\r\n",
        "service_at_location.csv": "id,service_id,location_id\r\nsl1,s1,l1\r\n",
        "locations.csv": "id,location_type,name,latitude,longitude\r\nl1,virtual,Zoom,,\r\n",
    }
    parsed = parse(zip_of(tables))
    assert whys(parsed) == []
    assert parsed.rows[0]["fields"]["online"] is True
    import_apply(pending=preview(world, zip_of(tables)), actor=world.therapist.user)
    assert Resource.objects.get().kind == Resource.Kind.ONLINE


def test_a_zip_without_services_csv():
    parsed = parse(zip_folder("hsds-3.0-examples", replace={"services.csv": None}))
    assert parsed.blocking
    assert whys(parsed)[0].startswith(
        "file: The ZIP has no services.csv, so it is not an Open Referral (HSDS) export. "
        "It holds: accessibility.csv, addresses.csv"
    )
    assert parsed.rows == []


def test_not_a_zip():
    for data in (b"id,name\r\n1,Chess\r\n", b"", b"PK\x03\x04 truncated"):
        parsed = parse(data)
        assert parsed.blocking
        assert "not a ZIP archive" in whys(parsed)[0]


def test_tables_in_a_folder_of_the_zip():
    parsed = parse(zip_folder("hsds-1.1-sample-fictional", prefix="all_resources/"))
    assert len(parsed.rows) == 13


def test_a_table_that_is_not_utf8():
    parsed = parse(zip_of({"services.csv": "id,name,status\r\n1,Café,active\r\n".encode("cp1252")}))
    assert whys(parsed) == ["services.csv: is not UTF-8 text"]
    assert parsed.blocking


def test_services_without_id_or_name_are_left_out_and_reported():
    parsed = parse(
        zip_of(
            {
                "services.csv": "id,name,status\r\n1,Chess,active\r\n,No id,\r\n3,,active\r\n"
                "1,Twice,\r\n"
            }
        )
    )
    assert [row["key"] for row in parsed.rows] == ["1"]
    assert whys(parsed, blocking=False) == [
        "services.csv line 3: the service has no id, so it was left out",
        "services.csv line 4: the service has no name, so it was left out",
        "services.csv line 5: service id “1” appears twice; the second was left out",
    ]


def test_an_export_with_no_services():
    parsed = parse(zip_of({"services.csv": "id,name,status\r\n"}))
    assert whys(parsed) == ["services.csv: services.csv has a header row but no services in it."]


def test_a_zip_whose_services_table_is_not_hsds_names_the_missing_column():
    parsed = parse(zip_of({"services.csv": "Organisation,Town\r\nChess club,Leeds\r\n"}))
    assert whys(parsed) == [
        "services.csv: services.csv has no “id”, “name” column, so the file is not an Open "
        "Referral (HSDS) export. Its columns are: organisation, town."
    ]
    assert parsed.blocking


def test_a_zip_that_unpacks_to_too_much(monkeypatch):
    monkeypatch.setattr(hsds, "HSDS_MAX_UNPACKED", 1000)
    parsed = parse(zip_of({"services.csv": "id,name\r\n" + "1,x\r\n" * 400}))
    assert "The ZIP unpacks to more than" in whys(parsed)[0]


def test_a_zip_is_counted_while_it_unpacks_not_by_its_headers(monkeypatch):
    data = zip_of({"services.csv": "id,name\r\n" + "1,x\r\n" * 400})
    real_open = hsds._HsdsTables.open

    def trusting_headers(data, parsed):  # the headers' sizes pass; what comes out does not
        tables = real_open(data, parsed)
        monkeypatch.setattr(hsds, "HSDS_MAX_UNPACKED", 1000)
        return tables

    monkeypatch.setattr(hsds._HsdsTables, "open", trusting_headers)
    parsed = parse(data)
    assert parsed.rows == [] and "The ZIP unpacks to more than" in whys(parsed)[0]


def test_a_zip_of_too_many_files_or_rows_is_refused(monkeypatch):
    parsed = parse(zip_of({f"t{n}.csv": "" for n in range(hsds.HSDS_MAX_MEMBERS + 1)}))
    assert whys(parsed) == ["file: The ZIP holds 101 files; an HSDS export has at most 100."]
    monkeypatch.setattr(formats, "MAX_ROWS", 3)
    monkeypatch.setattr(hsds, "MAX_ROWS", 3)
    parsed = parse(
        zip_of({"services.csv": "id,name\r\n" + "".join(f"{n},x\r\n" for n in range(4))})
    )
    assert parsed.rows == [] and "more than 3 services" in whys(parsed)[0]
    monkeypatch.setattr(hsds, "HSDS_MAX_TABLE_ROWS", 5)
    parsed = parse(
        zip_of(
            {
                "services.csv": "id,name\r\n1,x\r\n",
                "locations.csv": "id\r\n" + "l\r\n" * 6,
            }
        )
    )
    assert parsed.rows == [] and whys(parsed) == [
        "locations.csv: holds more than 5 rows, more than one import takes"
    ]


# -- preview and apply -------------------------------------------------------------------------


def preview(world, data):
    return import_preview(
        practice=world.practice,
        kind="hsds",
        uploaded_file=upload(data, "export.zip"),
        actor=world.therapist.user,
    )


def test_apply_the_1_1_sample_twice(world):
    summary = import_apply(
        pending=preview(world, zip_folder("hsds-1.1-sample-fictional")), actor=world.therapist.user
    )
    assert (summary.created, summary.updated, summary.removed) == (10, 0, 0)
    helpline = Resource.objects.get(source_key="c89eb05c-62dd-4b64-b494-0cc347b6ea7f")
    assert helpline.source == Resource.Source.HSDS
    assert helpline.kind == Resource.Kind.GROUP
    assert helpline.weekday == 0 and helpline.start_time == datetime.time(9)
    summary = import_apply(
        pending=preview(world, zip_folder("hsds-1.1-sample-fictional")), actor=world.therapist.user
    )
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (0, 0, 10, 0)
    assert Resource.objects.count() == 10


def test_the_3_0_example_applies_without_its_placeholder_coordinates(world):
    import_apply(
        pending=preview(world, zip_folder("hsds-3.0-examples")), actor=world.therapist.user
    )
    resource = Resource.objects.get()
    assert (resource.latitude, resource.longitude) == (None, None)
    assert resource.last_verified == datetime.date(2005, 1, 1)


def test_a_service_marked_inactive_is_removed_unless_someone_plans_to_go(world):
    services = "id,name,status\r\n1,Chess,active\r\n2,Choir,active\r\n3,Pottery,active\r\n"
    import_apply(
        pending=preview(world, zip_of({"services.csv": services})), actor=world.therapist.user
    )
    choir = Resource.objects.get(name="Choir")
    Plan.objects.create(
        client=world.client,
        resource=choir,
        author=world.client.user,
        when=datetime.datetime(2026, 12, 1, 18, tzinfo=datetime.UTC),
    )
    later = "id,name,status\r\n1,Chess,active\r\n2,Choir,inactive\r\n3,Pottery,defunct\r\n"
    pending = preview(world, zip_of({"services.csv": later}))
    summary = import_apply(pending=pending, actor=world.therapist.user)
    assert (summary.removed, summary.kept) == (1, ["Choir"])
    assert set(Resource.objects.values_list("name", flat=True)) == {"Chess", "Choir"}


def test_a_file_that_is_not_hsds_cannot_be_applied(world):
    pending = preview(world, b"this is not a zip")
    with pytest.raises(ImportRefused):
        import_apply(pending=pending, actor=world.therapist.user)
    assert not Resource.objects.exists()


def test_a_schedule_given_only_in_words():
    tables = {
        "services.csv": "id,name\r\ns1,Chess club\r\ns2,Drop-in\r\n",
        "schedules.csv": (
            "id,service_id,description\r\n,s1,Tuesdays 7-9pm\r\n,s2,Mon-Fri 10am-4pm\r\n"
        ),
    }
    parsed = parse(zip_of(tables))
    chess, drop_in = (row["fields"] for row in parsed.rows)
    assert (chess["weekday"], chess["start_time"], chess["end_time"]) == (1, "19:00:00", "21:00:00")
    assert drop_in["weekday"] is None
    assert drop_in["description"] == "Opening times: Mon-Fri 10am-4pm"
    assert whys(parsed) == [
        "services.csv line 3: “Mon-Fri 10am-4pm” names more than one day; Outward keeps one "
        "weekly meeting; kept in the description."
    ]
