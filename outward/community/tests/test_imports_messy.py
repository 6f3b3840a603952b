"""CSV files as practices have them: other column names, no ids, no coordinates, semicolons,
a byte-order mark, Excel's decimal commas, opening times and coordinates written as text,
categories Outward does not know, rows repeated. Written for these tests (synthetic)."""

import csv
import datetime
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outward.community.imports import csvfile, formats
from outward.community.imports.services import import_apply, import_preview
from outward.community.models import Resource
from outward.community.taxonomy import interest_lookup

from .import_helpers import upload

INTERESTS = interest_lookup([("games", "Games"), ("music", "Music")])

# An Excel export of a council's list: a byte-order mark, semicolons, decimal commas, its own
# column names, no id column and coordinates only for some rows.
COUNCIL = (
    "\ufeffOrganisation;Type;Town;Zip;Opening times;Website;Email;Phone;Lat;Long;Categories\r\n"
    "Riverside Chess Club;Club;Leeds;LS1 4AP;Tuesdays 7–9pm;www.chess.example.org;"
    'hello@chess.example.org;0113 496 0000;53,7997;-1,5492;"Games; Strategy"\r\n'
    "Knit & Natter;Drop-in;Leeds;LS2 7HQ;Mon-Fri 10:00-16:00;;;;;;Knitting, MUSIC\r\n"
    "Sing for Joy;choir;Otley;LS21 3AA;1st Tuesday of the month 7pm;;not-an-email;;;;Music\r\n"
    "Riverside Chess Club;Club;Leeds;LS1 4AP;Tuesdays 7–9pm;;;;;;Games\r\n"
).encode()


def parse(data, mapping=None):
    return csvfile.parse_csv(data, interests=INTERESTS, mapping=mapping)


def whys(parsed):
    return [f"{problem['where']}: {problem['why']}" for problem in parsed.problems]


def test_a_council_export_is_mapped_from_its_header():
    parsed = parse(COUNCIL)
    assert parsed.mapping == [
        "name", "kind", "town", "postcode", "opening_hours", "contact_url", "email", "phone",
        "latitude", "longitude", "categories",
    ]  # fmt: skip
    chess, knit = (row["fields"] for row in parsed.rows)
    assert (chess["address"], chess["postcode"]) == ("Leeds", "LS1 4AP")
    assert (chess["latitude"], chess["longitude"]) == (53.7997, -1.5492)
    assert (chess["weekday"], chess["start_time"], chess["end_time"]) == (1, "19:00:00", "21:00:00")
    assert chess["kind"] == "club" and chess["phone"] == "0113 496 0000"
    assert chess["contact_url"] == "https://www.chess.example.org"
    assert parsed.rows[0]["interests"] == ["games"] and chess["tags"] == ["Strategy"]
    assert "social_intensity" not in chess  # nobody assessed it
    # Several days: not one weekly meeting, so the text is kept in the description.
    assert knit.get("weekday") is None and knit["latitude"] is None
    assert knit["description"] == "Opening times: Mon-Fri 10:00-16:00"
    assert knit["tags"] == ["Drop-in", "Knitting"] and parsed.rows[1]["interests"] == ["music"]
    assert whys(parsed) == [
        ": These categories name no interest in Outward's list, so they were kept as tags on "
        "the entries: Drop-in, Knitting, Strategy",
        "line 3: kind “Drop-in” is not club, class, group, event or online; kept as a tag.",
        "line 3: “Mon-Fri 10:00-16:00” names more than one day; Outward keeps one weekly "
        "meeting; kept in the description.",
        "line 4: Email “not-an-email”: Enter a valid email address. The row was left out.",
        "line 5: The same name, place and time as line 2: listed once.",
    ]
    assert parsed.bad_rows == 1


def test_rows_without_ids_keep_their_keys_however_the_next_file_writes_them():
    first = parse(COUNCIL)
    again = parse(
        b"Name of group,Postcode,Town,When\r\n"
        b"  riverside chess club ,ls1 4ap,LEEDS,Tuesday 7pm-9pm\r\n"
        b"KNIT & NATTER,LS2 7HQ,Leeds,\r\n"
    )
    assert [row["key"] for row in again.rows] == [row["key"] for row in first.rows]
    assert all(row["key"].startswith("row-") for row in again.rows)


def test_reimporting_a_file_without_ids_updates_and_never_duplicates(world):
    for _time in range(2):
        pending = import_preview(
            practice=world.practice,
            kind="csv",
            uploaded_file=upload(COUNCIL, "council.csv"),
            actor=world.therapist.user,
        )
        import_apply(pending=pending, actor=world.therapist.user)
    chess = Resource.objects.get(name="Riverside Chess Club")
    assert Resource.objects.count() == 2
    assert (chess.weekday, chess.start_time) == (1, datetime.time(19))
    assert (chess.email, chess.tags) == ("hello@chess.example.org", ["Strategy"])
    assert list(chess.interests.values_list("key", flat=True)) == ["games"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesdays 7–9pm", (1, datetime.time(19), datetime.time(21))),
        ("Mon 10:00-16:00", (0, datetime.time(10), datetime.time(16))),
        ("every Thursday at 7.30pm", (3, datetime.time(19, 30), None)),
        ("Wednesday 11-1pm", (2, datetime.time(11), datetime.time(13))),
        ("Sat noon - 2pm", (5, datetime.time(12), datetime.time(14))),
        ("Fridays, 18:30 – 20:00", (4, datetime.time(18, 30), datetime.time(20))),
        ("Mon-Fri 10:00-16:00", "names more than one day"),
        ("Mon & Wed 6pm", "names more than one day"),
        ("1st Tuesday of the month 7pm", "is not every week"),
        ("Fortnightly on Thursdays 7pm", "is not every week"),
        ("Tuesday 7-9", "could be morning or evening"),
        ("Tuesday 9pm-7pm", "the end is not after the start"),
        ("whenever", "is not a day and a time"),
        ("", "is not a day and a time"),
    ],
)
def test_opening_hours_written_as_text(text, expected):
    found = formats.parse_opening_hours(text)
    if isinstance(expected, str):
        assert isinstance(found, str) and expected in found
    else:
        assert (found.weekday, found.start, found.end) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51.5072, -0.1276", (51.5072, -0.1276)),
        ("Library (51.5072 -0.1276)", (51.5072, -0.1276)),
        ("51°30′N 0°7′W", (51.5, -0.116667)),
        ("51°30'26\"N 0°7'39\"W", (51.507222, -0.1275)),
        ("0°7′W 51°30′N", (51.5, -0.116667)),  # hemisphere letters say which is which
        ("33°52′S 151°12′E", (-33.866667, 151.2)),
        ("51°N 52°N", "two latitudes"),
        ("95.123, 10.456", "not a place on the earth"),
        ("12 High Street", None),
        ("Call 0113 496 0000", None),
    ],
)
def test_coordinates_written_inside_text(text, expected):
    found = formats.find_coordinates(text)
    if isinstance(found, tuple):
        found = tuple(round(value, 6) for value in found)
    if isinstance(expected, str):
        assert isinstance(found, str) and expected in found
    else:
        assert found == expected


def test_a_coordinates_column_and_coordinates_in_an_address():
    parsed = parse(
        (
            "Name,Address,Coordinates\r\n"
            "Chess,Hall,51°30′N 0°7′W\r\n"
            "Choir,Church hall (53.80; -1.55),\r\n"
            "Walk,Park,somewhere nice\r\n"
        ).encode()
    )
    chess, choir = (row["fields"] for row in parsed.rows)
    assert round(chess["latitude"], 3) == 51.5 and round(chess["longitude"], 3) == -0.117
    assert (choir["latitude"], choir["longitude"]) == (53.8, -1.55)
    assert whys(parsed) == [
        "line 4: Coordinates “somewhere nice”: “somewhere nice” holds no coordinates The row "
        "was left out."
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_no_text_breaks_the_hours_or_coordinates_readers(text):
    hours = formats.parse_opening_hours(text)
    assert isinstance(hours, (str, formats.Hours))
    place = formats.find_coordinates(text)
    if isinstance(place, tuple):
        assert -90 <= place[0] <= 90 and -180 <= place[1] <= 180


CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=6),
    st.lists(st.sampled_from(["", *csvfile.FIELD_NAMES]), min_size=1, max_size=6),
    st.sampled_from([",", ";", "\t"]),
)
def test_any_table_under_any_mapping_is_rows_and_problems(table, mapping, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    header = table[0]
    mapping = (mapping + [""] * len(header))[: len(header)]
    parsed = csvfile.parse_csv(buffer.getvalue().encode(), interests=INTERESTS, mapping=mapping)
    for row in parsed.rows:
        assert row["fields"]["name"] and row["key"]
        assert len(row["fields"].get("address", "")) <= 300
    assert all({"where", "why", "blocking"} <= set(problem) for problem in parsed.problems)
