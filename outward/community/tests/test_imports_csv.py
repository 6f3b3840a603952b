"""CSV imports: the practice's own list, every row problem reported with its line and blocking
the whole import; applied all-or-nothing; re-imports update, never duplicate."""

import datetime
from decimal import Decimal

import pytest

from outward.community.imports import csvfile
from outward.community.imports import services as import_services
from outward.community.imports.services import ImportRefused, import_apply, import_preview
from outward.community.models import Interest, PendingImport, Resource
from outward.community.taxonomy import interest_lookup

from .import_helpers import CSV_HEADER, csv_file, upload

INTERESTS = interest_lookup(
    [("games", "Games"), ("music", "Music"), ("books-and-writing", "Books and writing")]
)

FULL_ROW = (
    'chess-1,Chess club,"Friendly games, all levels; boards provided",club,"Games; music",no,'
    '"1 High St, Leeds",53.8,-1.55,Thu,19:00,21:30,£4.50,Step-free entrance,8-12,'
    "www.chess.example.org,2026-09-01,1"
)


def parse(*lines, header=None):
    kwargs = {"header": header} if header else {}
    return csvfile.parse_csv(csv_file(*lines, **kwargs), interests=INTERESTS)


def whys(parsed):
    return [f"{problem['where']}: {problem['why']}" for problem in parsed.problems]


def test_a_full_row_becomes_every_field():
    parsed = parse(FULL_ROW)
    assert parsed.problems == []
    (row,) = parsed.rows
    assert row["key"] == "chess-1"
    assert row["interests"] == ["games", "music"]  # a label and a key, any case
    assert row["fields"] == {
        "tags": [],
        "name": "Chess club",
        "description": "Friendly games, all levels; boards provided",
        "accessibility": "Step-free entrance",
        "group_size": "8-12",
        "address": "1 High St, Leeds",
        "kind": "club",
        "online": False,
        "latitude": 53.8,
        "longitude": -1.55,
        "weekday": 3,
        "start_time": "19:00:00",
        "end_time": "21:30:00",
        "cost_per_session": "4.50",
        "contact_url": "https://www.chess.example.org",
        "last_verified": "2026-09-01",
        "social_intensity": 1,
    }


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        ({"latitude": "abc"}, "line 2: latitude “abc”: Enter a number."),
        (
            {"longitude": "200"},
            "line 2: longitude “200”: Ensure this value is less than or equal to 180.",
        ),
        (
            {"latitude": "100"},
            "line 2: latitude “100”: Ensure this value is less than or equal to 90.",
        ),
        (
            {"latitude": "", "longitude": "2"},
            "line 2: latitude: Give both latitude and longitude, or neither.",
        ),
        ({"name": ""}, "line 2: name: This field is required."),
        (
            {"weekday": "Funday"},
            "line 2: weekday “Funday”: Write one of Mon, Tue, Wed, Thu, Fri, Sat, Sun.",
        ),
        ({"start_time": "25:00"}, "line 2: start_time “25:00”: Write a time like 19:30 or 7.30pm."),
        (
            {"end_time": "18:00"},
            "line 2: end_time “18:00”: The end time is not after the start time.",
        ),
        ({"weekday": ""}, "line 2: start_time “21:00”: A start time needs a weekday."),
        ({"cost": "cheap"}, "line 2: cost “cheap”: Enter a number."),
        ({"cost": "-2"}, "line 2: cost “-2”: Ensure this value is greater than or equal to 0."),
        (
            {"cost": "1.005"},
            "line 2: cost “1.005”: Ensure that there are no more than 2 decimal places.",
        ),
        ({"online": "maybe"}, "line 2: online “maybe”: Write yes or no."),
        (
            {"contact_url": "not a link"},
            "line 2: contact_url “not a link”: This is not a web address.",
        ),
        (
            {"last_verified": "01/09/2026"},
            "line 2: last_verified “01/09/2026”: Enter a valid date.",
        ),
        (
            {"social_intensity": "7"},
            "line 2: social_intensity “7”: Select a valid choice. 7 is not one of the available "
            "choices.",
        ),
    ],
)
def test_a_bad_value_is_reported_with_its_line_and_the_row_left_out(cells, why):
    columns = CSV_HEADER.split(",")
    values = dict(
        zip(
            columns,
            [
                "x1", "Chess", "", "club", "Games", "no", "", "53.8", "-1.55", "Thu", "21:00",
                "22:00", "", "", "", "", "", "",
            ],
            strict=True,
        )
    )  # fmt: skip
    values.update(cells)
    line = ",".join(f'"{value}"' for value in values.values())
    parsed = parse(line, FULL_ROW)
    assert whys(parsed) == [why + " The row was left out."]
    assert parsed.problems[0]["blocking"] is False
    assert parsed.bad_rows == 1
    assert [row["key"] for row in parsed.rows] == ["chess-1"]  # the good row is taken


def test_every_problem_of_every_row_is_listed_and_repeats_are_grouped():
    parsed = parse(
        "a,Chess,,club,,,,abc,1,,,,,,,,,",
        "b,,,party,,,,,,,,,,,,,,",
        FULL_ROW,
        "chess-1,Again,,club,,,,,,,,,,,,,,",
        *[f"c{n},Quiz {n},,club,,,,,,,,,cheap,,,,," for n in range(6)],
    )
    assert whys(parsed) == [
        "line 2: latitude “abc”: Enter a number. The row was left out.",
        "line 3: name: This field is required. The row was left out.",
        "line 5: id “chess-1” is already used on line 4. The row was left out.",
        "6 rows: line 6: cost “cheap”: Enter a number. The row was left out. The same on "
        "line 7, line 8, line 9 and 2 more rows.",
    ]
    assert parsed.bad_rows == 9
    assert [row["key"] for row in parsed.rows] == ["chess-1"]


def test_byte_order_mark_and_semicolons_in_quoted_fields():
    data = (
        "\ufeff"
        + csv_file(
            'x,"Book club; monthly","Bring a book, any book",group,"Books and writing; GAMES"'
        ).decode()
    )
    parsed = csvfile.parse_csv(data.encode(), interests=INTERESTS)
    assert parsed.problems == []
    (row,) = parsed.rows
    assert row["fields"]["name"] == "Book club; monthly"
    assert row["fields"]["description"] == "Bring a book, any book"
    assert row["interests"] == ["books-and-writing", "games"]


def test_a_semicolon_separated_file_with_decimal_commas():
    parsed = parse(
        'x;Knit and natter;"Wool, needles";class;51,5072;-0,1276;3,50',
        header="id;name;description;kind;lat;lng;price",
    )
    assert parsed.problems == []
    fields = parsed.rows[0]["fields"]
    assert fields["description"] == "Wool, needles"
    assert fields["kind"] == "class"
    assert (fields["latitude"], fields["longitude"]) == (51.5072, -0.1276)
    assert fields["cost_per_session"] == "3.50"


def test_a_value_over_several_lines_keeps_later_line_numbers_right():
    parsed = parse(
        'a,Chess,"first line\nsecond line",club', "b,,,club", header="id,name,description,kind"
    )
    assert whys(parsed) == ["line 4: name: This field is required. The row was left out."]
    assert parsed.rows[0]["fields"]["description"] == "first line\nsecond line"


def test_an_empty_file():
    for data in (b"", b"\xef\xbb\xbf", b"\r\n\r\n  \r\n"):
        parsed = csvfile.parse_csv(data, interests=INTERESTS)
        assert whys(parsed) == ["file: The file is empty."]
        assert parsed.blocking


def test_a_header_without_rows():
    parsed = csvfile.parse_csv(b"id,name\r\n", interests=INTERESTS)
    assert whys(parsed) == ["file: The file has a header row but no rows."]


def test_a_windows_excel_file_is_read_as_windows_1252_and_said_so():
    data = "Name,Town\r\nCafé crème club,Northside\r\n".encode("cp1252")
    parsed = csvfile.parse_csv(data, interests=INTERESTS)
    assert not parsed.blocking
    assert parsed.rows[0]["fields"]["name"] == "Café crème club"
    assert "Windows-1252" in parsed.problems[0]["why"]


def test_a_utf16_unicode_text_export_with_tabs():
    data = "Organisation\tPostcode\r\nChess club\tLS1 4AP\r\n".encode("utf-16")
    parsed = csvfile.parse_csv(data, interests=INTERESTS)
    assert parsed.problems == []
    assert parsed.rows[0]["fields"] == {"name": "Chess club", "postcode": "LS1 4AP"}


def test_a_binary_file_is_refused_not_crashed_on():
    parsed = csvfile.parse_csv(b"\x00\x01\x02PK\x03\x04" * 100, interests=INTERESTS)
    assert parsed.blocking
    assert parsed.rows == []


def test_no_column_for_the_name_blocks_until_one_is_mapped():
    parsed = parse("1,Chess", header="id,what")
    assert whys(parsed) == [
        "columns: No column is mapped to the name. Choose which column holds it below."
    ]
    assert parsed.blocking
    assert (parsed.header, parsed.mapping) == (["id", "what"], ["id", ""])
    parsed = csvfile.parse_csv(
        csv_file("1,Chess", header="id,what"), interests={}, mapping=["id", "name"]
    )
    assert parsed.rows[0]["fields"] == {"name": "Chess"}
    parsed = parse("1,Chess,blue", header="ID, Name ,colour")
    assert parsed.problems == []
    assert parsed.rows[0]["fields"] == {"name": "Chess"}


def test_too_many_values_in_a_row():
    parsed = parse("1,Chess,club,extra", "2,Go,club", header="id,name,kind")
    assert whys(parsed) == [
        "line 2: 4 values but the header names 3 columns (a value holding a comma needs "
        "quotes). The row was left out."
    ]
    assert [row["key"] for row in parsed.rows] == ["2"]


def test_small_conveniences():
    parsed = parse(
        "1,Online chat,online,,FREE,7pm,8.30pm,thursday",
        header="id,name,kind,online,cost,start_time,end_time,weekday",
    )
    assert parsed.problems == []
    fields = parsed.rows[0]["fields"]
    assert fields["online"] is True  # an online community is online
    assert fields["cost_per_session"] == "0.00"
    assert (fields["weekday"], fields["start_time"], fields["end_time"]) == (
        3,
        "19:00:00",
        "20:30:00",
    )


# -- preview and apply -------------------------------------------------------------------------


def preview(world, data, name="groups.csv"):
    return import_preview(
        practice=world.practice,
        kind="csv",
        uploaded_file=upload(data, name),
        actor=world.therapist.user,
    )


def test_preview_then_apply_writes_the_rows(world):
    pending = preview(
        world, csv_file(FULL_ROW, "2,Walking group,,group,Nature and outdoors,,,,,Sat,10:00,,,,,,,")
    )
    assert Resource.objects.count() == 0  # a preview changes nothing
    summary = import_apply(pending=pending, actor=world.therapist.user)
    assert (summary.created, summary.updated, summary.removed) == (2, 0, 0)
    chess = Resource.objects.get(source_key="chess-1")
    assert chess.practice == world.practice
    assert chess.source == Resource.Source.CSV
    assert chess.cost_per_session == Decimal("4.50")
    assert chess.start_time == datetime.time(19)
    assert chess.last_verified == datetime.date(2026, 9, 1)
    assert chess.time_zone == world.practice.time_zone
    assert set(chess.interests.values_list("key", flat=True)) == {"games", "music"}
    walking = Resource.objects.get(source_key="2")
    assert walking.social_intensity is None  # not given: not assessed yet
    assert set(walking.interests.values_list("key", flat=True)) == {"nature-and-outdoors"}
    pending.refresh_from_db()  # used up: kept a day to say what happened, without its rows
    assert (pending.state, pending.rows) == (PendingImport.State.APPLIED, [])
    assert pending.outcome == "2 added, 0 updated, 0 unchanged, 0 removed."
    assert Resource.everything.count() == 2  # nothing left staged


def test_importing_twice_updates_and_never_duplicates(world):
    import_apply(pending=preview(world, csv_file(FULL_ROW)), actor=world.therapist.user)
    first = Resource.objects.get()
    changed = FULL_ROW.replace("Chess club", "Chess and draughts club").replace(
        '"Games; music"', "Games"
    )
    summary = import_apply(pending=preview(world, csv_file(changed)), actor=world.therapist.user)
    assert (summary.created, summary.updated) == (0, 1)
    again = Resource.objects.get()
    assert again.pk == first.pk
    assert again.name == "Chess and draughts club"
    assert list(again.interests.values_list("key", flat=True)) == ["games"]  # exactly the file's
    summary = import_apply(pending=preview(world, csv_file(changed)), actor=world.therapist.user)
    assert Resource.objects.count() == 1


def test_a_column_left_out_leaves_a_hand_made_change_alone(world):
    import_apply(pending=preview(world, csv_file(FULL_ROW)), actor=world.therapist.user)
    Resource.objects.update(social_intensity=4, accessibility="Lift to the first floor")
    pending = preview(world, csv_file("chess-1,Chess club", header="id,name"))
    import_apply(pending=pending, actor=world.therapist.user)
    resource = Resource.objects.get()
    assert (resource.social_intensity, resource.accessibility) == (4, "Lift to the first floor")
    assert resource.cost_per_session == Decimal("4.50")


def test_the_same_id_in_another_practice_is_another_resource(world):
    import_apply(pending=preview(world, csv_file(FULL_ROW)), actor=world.therapist.user)
    pending = import_preview(
        practice=world.other_practice,
        kind="csv",
        uploaded_file=upload(csv_file(FULL_ROW)),
        actor=world.stranger.user,
    )
    import_apply(pending=pending, actor=world.stranger.user)
    assert Resource.objects.filter(source_key="chess-1").count() == 2


def test_bad_rows_are_left_out_unless_strict_mode_refuses_them(world):
    pending = preview(world, csv_file(FULL_ROW, "2,Bad,,club,,,,abc,1,,,,,,,,,"))
    assert [p["where"] for p in pending.problems] == ["line 3"]
    assert pending.bad_rows == 1
    with pytest.raises(ImportRefused, match="Strict mode: 1 row has a problem"):
        import_apply(pending=pending, actor=world.therapist.user, strict=True)
    assert Resource.objects.count() == 0  # not even the good row
    pending.refresh_from_db()
    assert pending.state == PendingImport.State.READY  # it can still be applied without
    import_apply(pending=pending, actor=world.therapist.user)
    assert list(Resource.objects.values_list("source_key", flat=True)) == ["chess-1"]


def test_a_file_that_cannot_be_read_cannot_be_applied(world):
    pending = preview(world, b"\x00\x01binary")
    with pytest.raises(ImportRefused, match="problems to fix first"):
        import_apply(pending=pending, actor=world.therapist.user)
    assert Resource.objects.count() == 0


def test_a_failing_apply_changes_nothing(world, monkeypatch):
    import_apply(pending=preview(world, csv_file(FULL_ROW)), actor=world.therapist.user)
    before = list(Resource.objects.values())
    pending = preview(world, csv_file(FULL_ROW.replace("Chess club", "Renamed"), "2,Second,,group"))
    pending.rows[1]["fields"]["group_size"] = "x" * 61  # slips past the preview somehow
    pending.save()
    with pytest.raises(
        ImportRefused,
        match="Nothing was imported: line 3: group_size Ensure this value has at most 60",
    ):
        import_apply(pending=pending, actor=world.therapist.user)
    assert list(Resource.objects.values()) == before  # the first row's update rolled back too
    assert list(Resource.everything.values()) == before  # and nothing is left staged
    pending.refresh_from_db()
    assert pending.state == PendingImport.State.FAILED
    assert pending.outcome.startswith("Nothing was imported: line 3: group_size")

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    pending = preview(world, csv_file(FULL_ROW.replace("Chess club", "Renamed"), "2,Second,,group"))
    monkeypatch.setattr(Resource.interests.through.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_apply(pending=pending, actor=world.therapist.user)
    assert list(Resource.everything.values()) == before


def test_applying_twice_is_refused(world):
    pending = preview(world, csv_file(FULL_ROW))
    import_apply(pending=pending, actor=world.therapist.user)
    with pytest.raises(ImportRefused, match="already applied"):
        import_apply(pending=pending, actor=world.therapist.user)
    assert Resource.objects.count() == 1


def test_a_file_over_5_mb_is_refused(world):
    big = upload(b"x" * (import_services.MAX_BYTES + 1))
    with pytest.raises(ImportRefused, match="larger than 5 MB"):
        import_preview(
            practice=world.practice, kind="csv", uploaded_file=big, actor=world.therapist.user
        )
    assert not PendingImport.objects.exists()


def test_old_previews_nobody_applied_are_let_go_within_a_day(world):
    old = preview(world, csv_file(FULL_ROW))
    PendingImport.objects.filter(pk=old.pk).update(created=old.created - datetime.timedelta(days=1))
    fresh = preview(world, csv_file(FULL_ROW))
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.django_db
def test_the_taxonomy_is_there_to_match():
    assert Interest.objects.filter(key__in=["games", "music", "nature-and-outdoors"]).count() == 3
