"""Hypothesis strategies for hostile form input: what a browser, a script or a bored person
could post. Shared by the form and view property tests."""

import datetime

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Inputs that have broken Django apps before: NUL (PostgreSQL refuses it in text), huge
# numbers (SQLite's INTEGER is 64-bit, Python's int() refuses > 4300 digits), non-finite
# floats, the ends of the calendar, lone whitespace, and a lot of text.
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\t\n",
        "0",
        "-1",
        "-0",
        "1e309",
        "NaN",
        "inf",
        "9" * 25,
        "-" + "9" * 25,
        "9" * 5000,
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2026-02-29",
        "1989-12-31",
        "23:59:59.999999",
        "24:00",
        "00:00",
        "on",
        "other",
        "http://[::1",
        "javascript:alert(1)",
        "x" * 70_000,
        "😀" * 300,
        "\u202e\u200b",
    ]
)

TEXT = st.text(max_size=300)  # any code point but surrogates, NUL included
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
MOMENTS = st.one_of(
    st.dates().map(str),
    st.times().map(lambda moment: moment.isoformat(timespec="minutes")),
    st.datetimes().map(lambda moment: moment.isoformat(sep="T", timespec="minutes")),
)
ANY_VALUE = st.one_of(AWKWARD, TEXT, NUMBERS, MOMENTS)


def _choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", ()) or ():
        if isinstance(label, (list, tuple)):  # an option group
            values += [str(inner) for inner, _label in label]
        else:
            values.append(str(getattr(value, "value", value)))
    return values


def field_value(field: forms.Field) -> st.SearchStrategy:
    """Anything at all, often one of the field's own choices or a plausible value for its
    type, so that examples reach past the first field error into `clean()`."""
    plausible = []
    if choices := _choice_values(field):
        plausible.append(st.sampled_from(choices))
    if isinstance(field, forms.DateField):
        today = datetime.date.today()
        plausible.append(
            st.dates(
                today - datetime.timedelta(days=400), today + datetime.timedelta(days=400)
            ).map(str)
        )
    if isinstance(field, forms.TimeField):
        plausible.append(st.times().map(lambda moment: moment.strftime("%H:%M")))
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        plausible.append(st.integers(-5, 120).map(str))
    if isinstance(field, forms.BooleanField):
        plausible.append(st.sampled_from(["on", ""]))
    if isinstance(field, forms.EmailField):
        plausible.append(st.emails())
    if plausible:
        return st.one_of(*plausible, ANY_VALUE)
    return ANY_VALUE


def uploads() -> st.SearchStrategy:
    return st.builds(
        SimpleUploadedFile,
        name=st.sampled_from(["a.json", "a.csv", "a.ics", "a.zip", "\x00.json", "x" * 300]),
        content=st.one_of(
            st.binary(max_size=2000),
            st.text(max_size=500).map(lambda text: text.encode()),
            st.sampled_from([b"", b"{}", b"[]", b"null", b'{"resourceType": "Questionnaire"}']),
        ),
    )


@st.composite
def form_data(draw, fields: dict[str, forms.Field]) -> tuple[dict, dict]:
    """(data, files) for a form with these fields; any field may be missing, some doubled."""
    data, files = {}, {}
    for name, field in fields.items():
        if isinstance(field, forms.FileField):
            if draw(st.booleans()):
                files[name] = draw(uploads())
        elif isinstance(field, forms.MultipleChoiceField):  # ticks: a list, as a post sends
            data[name] = draw(st.lists(field_value(field), max_size=4))
        elif draw(st.integers(0, 9)):  # mostly present
            data[name] = draw(field_value(field))
    return data, files
