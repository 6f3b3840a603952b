"""Values views read by hand, outside a form: a posted id and a "next" address."""

import pytest
from django.test import RequestFactory

from outward.lib.forms import row_id
from outward.lib.net import local_path


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ("12", 12),
        ("", None),
        (None, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("9" * 19, None),
        ("1.5", None),
        ("\x00", None),
    ],
)
def test_row_id(posted, expected):
    assert row_id(posted) == expected


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/me/today/", "/me/today/"),
        ("/clients/3/goals/?tab=2", "/clients/3/goals/?tab=2"),
        ("24:00", None),  # redirect() would look this up as a URL name
        ("goals:goals", None),
        ("//evil.test/", None),
        ("https://evil.test/", None),
        ("/\x00", None),
        ("/\\evil.test", None),
        ("", None),
        (None, None),
    ],
)
def test_local_path(candidate, expected):
    request = RequestFactory().post("/")  # the test server's own host
    assert local_path(request, candidate) == expected
