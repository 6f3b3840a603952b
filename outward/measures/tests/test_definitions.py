"""Instrument definition files: what ships, that every item is verbatim from the reference, and
that the loader refuses a broken file with a message naming the file and the problem."""

import copy
import json
import re
from pathlib import Path

import pytest

from outward.measures.definitions import (
    INSTRUMENTS_DIR,
    DefinitionError,
    Instrument,
    definition_from_dict,
    instruments,
    load_definitions,
)

REFERENCE = Path(__file__).resolve().parents[3].parent / "shared" / "reference" / "instruments.md"

SHIPPED = {"phq9", "gad7", "who5", "ucla3", "djg6", "lsns6", "sias6", "sps6", "cel3"}
ENABLED = {"phq9", "gad7", "who5"}


def shipped_data(key):
    return json.loads((INSTRUMENTS_DIR / f"{key}.json").read_text(encoding="utf-8"))


# --- what ships ----------------------------------------------------------------------------


def test_the_shipped_instruments():
    loaded = instruments()
    assert set(loaded) == SHIPPED
    assert {key for key, inst in loaded.items() if inst.enabled_by_default} == ENABLED
    assert all(isinstance(inst, Instrument) for inst in loaded.values())
    assert {path.stem for path in INSTRUMENTS_DIR.glob("*.json")} == SHIPPED


def test_restricted_instruments_are_not_shipped():
    names = " ".join(
        f"{inst.key} {inst.name} {inst.short_name}".lower() for inst in instruments().values()
    )
    for restricted in ("spin", "lsas", "liebowitz", "ucla20", "ucla-20", "version 3"):
        assert restricted not in names


def test_disabled_instruments_carry_their_licence_caveat():
    for key in SHIPPED - ENABLED:
        inst = instruments()[key]
        assert not inst.enabled_by_default
        assert "UNVERIFIED" in inst.licence, key


def test_instruments_are_loaded_once_and_read_only():
    assert instruments() is instruments()
    with pytest.raises(TypeError):
        instruments()["x"] = None


def test_phq9_item_9_is_the_only_risk_item_shipped():
    risk = {
        (key, item.id, item.risk_above)
        for key, inst in instruments().items()
        for item in inst.risk_items
    }
    assert risk == {("phq9", "9", 0)}


def test_loinc_codes_only_where_the_reference_or_a_cited_source_gives_them():
    """Panel, item and answer codes from the reference; the PHQ-9 item codes and both
    total-score codes from the HL7 implementation-guide examples each file's notes cite."""
    phq9, gad7 = instruments()["phq9"], instruments()["gad7"]
    assert (phq9.loinc.panel, phq9.loinc.total) == ("44249-1", "44261-6")
    assert (gad7.loinc.panel, gad7.loinc.total) == ("69737-5", "70274-6")
    frequency = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
    assert [o.loinc for o in phq9.item("1").options] == frequency
    assert [o.loinc for o in gad7.item("1").options] == frequency
    assert phq9.item("9").loinc == "44260-8" and phq9.item("difficulty").loinc is None
    assert all(o.loinc is None for o in phq9.item("difficulty").options)
    assert gad7.item("2").loinc == "68509-9"
    for code in ("44261-6", "70274-6", "44250-9"):
        assert code in phq9.notes + gad7.notes  # each code not in the reference names its source
    assert "HL7/sdc" in phq9.notes and "HL7/personal-health-record-format-ig" in gad7.notes
    others = SHIPPED - {"phq9", "gad7"}
    assert all(instruments()[key].loinc.panel is None for key in others)


def test_reliable_change_figures():
    figures = {
        key: (scale.key, scale.rci.sd, scale.rci.reliability)
        for key, inst in instruments().items()
        for scale in inst.scales
        if scale.rci is not None
    }
    assert figures == {"phq9": ("total", 3.5, 0.89), "gad7": ("total", 3.5, 0.92)}
    # Both SDs are general-population norms: the reference has no clinical-sample SD (§16).
    assert {
        (scale.rci.population, scale.rci.sample)
        for inst in instruments().values()
        for scale in inst.scales
        if scale.rci is not None
    } == {
        ("general", "German representative sample"),
        ("general", "German representative sample, women"),
    }


def test_ucla3_direct_item_is_its_own_scale():
    ucla = instruments()["ucla3"]
    assert ucla.scale("total").items == ("1", "2", "3")
    assert ucla.scale("direct").items == ("direct",)
    assert ucla.primary_scale == "total"


def test_djg6_reverses_the_social_items():
    djg = instruments()["djg6"]
    assert djg.scale("emotional").items == ("3", "9", "10")
    assert djg.scale("social").items == ("4", "7", "8")
    assert set(djg.scale("social").reverse) == {"4", "7", "8"}
    assert set(djg.scale("total").reverse) == {"4", "7", "8"}
    assert djg.scale("emotional").reverse == ()
    assert djg.scale("total").max_missing == 1
    assert djg.scale("emotional").max_missing == djg.scale("social").max_missing == 0


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_as_dict_round_trips(key):
    inst = instruments()[key]
    assert definition_from_dict(inst.as_dict(), "round trip") == inst
    assert definition_from_dict(json.loads(json.dumps(inst.as_dict())), "json") == inst


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_every_item_counts_where_it_should(key):
    inst = instruments()[key]
    unscored = {item.id for item in inst.items} - inst.scored_item_ids
    assert unscored == ({"difficulty"} if key == "phq9" else set())
    assert all(not inst.item(item_id).required for item_id in unscored)


# --- verbatim against the reference --------------------------------------------------------

QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'"})


def normalise(text):
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip()


@pytest.fixture(scope="module")
def reference_text():
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is not here")
    return normalise(REFERENCE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_item_text_is_verbatim_from_the_reference(reference_text, key):
    inst = instruments()[key]
    for item in inst.items:
        assert normalise(item.text) in reference_text, f"{key} item {item.id}: {item.text!r}"
        if item.heading is not None:
            assert normalise(item.heading) in reference_text, f"{key} {item.id} heading"


# Instruments whose instructions the reference quotes; the others use Outward's own wording,
# which their notes say.
VERBATIM_INSTRUCTIONS = {"phq9", "gad7", "who5", "ucla3"}


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_instructions_are_verbatim_or_declared_our_own(reference_text, key):
    inst = instruments()[key]
    if key in VERBATIM_INSTRUCTIONS:
        assert normalise(inst.instructions) in reference_text
    elif inst.instructions:
        assert "instructions are Outward's own wording" in inst.notes


# The SIAS form's middle labels are elided in the reference ("1 = Slightly … · 2 = Moderately …");
# they are written out as the first and last labels are.
ELIDED = {
    "Slightly characteristic or true of me": "Slightly …",
    "Moderately characteristic or true of me": "Moderately …",
    "Very characteristic or true of me": "Very …",
}


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_option_text_is_verbatim_from_the_reference(reference_text, key):
    for option_set in instruments()[key].option_sets:
        for option in option_set.options:
            text = ELIDED.get(option.text, option.text)
            assert normalise(text) in reference_text, f"{key} {option_set.name}: {option.text!r}"


def test_pfizer_notice_is_verbatim(reference_text):
    for key in ("phq9", "gad7"):
        assert normalise(instruments()[key].licence) in reference_text


# --- the loader refuses broken files -------------------------------------------------------


def _set(path, value):
    def mutate(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return mutate


def _delete(path):
    def mutate(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return mutate


def _append_item(item):
    return lambda data: data["items"].append(item)


def _add_option_set(data):
    data["option_sets"]["spare"] = [{"code": 0, "text": "No"}, {"code": 1, "text": "Yes"}]


def _duplicate_option_code(data):
    data["option_sets"]["frequency"][1]["code"] = 0


def _duplicate_option_text(data):
    data["option_sets"]["frequency"][1]["text"] = "Not at all"


def _asymmetric_reverse(data):
    data["option_sets"]["frequency"][3]["code"] = 5  # codes 0, 1, 2, 5
    data["scales"][0]["reverse"] = ["1"]


def _duplicate_scale(data):
    data["scales"].append(copy.deepcopy(data["scales"][0]))


BROKEN = [
    # (case id, file, mutation, expected problem)
    ("item id twice", "phq9", _set(["items", 1, "id"], "1"), "item id '1' is used twice"),
    ("item without text", "phq9", _delete(["items", 0, "text"]), "missing key(s) 'text'"),
    ("item unknown key", "phq9", _set(["items", 0, "txt"], "x"), "unknown key(s) 'txt'"),
    (
        "item unknown option set",
        "phq9",
        _set(["items", 0, "options"], "freq"),
        "uses option set 'freq', which is not defined",
    ),
    ("empty item text", "phq9", _set(["items", 0, "text"], "  "), "text must not be empty"),
    (
        "option code a string",
        "phq9",
        _set(["option_sets", "frequency", 0, "code"], "0"),
        "code must be an integer, not the string '0'",
    ),
    (
        "option code a float",
        "phq9",
        _set(["option_sets", "frequency", 0, "code"], 0.5),
        "code must be an integer",
    ),
    (
        "option code a boolean",
        "phq9",
        _set(["option_sets", "frequency", 1, "code"], True),
        "code must be an integer, not a boolean",
    ),
    ("option code twice", "phq9", _duplicate_option_code, "option code 0 is used twice"),
    ("option text twice", "phq9", _duplicate_option_text, "option text 'Not at all' is used twice"),
    ("option set unused", "phq9", _add_option_set, "option set 'spare' is not used by any item"),
    (
        "bad answer LOINC",
        "phq9",
        _set(["option_sets", "frequency", 0, "loinc"], "6568-5"),
        "is not a LOINC answer code",
    ),
    ("missing top key", "phq9", _delete(["citation"]), "missing key(s) 'citation'"),
    ("unknown top key", "phq9", _set(["colour"], "blue"), "unknown key(s) 'colour'"),
    ("version a string", "phq9", _set(["version"], "1"), "version must be an integer"),
    ("version a boolean", "phq9", _set(["version"], True), "version must be an integer"),
    ("version zero", "phq9", _set(["version"], 0), "version must be at least 1"),
    (
        "key does not match file",
        "phq9",
        _set(["key"], "gad7"),
        "key 'gad7' does not match the file name",
    ),
    ("key not an identifier", "phq9", _set(["key"], "PHQ-9"), "is not a lower-case identifier"),
    (
        "enabled not a boolean",
        "phq9",
        _set(["enabled_by_default"], "yes"),
        "enabled_by_default must be true or false",
    ),
    ("empty licence", "phq9", _set(["licence"], ""), "licence must not be empty"),
    ("bad LOINC", "phq9", _set(["loinc", "panel"], "PHQ9"), "is not a LOINC code"),
    ("unknown LOINC key", "phq9", _set(["loinc", "answers"], "x"), "unknown key(s) 'answers'"),
    (
        "scale unknown item",
        "phq9",
        _set(["scales", 0, "items"], ["1", "2", "3", "4", "5", "6", "7", "8", "99"]),
        "refers to item '99', which is not defined",
    ),
    (
        "scale item twice",
        "phq9",
        _set(["scales", 0, "items"], ["1", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
        "lists item '1' twice",
    ),
    (
        "reverse item not in scale",
        "gad7",
        _set(["scales", 0, "reverse"], ["8"]),
        "reverses item '8', which is not in the scale",
    ),
    ("reverse asymmetric codes", "gad7", _asymmetric_reverse, "are not symmetric"),
    (
        "bad direction",
        "phq9",
        _set(["scales", 0, "direction"], "lower_is_better"),
        "direction 'lower_is_better' is not one of",
    ),
    ("scale missing key", "phq9", _delete(["scales", 0, "cutoff"]), "missing key(s) 'cutoff'"),
    ("scale unknown key", "phq9", _set(["scales", 0, "weights"], []), "unknown key(s) 'weights'"),
    ("scale key twice", "phq9", _duplicate_scale, "scale key 'total' is used twice"),
    (
        "range does not match",
        "phq9",
        _set(["scales", 0, "max"], 30),
        "declares range 0–30, but its items and options give 0–27",
    ),
    (
        "WHO-5 without its transform",
        "who5",
        _set(["scales", 0, "transform"], None),
        "declares range 0–100, but its items and options give 0–25",
    ),
    (
        "transform multiply zero",
        "who5",
        _set(["scales", 0, "transform"], {"multiply": 0}),
        "transform.multiply must be at least 1",
    ),
    (
        "transform a float",
        "who5",
        _set(["scales", 0, "transform"], {"multiply": 4.5}),
        "transform.multiply must be an integer",
    ),
    (
        "bands overlap",
        "phq9",
        _set(["scales", 0, "bands", 1, "min"], 4),
        "bands overlap: 'Minimal' (0–4) and 'Mild' (4–9)",
    ),
    (
        "bands leave a gap",
        "phq9",
        _set(["scales", 0, "bands", 2, "min"], 11),
        "bands leave a gap between 9 ('Mild') and 11 ('Moderate')",
    ),
    (
        "bands start late",
        "phq9",
        _set(["scales", 0, "bands", 0, "min"], 1),
        "bands start at 1, not at the scale minimum 0, leaving a gap",
    ),
    (
        "bands stop short",
        "phq9",
        _set(["scales", 0, "bands", 4, "max"], 26),
        "bands end at 26, not at the scale maximum 27, leaving a gap",
    ),
    (
        "bands run past the maximum",
        "gad7",
        _set(["scales", 0, "bands", 3, "max"], 27),
        "bands end at 27, not at the scale maximum 21",
    ),
    (
        "band backwards",
        "phq9",
        _set(["scales", 0, "bands", 0, "max"], -1),
        "runs backwards",
    ),
    (
        "band labels twice",
        "phq9",
        _set(["scales", 0, "bands", 1, "label"], "Minimal"),
        "two bands labelled 'Minimal'",
    ),
    (
        "reliability above 1",
        "phq9",
        _set(["scales", 0, "rci", "reliability"], 1.2),
        "rci.reliability must be between 0 and 1",
    ),
    ("sd zero", "phq9", _set(["scales", 0, "rci", "sd"], 0), "rci.sd must be greater than 0"),
    (
        "sd a string",
        "phq9",
        _set(["scales", 0, "rci", "sd"], "3.5"),
        "rci.sd must be a number",
    ),
    ("rci without source", "gad7", _delete(["scales", 0, "rci", "source"]), "missing key(s)"),
    (
        "cutoff on the wrong side",
        "who5",
        _set(["scales", 0, "cutoff", "clinical"], "at_or_above"),
        "cutoff.clinical 'at_or_above' does not fit direction 'higher_is_better'",
    ),
    (
        "cutoff outside the range",
        "phq9",
        _set(["scales", 0, "cutoff", "value"], 28),
        "cutoff 28 is outside the scale's range 0–27",
    ),
    (
        "unknown primary scale",
        "phq9",
        _set(["primary_scale"], "sum"),
        "primary_scale 'sum' is not one of the scales",
    ),
    (
        "dichotomise code not an option",
        "djg6",
        _set(["scales", 1, "dichotomise"], {"ones": [3, 4, 6]}),
        "dichotomise.ones has code(s) [6] that item '3' does not have",
    ),
    (
        "dichotomise every code",
        "djg6",
        _set(["scales", 1, "dichotomise"], {"ones": [1, 2, 3, 4, 5]}),
        "scores every answer to '3' 1",
    ),
    (
        "dichotomise unknown key",
        "djg6",
        _set(["scales", 1, "dichotomise"], {"ones": [3], "zeros": [1]}),
        "unknown key(s) 'zeros'",
    ),
    (
        "missing allowance too large",
        "djg6",
        _set(["scales", 1, "missing"], {"max_missing": 3}),
        "max_missing 3 would let the scale be scored with no answers",
    ),
    (
        "missing allowance where items start above 0",
        "ucla3",
        _set(["scales", 0, "missing"], {"max_missing": 1}),
        "not every item's lowest value is 0",
    ),
    (
        "risk threshold nobody can pass",
        "phq9",
        _set(["items", 8, "risk_above"], 3),
        "risk_above 3 is at or above every option code",
    ),
    (
        "required not a boolean",
        "phq9",
        _set(["items", 9, "required"], "no"),
        "required must be true or false",
    ),
    (
        "verified not a boolean",
        "cel3",
        _set(["scales", 0, "verified"], "no"),
        "verified must be true or false",
    ),
]


@pytest.mark.parametrize(
    ("key", "mutate", "problem"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_copies_are_refused_with_file_and_problem(tmp_path, key, mutate, problem):
    data = shipped_data(key)
    mutate(data)
    (tmp_path / f"{key}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DefinitionError) as excinfo:
        load_definitions(tmp_path)
    message = str(excinfo.value)
    assert message.startswith(f"{key}.json: "), message
    assert problem in message, message


def test_a_broken_file_among_good_ones_is_named(tmp_path):
    for path in INSTRUMENTS_DIR.glob("*.json"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert set(load_definitions(tmp_path)) == SHIPPED
    data = shipped_data("lsns6")
    data["scales"][1]["items"].append("7")
    (tmp_path / "lsns6.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"^lsns6\.json: scale 'family' refers to item '7'"):
        load_definitions(tmp_path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"key": "phq9",', "not valid JSON"),
        ('{"key": "phq9", "key": "gad7"}', "key 'key' appears twice in one object"),
        ("[]", "the definition must be a JSON object, not a list"),
        ("null", "the definition must be a JSON object, not null"),
        (b"\xff\xfe{}", "cannot be read"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, content, problem):
    path = tmp_path / "broken.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DefinitionError) as excinfo:
        load_definitions(tmp_path)
    assert str(excinfo.value).startswith("broken.json: ")
    assert problem in str(excinfo.value)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(DefinitionError, match="no instrument definitions"):
        load_definitions(tmp_path)


def test_definition_from_dict_names_its_source():
    data = shipped_data("gad7")
    data["items"][0]["options"] = "nope"
    with pytest.raises(DefinitionError, match=r"^FHIR upload: item '1' uses option set 'nope'"):
        definition_from_dict(data, "FHIR upload")
