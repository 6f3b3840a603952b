"""CSV cells that a spreadsheet cannot run, and values JSON can hold."""

import csv
import datetime
import decimal
import io

import pytest

from outward.lib.spreadsheet import plain_value, safe_cell


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Went to the = sign class", "Went to the = sign class"),
        ("", ""),
        ("I felt a bit better", "I felt a bit better"),
    ],
)
def test_text_a_spreadsheet_would_run_is_quoted(text, written):
    assert safe_cell(text) == written


def test_numbers_stay_numbers_even_when_negative():
    assert safe_cell(-2) == -2
    assert safe_cell(3.5) == 3.5
    assert safe_cell(True) is True
    assert safe_cell(decimal.Decimal("-1.50")) == "'-1.50"  # a decimal is written as text


def test_empty_dates_and_structures():
    assert safe_cell(None) == ""
    assert safe_cell(datetime.date(2026, 3, 1)) == "2026-03-01"
    assert safe_cell({"b": "=x", "a": 1}) == '{"a": 1, "b": "=x"}'
    assert safe_cell(["-x"]) == '["-x"]'  # JSON text starts with a bracket


def test_a_written_file_reads_back_quoted():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell("=1+2"), safe_cell(4)])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+2", "4"]


def test_plain_values():
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    assert plain_value(moment) == "2026-03-01T09:30:00+00:00"
    assert plain_value(datetime.time(9, 0)) == "09:00:00"
    assert plain_value(decimal.Decimal("2.50")) == "2.50"
    assert plain_value({"a": 1}) == {"a": 1}
