"""The measures parsers, fed anything: a FHIR Questionnaire upload and an instrument
definition are either read whole or refused with a clean error, and a refused import writes
nothing; scoring answers any answers with scores or an AnswerError (issue 8)."""

import copy
import json

from hypothesis import given
from hypothesis import strategies as st

from outward.lib.scoring import AnswerError, score
from outward.measures import catalog, fhir, services
from outward.measures.definitions import (
    INSTRUMENTS_DIR,
    DefinitionError,
    Instrument,
    definition_from_dict,
)
from outward.measures.models import ImportedInstrument

SHIPPED = {path.stem: json.loads(path.read_text()) for path in INSTRUMENTS_DIR.glob("*.json")}
QUESTIONNAIRES = {key: fhir.questionnaire_json(catalog.instrument(key)) for key in SHIPPED}

AWKWARD_STRINGS = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\ud800", "x" * 5000, "0", "-1", "1e309", "choice", "integer"]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | AWKWARD_STRINGS
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(document, prefix=()):
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _paths(value, (*prefix, index))


def _at(document, path):
    for step in path:
        document = document[step]
    return document


@st.composite
def mutated(draw, documents: dict):
    """A real document with a few of its values (or whole branches) swapped for any JSON, or
    deleted: close enough to the real thing to get past the first check."""
    document = copy.deepcopy(documents[draw(st.sampled_from(sorted(documents)))])
    for _change in range(draw(st.integers(1, 3))):
        paths = [path for path in _paths(document) if path]
        if not paths:
            break
        texts = [path for path in paths if isinstance(_at(document, path), str)]
        if texts and draw(st.booleans()):  # a text where a text belongs, but an awkward one
            *parents, last = draw(st.sampled_from(texts))
            _at(document, parents)[last] = draw(AWKWARD_STRINGS | st.text(max_size=20))
            continue
        *parents, last = draw(st.sampled_from(paths))
        parent = _at(document, parents)
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = draw(JSON)
    return document


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(key)
            yield from _strings(inner)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            yield from _strings(inner)


def _storable(instrument: Instrument):
    """What is saved must be savable in PostgreSQL's jsonb and shown in a UTF-8 page."""
    for text in _strings(instrument.as_dict()):
        assert "\x00" not in text
        text.encode("utf-8")  # a lone surrogate from a "\ud800" escape cannot be


@given(st.binary(max_size=300) | JSON.map(lambda value: json.dumps(value).encode()))
def test_an_upload_is_json_or_a_clean_refusal(raw):
    try:
        fhir.parse_upload(raw, source="upload.json")
    except fhir.FhirImportError as error:
        assert str(error).startswith("upload.json ")


@given(JSON | mutated(QUESTIONNAIRES))
def test_a_questionnaire_becomes_an_instrument_or_a_clean_refusal(data):
    try:
        instrument = fhir.instrument_from_questionnaire(data, source="upload.json")
    except fhir.FhirImportError as error:
        assert str(error).startswith("upload.json: ")
        return
    _storable(instrument)
    assert definition_from_dict(instrument.as_dict(), "round trip") == instrument


@given(JSON | mutated(SHIPPED))
def test_a_definition_is_an_instrument_or_a_clean_refusal(data):
    try:
        instrument = definition_from_dict(data, "test.json")
    except DefinitionError as error:
        assert str(error).startswith("test.json: ")
        return
    _storable(instrument)


@given(
    key=st.sampled_from(sorted(SHIPPED)),
    answers=st.dictionaries(
        st.text(max_size=4) | st.sampled_from([str(n) for n in range(1, 12)]) | st.integers(0, 12),
        st.none() | st.integers(-2, 5) | st.booleans() | st.floats() | st.text(max_size=2),
        max_size=14,
    ),
)
def test_any_answers_are_scored_or_refused(key, answers):
    try:
        scores = score(catalog.instrument(key), answers)
    except AnswerError:
        return
    scores.as_dict()


def test_a_refused_import_writes_nothing(world):
    """The world is built once; each example is one import attempt. A refused one must leave
    no row; an accepted one is kept, which only makes later keys take a suffix."""

    @given(mutated(QUESTIONNAIRES))
    def check(data):
        before = ImportedInstrument.objects.count()
        try:
            services.instrument_import(
                practice=world.practice, questionnaire=data, source="x.json", actor=world.admin.user
            )
        except fhir.FhirImportError:
            assert ImportedInstrument.objects.count() == before
        else:
            assert ImportedInstrument.objects.count() == before + 1

    check()
