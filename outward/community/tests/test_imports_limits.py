"""The limits every import reader keeps (issue 8): caps on columns, rows, interests and
problems, each refusing with a reason; and, for any bytes at all, rows and problems back,
never an exception."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outward.community.imports import csvfile, formats, hsds, ical
from outward.community.taxonomy import interest_lookup

from .import_helpers import CSV_HEADER, calendar, csv_file, zip_of

NOW = datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC)
INTERESTS = interest_lookup([("games", "Games"), ("music", "Music")])
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def whys(parsed):
    return [f"{problem['where']}: {problem['why']}" for problem in parsed.problems]


def test_a_header_of_40000_columns_is_refused_by_the_column_cap():
    """Found: the duplicate-column check was quadratic (19.5 s for 40,000 columns)."""
    header = ",".join(f"c{n}" for n in range(40_000))
    parsed = csvfile.parse_csv(csv_file("1,x", header=header), interests=INTERESTS)
    assert whys(parsed) == ["line 1: the header row names 40000 columns; Outward reads at most 100"]
    assert parsed.rows == []


def test_a_field_named_by_two_columns_is_taken_from_the_first():
    parsed = csvfile.parse_csv(csv_file("1,x,y,z", header="id,name,name,id"), interests={})
    assert parsed.mapping == ["id", "name", "", ""]
    assert parsed.rows[0]["fields"] == {"name": "x"}


def test_more_rows_than_one_import_takes_are_refused(monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 3)
    lines = [f"{n},Group {n}" for n in range(4)]
    parsed = csvfile.parse_csv(csv_file(*lines, header="id,name"), interests={})
    assert parsed.blocking
    assert "more than 3 rows" in whys(parsed)[-1]


def test_a_cell_naming_50000_interests_is_one_problem():
    """Found: 50,000 comma-separated interests took 23 s (and as many problems)."""
    cell = ";".join(["Games"] * 20_000)  # (a longer cell meets the CSV field cap)
    parsed = csvfile.parse_csv(
        csv_file(f'1,x,"{cell}"', header="id,name,interests"), interests=INTERESTS
    )
    (why,) = whys(parsed)
    assert "Ensure this value has at most 2000 characters" in why


def test_problems_past_the_cap_are_counted_not_kept(monkeypatch):
    monkeypatch.setattr(formats, "MAX_PROBLEMS", 5)
    bad = ["91,0,,,,", "0,181,,,,", ",,Funday,,,", ",,,dear,,", ",,,,maybe,", ",,,,,9", "x,,,,,"]
    lines = [f"{n},Group {n},{cells}" for n, cells in enumerate(bad)]
    header = "id,name,latitude,longitude,weekday,cost,online,social_intensity"
    parsed = csvfile.parse_csv(csv_file(*lines, header=header), interests={})
    assert len(parsed.problems) == 6  # seven kinds of problem, grouped: five kept
    assert parsed.problems[-1] == {
        "where": "file",
        "why": "and 2 more problems, not listed",
        "blocking": False,
    }
    assert parsed.bad_rows == 7


def test_a_calendar_of_too_many_events_is_refused(monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 2)
    monkeypatch.setattr(ical, "MAX_ROWS", 2)
    events = [f"UID:{n}@x\nSUMMARY:E{n}\nDTSTART:20261012T100000Z" for n in range(3)]
    parsed = ical.parse_ical(calendar(*events), time_zone="UTC", interests={}, now=NOW)
    assert parsed.rows == [] and "more than 2 events" in whys(parsed)[0]


def test_events_without_uid_are_kept_and_noted_once_with_their_lines():
    events = [f"SUMMARY:E{n}\nDTSTART:20261012T100000Z" for n in range(5)]
    parsed = ical.parse_ical(calendar(*events), time_zone="UTC", interests={}, now=NOW)
    assert [row["fields"]["name"] for row in parsed.rows] == ["E0", "E1", "E2", "E3", "E4"]
    assert [problem["where"] for problem in parsed.problems] == ["calendar"]
    assert parsed.problems[0]["why"].startswith("5 events had no UID: each was given one")
    assert parsed.problems[0]["why"].endswith("(line 4, line 8, line 12, …)")


# -- any input at all --------------------------------------------------------------------------


def _never_raises(parsed: formats.Parsed) -> None:
    assert isinstance(parsed.rows, list) and isinstance(parsed.problems, list)
    assert len(parsed.rows) <= formats.MAX_ROWS
    assert len(parsed.problems) <= formats.MAX_PROBLEMS + 1
    if parsed.blocking:
        assert any(problem["blocking"] for problem in parsed.problems)


@FAST
@given(st.binary(max_size=2000))
def test_csv_any_bytes(data):
    _never_raises(csvfile.parse_csv(data, interests=INTERESTS))


@FAST
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=30), max_size=20),
        max_size=20,
    )
)
def test_csv_any_table_under_the_real_header(cells):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER.split(","))
    writer.writerows(cells)
    _never_raises(csvfile.parse_csv(buffer.getvalue().encode(), interests=INTERESTS))


@FAST
@given(st.binary(max_size=2000))
def test_hsds_any_bytes(data):
    _never_raises(hsds.parse_hsds(data, interests=INTERESTS))


@FAST
@given(
    st.dictionaries(
        st.sampled_from(["services.csv", "locations.csv", "schedules.csv", "taxonomy.csv"]),
        st.text(max_size=300),
        min_size=1,
    )
)
def test_hsds_any_tables(tables):
    _never_raises(hsds.parse_hsds(zip_of(tables), interests=INTERESTS))


@FAST
@given(st.binary(max_size=2000))
def test_ical_any_bytes(data):
    _never_raises(ical.parse_ical(data, time_zone="UTC", interests={}, now=NOW))


ICAL_LINES = st.sampled_from(
    [
        "UID:a",
        "UID:b",
        "SUMMARY:Choir",
        "DTSTART:20261012T100000Z",
        "DTSTART;VALUE=DATE:20261013",
        "DTSTART;TZID=Nowhere/Land:20261012T100000",
        "DTEND:20261012T090000Z",
        "RRULE:FREQ=MINUTELY",
        "RRULE:FREQ=WEEKLY;BYDAY=XX",
        "EXDATE:2026",
        "STATUS:CANCELLED",
        "RECURRENCE-ID:20261019T100000Z",
        "GEO:91;200",
        "CATEGORIES:Games,Music",
        "BEGIN:VALARM",
        "END:VALARM",
        "X-WR-TIMEZONE:Mars/Base",
    ]
)


@FAST
@given(st.lists(st.lists(ICAL_LINES, max_size=8), max_size=5))
def test_ical_any_events(events):
    data = calendar(*["\n".join(lines) for lines in events])
    _never_raises(ical.parse_ical(data, time_zone="UTC", interests=INTERESTS, now=NOW))
