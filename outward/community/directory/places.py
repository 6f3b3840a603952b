"""Where a directory entry is, without coordinates: pure helpers (no queries).

- An area's postcode and place-name lists, and which area an entry's postcode or address
  names (`AreaIndex`).
- Postcode/place-centroid files (`read_centroids`): a simple CSV (code or name, latitude,
  longitude; with or without a header) or a GeoNames postal-code dump (tab-separated:
  country code, postal code, place name, three admin names and codes, latitude, longitude,
  accuracy). A file is read whole or not at all: any bad line is reported by number and
  nothing is kept.
- The keys an entry's postcode and address offer for a centroid lookup (`centroid_keys`).

Postcodes are compared folded (lower case, without spaces or punctuation): "NS1 4AB",
"ns14ab" and "NS1-4AB" are one. An area listing a postcode's first part ("NS1", a UK outward
code; "10115"; the 5 digits of a ZIP+4) covers every postcode that starts with that part.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_PROBLEMS = 20  # a broken file's first few bad lines are listed, not thousands
MAX_KEY = 120
_SEPARATORS = re.compile(r"[,;\n\r]+")
_NOT_WORD = re.compile(r"[^\w]+")
_UK_INWARD = re.compile(r"\d[a-z]{2}$")  # the "4AB" of "NS1 4AB", written without its space


def _plain(text: str) -> str:
    """Lower case without accents ("Café" → "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_place(text: str) -> str:
    """A place name for comparing: lower case, no accents, words separated by one space."""
    return " ".join(_NOT_WORD.sub(" ", _plain(text)).replace("_", " ").split())[:MAX_KEY]


def fold_code(text: str) -> str:
    """A postcode for comparing: lower case, letters and digits only ("NS1 4AB" → "ns14ab")."""
    return "".join(char for char in _plain(text) if char.isalnum())[:MAX_KEY]


def split_list(text: str) -> list[str]:
    """An area's list as typed (commas, semicolons or new lines between), without blanks or
    repeats, in order."""
    return list(dict.fromkeys(part.strip() for part in _SEPARATORS.split(text) if part.strip()))


def code_prefixes(postcode: str) -> list[str]:
    """The folded forms of a postcode an area's list can name, most specific first: the whole
    postcode, then its first part ("NS1 4AB" → ns14ab, ns1; "12345-6789" → 123456789, 12345;
    "NS14AB" → ns14ab, ns1)."""
    whole = fold_code(postcode)
    if not whole:
        return []
    found = [whole]
    words = _NOT_WORD.sub(" ", _plain(postcode)).split()
    if len(words) > 1:
        found.append(fold_code(words[0]))
    elif len(whole) >= 5 and _UK_INWARD.search(whole):
        found.append(whole[:-3])
    return list(dict.fromkeys(code for code in found if code))


def _address_codes(address: str) -> list[str]:
    """Folded words of an address and each pair of neighbouring words joined ("Leeds NS1 4AB"
    → leeds, ns1, 4ab, leedsns1, ns14ab): where an area's postcode can appear in it."""
    words = [fold_code(word) for word in _NOT_WORD.sub(" ", _plain(address)).split()]
    return words + [first + second for first, second in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class AreaLists:
    """One area as `AreaIndex` reads it."""

    pk: int
    name: str
    postcodes: str
    places: str


@dataclass
class AreaIndex:
    """A practice's areas by the postcodes and place names they cover. Where two areas list
    the same postcode or place, the first by name keeps it."""

    codes: dict[str, int] = field(default_factory=dict)
    places: list[tuple[str, int]] = field(default_factory=list)  # longest name first

    @classmethod
    def of(cls, areas: Iterable[AreaLists]) -> "AreaIndex":
        index = cls()
        places: dict[str, int] = {}
        for area in sorted(areas, key=lambda a: (a.name.casefold(), a.pk)):
            for code in split_list(area.postcodes):
                index.codes.setdefault(fold_code(code), area.pk)
            for place in [area.name, *split_list(area.places)]:
                if folded := fold_place(place):
                    places.setdefault(folded, area.pk)
        index.places = sorted(places.items(), key=lambda item: (-len(item[0]), item[0]))
        return index

    def area_for(self, *, postcode: str, address: str) -> int | None:
        """The area an entry is in, by (1) its postcode, (2) a postcode in its address, (3) a
        place name in its address (the longest that appears: "Harbour Lane" over "Harbour");
        None if none names one."""
        for code in code_prefixes(postcode):
            if code in self.codes:
                return self.codes[code]
        if not address:
            return None
        for code in _address_codes(address):
            if code in self.codes:
                return self.codes[code]
        words = f" {fold_place(address)} "
        for place, pk in self.places:
            if f" {place} " in words:
                return pk
        return None


# --- Centroid files -----------------------------------------------------------------------


@dataclass(frozen=True)
class Centroid:
    kind: str  # "postcode" or "place" (PlaceCentroid.Kind)
    key: str  # folded
    label: str
    latitude: float
    longitude: float


@dataclass
class CentroidFile:
    centroids: list[Centroid] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 4: …"; any one: keep nothing
    lines: int = 0


class _LineProblem(ValueError):
    pass


def _coordinate(text: str, low: float, high: float, what: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise _LineProblem(
            _("%(what)s “%(value)s” is not a number") % {"what": what, "value": text[:40]}
        ) from None
    if not low <= value <= high:  # also refuses nan; inf is out of range
        raise _LineProblem(
            _("%(what)s %(value)s is outside %(low)s to %(high)s")
            % {"what": what, "value": text[:40], "low": low, "high": high}
        )
    return value


def _looks_like_postcode(text: str) -> bool:
    return any(char.isdigit() for char in text)


_HEADER_KEYS = {"code", "postcode", "postal_code", "zip", "name", "place", "place_name"}
_HEADER_LAT = {"lat", "latitude"}
_HEADER_LON = {"lon", "lng", "long", "longitude"}


def _columns(header: Sequence[str]) -> tuple[int, int, int] | None:
    """(key, latitude, longitude) column numbers of a header row, or None if it is not one."""
    names = [_NOT_WORD.sub("_", cell.strip().casefold()).strip("_") for cell in header]
    key = next((i for i, name in enumerate(names) if name in _HEADER_KEYS), None)
    lat = next((i for i, name in enumerate(names) if name in _HEADER_LAT), None)
    lon = next((i for i, name in enumerate(names) if name in _HEADER_LON), None)
    if None in (key, lat, lon):
        return None
    return key, lat, lon


def read_centroids(data: bytes) -> CentroidFile:
    """A centroid file's rows, or its problems (then no rows). Postcodes are kept as they
    are; a place name given on many lines (GeoNames lists it once per postcode) gets the mean
    of their coordinates."""
    result = CentroidFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(_("The file is not UTF-8 text."))
        return result
    if "\x00" in text:
        result.problems.append(_("The file is not a text file."))
        return result
    first = text.split("\n", 1)[0]
    geonames = first.count("\t") >= 10
    delimiter = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = (0, 1, 2)
    postcodes: dict[str, Centroid] = {}
    places: dict[str, list] = {}  # key → [label, sum of latitudes, sum of longitudes, count]
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if number == 1 and not geonames and (header := _columns(row)) is not None:
            columns = header
            continue
        result.lines += 1
        try:
            if geonames:
                _geonames_line(row, postcodes, places)
            else:
                _simple_line(row, columns, postcodes, places)
        except _LineProblem as problem:
            if len(result.problems) < MAX_PROBLEMS:
                result.problems.append(
                    _("line %(number)s: %(why)s") % {"number": number, "why": problem}
                )
            else:
                result.problems[-1] = _("… and more lines with problems.")
    if not result.problems and not result.lines:
        result.problems.append(_("The file holds no lines with coordinates."))
    if result.problems:
        return result
    result.centroids = list(postcodes.values()) + [
        Centroid("place", key, label, lat / count, lon / count)
        for key, (label, lat, lon, count) in places.items()
    ]
    return result


def _add_place(places: dict, label: str, latitude: float, longitude: float) -> None:
    key = fold_place(label)
    if not key:
        return
    entry = places.setdefault(key, [label.strip()[:200], 0.0, 0.0, 0])
    entry[1] += latitude
    entry[2] += longitude
    entry[3] += 1


def _geonames_line(row: list[str], postcodes: dict, places: dict) -> None:
    if len(row) < 11:
        raise _LineProblem(
            _("expected at least 11 tab-separated columns (GeoNames), found %(count)s")
            % {"count": len(row)}
        )
    code, place = row[1].strip(), row[2].strip()
    latitude = _coordinate(row[9], -90, 90, _("latitude"))
    longitude = _coordinate(row[10], -180, 180, _("longitude"))
    if not fold_code(code) and not fold_place(place):
        raise _LineProblem(_("no postal code or place name"))
    if key := fold_code(code):
        postcodes.setdefault(key, Centroid("postcode", key, code[:200], latitude, longitude))
    _add_place(places, place, latitude, longitude)


def _simple_line(row: list[str], columns: tuple[int, int, int], postcodes, places) -> None:
    key_column, lat_column, lon_column = columns
    if len(row) <= max(columns):
        raise _LineProblem(
            _("expected a code or name, a latitude and a longitude, found %(count)s columns")
            % {"count": len(row)}
        )
    label = row[key_column].strip()
    latitude = _coordinate(row[lat_column], -90, 90, _("latitude"))
    longitude = _coordinate(row[lon_column], -180, 180, _("longitude"))
    if not fold_code(label):
        raise _LineProblem(_("no postcode or place name"))
    if _looks_like_postcode(label):
        key = fold_code(label)
        if key in postcodes:
            raise _LineProblem(_("postcode “%(code)s” is listed twice") % {"code": label[:40]})
        postcodes[key] = Centroid("postcode", key, label[:200], latitude, longitude)
    else:
        _add_place(places, label, latitude, longitude)


def centroid_keys(*, postcode: str, address: str) -> tuple[list[str], list[str]]:
    """What to look up for an entry, most specific first: (postcode keys, place keys). The
    postcode (whole, then its first part), or failing that a postcode-like word pair in the
    address; the address's comma-separated parts as place names, the most specific (the
    first after the street) first, each also without a trailing postcode."""
    codes = code_prefixes(postcode)
    parts = [part for part in address.split(",") if part.strip()]
    if not codes and parts:
        # "…, Northside NS1 4AB": the last part's words holding a digit.
        tail = [word for word in parts[-1].split() if _looks_like_postcode(word)]
        if tail:
            codes = code_prefixes(" ".join(tail[-2:]))
    names: list[str] = []
    for part in parts:
        words = part.split()
        while words and _looks_like_postcode(words[-1]):
            words.pop()
        for candidate in (part, " ".join(words)):
            if (folded := fold_place(candidate)) and not _looks_like_postcode(folded):
                names.append(folded)
    return codes, list(dict.fromkeys(names))
