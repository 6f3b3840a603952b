"""Whatever bytes arrive, the readers answer with rows and problems, never an exception: real
files cut short at many points, and noise."""

import datetime
import random

import pytest

from outward.community.imports import csvfile, formats, hsds, ical

from .import_helpers import FIXTURES, calendar, zip_folder

NOW = datetime.datetime(2026, 10, 10, tzinfo=datetime.UTC)


def noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def read_all(kind: str, data: bytes) -> formats.Parsed:
    if kind == "csv":
        return csvfile.parse_csv(data, interests={})
    if kind == "hsds":
        return hsds.parse_hsds(data, interests={})
    return ical.parse_ical(data, time_zone="Europe/London", interests={}, now=NOW)


SAMPLES = {
    "csv": (FIXTURES / "ohana-smc-sample" / "services.csv").read_bytes(),
    "hsds": zip_folder("hsds-1.1-sample-fictional"),
    "ical": calendar(
        """
        UID:a@example
        SUMMARY:Board games
        DTSTART;TZID=Europe/London:20261015T190000
        RRULE:FREQ=WEEKLY;BYDAY=TH
        EXDATE;TZID=Europe/London:20261022T190000
        """,
        """
        UID:a@example
        RECURRENCE-ID;TZID=Europe/London:20261029T190000
        DTSTART;TZID=Europe/London:20261030T190000
        SUMMARY:Board games
        """,
    ),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_file_cut_short_anywhere(kind):
    data = SAMPLES[kind]
    for end in range(0, len(data), max(1, len(data) // 60)):
        parsed = read_all(kind, data[:end])
        assert isinstance(parsed.rows, list)
        assert all({"where", "why", "blocking"} <= set(problem) for problem in parsed.problems)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_noise(kind):
    for seed in range(20):
        parsed = read_all(kind, noise(seed, 2000))
        assert parsed.blocking or kind == "ical" and parsed.rows == []


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_bytes_flipped_here_and_there(kind):
    rng = random.Random(7)
    for _ in range(30):
        data = bytearray(SAMPLES[kind])
        for _flip in range(5):
            data[rng.randrange(len(data))] = rng.randrange(256)
        read_all(kind, bytes(data))
