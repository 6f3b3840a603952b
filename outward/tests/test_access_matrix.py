"""Every URL × every persona. A URL missing from MATRIX fails the suite: new pages must
declare who may open them."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ["therapist", "colleague", "stranger", "admin", "client", "other_client", "anonymous"]

OK, NOT_FOUND, LOGIN = "ok", "404", "login"
PUBLIC = dict.fromkeys(PERSONAS, OK)
SIGNED_IN = {**dict.fromkeys(PERSONAS, OK), "anonymous": LOGIN}
THERAPISTS = {
    **dict.fromkeys(PERSONAS, NOT_FOUND),
    "therapist": OK,
    "colleague": OK,
    "stranger": OK,
    "anonymous": LOGIN,
}
CARE_TEAM = {**dict.fromkeys(PERSONAS, NOT_FOUND), "therapist": OK, "anonymous": LOGIN}
ADMIN = {**dict.fromkeys(PERSONAS, NOT_FOUND), "admin": OK, "anonymous": LOGIN}
CLIENTS = {
    **dict.fromkeys(PERSONAS, NOT_FOUND),
    "client": OK,
    "other_client": OK,
    "anonymous": LOGIN,
}


def _client(w):
    return [w.client.pk]


def _note(w):
    return [w.client.pk, w.client.session_notes.get().pk]


def _none(w):
    return []


# name: (method, args from the world, expected outcome per persona[, form data])
MATRIX = {
    "home": ("get", _none, SIGNED_IN),
    "healthz": ("get", _none, PUBLIC),
    "accounts:login": ("get", _none, PUBLIC),
    "accounts:login_verify": ("get", _none, PUBLIC),
    "accounts:logout": ("post", _none, PUBLIC),
    "accounts:invitation_accept": (
        "get",
        lambda w: ["not-a-real-token"],
        dict.fromkeys(PERSONAS, NOT_FOUND),
    ),
    "accounts:account": ("get", _none, SIGNED_IN),
    "accounts:two_factor": ("get", _none, SIGNED_IN),
    "accounts:two_factor_disable": ("post", _none, SIGNED_IN),
    "accounts:password_change": ("get", _none, SIGNED_IN),
    "accounts:password_change_done": ("get", _none, SIGNED_IN),
    "accounts:password_reset": ("get", _none, PUBLIC),
    "accounts:password_reset_done": ("get", _none, PUBLIC),
    "accounts:password_reset_confirm": ("get", lambda w: ["MQ", "not-a-token"], PUBLIC),
    "accounts:password_reset_complete": ("get", _none, PUBLIC),
    "care:caseload": ("get", _none, THERAPISTS),
    "care:client_create": ("get", _none, THERAPISTS),
    "care:client_detail": ("get", _client, CARE_TEAM),
    "care:client_edit": ("get", _client, CARE_TEAM),
    "care:client_invitation": ("post", _client, CARE_TEAM),
    "care:session_notes": ("get", _client, CARE_TEAM),
    "care:session_note_edit": ("get", _note, CARE_TEAM),
    "care:today": ("get", _none, CLIENTS),
    "care:practice": ("get", _none, ADMIN),
    "care:staff_invite": ("get", _none, ADMIN),
    "care:staff_invitation": ("post", lambda w: [w.colleague.pk], ADMIN),
    "care:staff_active": ("post", lambda w: [w.colleague.pk], ADMIN, {"active": "1"}),
    "care:practice_clients": ("get", _none, ADMIN),
    "care:care_team": ("get", _client, ADMIN),
    "care:audit_log": ("get", _client, ADMIN),
}


def _url_names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_is_in_the_matrix():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(MATRIX) == set(), "add these URLs to the access matrix"
    assert set(MATRIX) - names == set(), "these matrix entries name no URL"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, name, persona):
    method, args, expected, *data = MATRIX[name]
    url = reverse(name, args=args(world))
    response = getattr(world.as_(persona), method)(url, *data)
    outcome = expected[persona]
    login = reverse("accounts:login")
    if outcome == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login}?next=")
    elif outcome == NOT_FOUND:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302 and persona != "anonymous" and name != "accounts:logout":
            assert not response["Location"].startswith(login)
