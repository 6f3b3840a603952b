"""Sessions that end without losing work: a form posted after the session ended is kept for
its person and put back after they sign in again (never saved by itself); an absolute
lifetime; "sign out everywhere"; the keep-alive behind the idle warning."""

import json
import re
import time

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outward.accounts import services
from outward.accounts.middleware import SECONDS_HEADER, SIGNED_IN_AT, STASH_COOKIE
from outward.accounts.models import FormStash, Session
from outward.conftest import PASSWORD
from outward.journal.models import CheckIn

CHECK_IN = {
    "mood": "7",
    "loneliness": "3",
    "meaningful_interactions": "2",
    "in_person": "1",
    "online": "1",
    "win": "Called my brother",
    "note": "A long note I took ages to write",
    "note_private": "on",
    "form_token": "a-token-from-the-page",
    "csrfmiddlewaretoken": "not-kept",
}


def expire_sessions():
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))


def restored(page_html: str):
    found = re.search(
        r'<script id="outward-restored-form" type="application/json">(.*?)</script>',
        page_html,
        re.S,
    )
    return json.loads(found.group(1)) if found else None


def seconds_on(page_html: str) -> int:
    return int(re.search(r'data-session-seconds="(\d+)"', page_html).group(1))


def test_a_check_in_saved_after_the_session_ended_is_kept_and_put_back(world):
    http = world.as_("client")
    http.get("/me/check-in/")
    expire_sessions()

    response = http.post("/me/check-in/", CHECK_IN, HTTP_REFERER="http://testserver/me/check-in/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/me/check-in/"
    assert not CheckIn.objects.exists()
    stash = FormStash.objects.get()
    assert stash.user == world.client.user
    assert stash.path == "/me/check-in/"
    kept = dict(stash.form["fields"])
    assert kept["note"] == "A long note I took ages to write"
    assert "csrfmiddlewaretoken" not in kept and "form_token" not in kept
    assert STASH_COOKIE in response.cookies
    assert "signed out after 30 minutes" in http.get(response["Location"]).text

    signed_in = http.post(
        "/login/",
        {"email": "casey@client.test", "password": PASSWORD, "next": "/me/check-in/"},
    )
    assert signed_in["Location"] == "/me/check-in/"
    page = http.get("/me/check-in/")

    # The page's own form shows it (no JavaScript needed), so the script has nothing to do.
    assert restored(page.text) is None
    form = page.context["form"]
    assert form["note"].value() == "A long note I took ages to write"
    assert form["mood"].value() == "7" and form["note_private"].value() is True
    assert "A long note I took ages to write</textarea>" in page.text
    assert re.search(r'value="7"[^>]*id="id_mood_7"[^>]*checked', page.text)
    assert "We kept what you typed; press Save to keep it." in page.text
    assert not CheckIn.objects.exists()  # not saved until Save is pressed again
    assert not FormStash.objects.exists()
    again = http.get("/me/check-in/")  # once only
    assert again.context["form"]["note"].value() is None


def test_a_form_posted_to_an_action_url_returns_to_the_page_it_was_on(world):
    http = world.as_("therapist")
    journal = f"/clients/{world.client.pk}/journal/"
    http.get(journal)
    expire_sessions()
    response = http.post(
        f"{journal}contacts/",
        {"kind": "met_up", "note": "Coffee"},
        HTTP_REFERER=f"http://testserver{journal}",
    )
    assert response["Location"] == f"/login/?next={journal}"
    assert FormStash.objects.get().form["action"] == f"{journal}contacts/"
    http.post("/login/", {"email": "tara@riverside.test", "password": PASSWORD})
    kept = restored(http.get(journal).text)  # another URL's form: session.js puts it back
    assert kept["action"] == f"{journal}contacts/"
    assert ["note", "Coffee"] in kept["fields"]


def test_only_the_same_person_gets_it_back(world):
    http = world.as_("client")
    expire_sessions()
    http.post("/me/check-in/", CHECK_IN)
    http.post("/login/", {"email": "olive@client.test", "password": PASSWORD})
    page = http.get("/me/check-in/")
    assert restored(page.text) is None
    assert page.cookies[STASH_COOKIE].value == ""  # the cookie is dropped for Olive
    assert FormStash.objects.count() == 1  # Casey's stays until pruned


def test_passwords_are_never_kept(world):
    http = world.as_("client")
    expire_sessions()
    http.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "x" * 12, "new_password2": "x" * 12},
    )
    kept = FormStash.objects.get().form["fields"]
    assert not [name for name, _value in kept if "password" in name]


def test_what_is_kept_is_capped_in_size(world):
    http = world.as_("client")
    expire_sessions()
    http.post("/me/check-in/", CHECK_IN | {"note": "x" * 100_000})
    kept = dict(FormStash.objects.get().form["fields"])
    assert "note" not in kept and kept["mood"] == "7" and kept["win"] == "Called my brother"


field_names = st.one_of(
    st.sampled_from(["password", "new_password1", "csrfmiddlewaretoken", "form_token", "code"]),
    st.text(min_size=1, max_size=20),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.lists(
        st.tuples(field_names.filter(lambda n: "\x00" not in n), st.text(max_size=30_000)),
        max_size=8,
    )
)
def test_a_stash_keeps_no_secret_and_stays_small_whatever_is_posted(world, pairs):
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    key = services.form_stash_create(user=world.client.user, path="/p/", action="/a/", data=data)
    kept = services.form_stash_take(user=world.client.user, key=key, path="/p/")["fields"]
    assert sum(len(name) + len(value) for name, value in kept) <= services.FORM_STASH_MAX_CHARS
    assert not [name for name, _v in kept if name in services.FORM_STASH_SKIP]
    assert not [name for name, _v in kept if "password" in name.lower()]
    posted = [
        [name, value.replace("\x00", "")] for name, values in data.lists() for value in values
    ]
    assert all(pair in posted for pair in kept)


def test_after_signing_out_on_purpose_nothing_is_kept(world):
    http = world.as_("client")
    http.post("/accounts/logout/")
    response = http.post("/me/check-in/", CHECK_IN)
    assert response.status_code == 302
    assert not FormStash.objects.exists()


def test_a_session_ends_hours_after_signing_in_however_active(world):
    http = world.as_("client")
    session = http.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = http.post("/me/check-in/", CHECK_IN)
    assert response["Location"].startswith("/login/?next=")
    assert FormStash.objects.get().user == world.client.user
    page = http.get(response["Location"]).text
    assert "signed out 12 hours after signing in" in page
    assert http.get("/today/").status_code == 302


def test_a_fresh_session_is_not_ended(world):
    http = world.as_("client")
    assert http.get("/today/").status_code == 200
    assert http.session[SIGNED_IN_AT] > time.time() - 60


def test_sign_out_everywhere_ends_every_session_of_that_person(world):
    phone, laptop = world.as_("client"), world.as_("client")
    other = world.as_("other_client")
    assert laptop.get("/today/").status_code == 200

    response = phone.post("/account/sign-out-everywhere/")

    assert response["Location"] == "/login/"
    assert "signed out everywhere" in phone.get("/login/").text
    assert phone.get("/today/").status_code == 302
    assert laptop.get("/today/").status_code == 302
    assert other.get("/today/").status_code == 200
    world.client.user.refresh_from_db()
    http = world.as_("client")  # signing in again works
    assert http.get("/today/").status_code == 200


def test_sign_out_everywhere_is_offered_on_the_account_page(world):
    page = world.as_("therapist").get("/account/").text
    assert 'action="/account/sign-out-everywhere/"' in page


@pytest.mark.parametrize("persona", ["therapist", "client"])
def test_stay_signed_in_answers_the_time_left(world, persona):
    http = world.as_(persona)
    response = http.post("/account/keep-alive/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert 0 < response.json()["seconds"] <= 30 * 60


def test_signed_in_pages_carry_the_idle_warning(world):
    page = world.as_("client").get("/today/").text
    assert 1790 <= seconds_on(page) <= 1800  # counted from signing in, a moment ago
    assert "data-session-warning" in page
    assert "outward/js/session.js" in page
    assert "data-session-warning" not in world.as_("anonymous").get("/login/").text


def test_reading_pages_writes_no_session(world, django_assert_num_queries):
    http = world.as_("client")
    http.get("/today/")
    stored = Session.objects.get().expire_date
    with CaptureQueriesContext(connection) as queries:
        assert http.get("/today/").status_code == 200
    assert not [
        query
        for query in queries
        if "accounts_session" in query["sql"].split("WHERE")[0]
        and not query["sql"].startswith("SELECT")
    ]
    assert Session.objects.get().expire_date == stored


def test_the_idle_time_out_counts_from_the_last_minute_of_activity(world, time_machine):
    """The session is renewed at most once a minute: it ends 29 to 30 idle minutes after the
    last page, never later, and every page says exactly how long it has left."""
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    http = world.as_("client")

    def at(minutes: float):
        time_machine.move_to(start + timezone.timedelta(minutes=minutes), tick=False)
        return http.get("/today/")

    assert seconds_on(at(20).text) == 1800  # renewed: the idle clock starts again
    assert seconds_on(at(20.5).text) == 1770  # not renewed half a minute later: 30 s gone
    assert seconds_on(at(49.9).text) == 1800  # 29.4 idle minutes: still in, renewed
    assert at(49.9 + 29.9).status_code == 200
    ended = at(49.9 + 29.9 + 30.1)  # the renewal was at 79.8; idle for more than 30 minutes
    assert ended.status_code == 302 and ended["Location"].startswith("/login/")
    assert "signed out after 30 minutes" in http.get(ended["Location"]).text


def test_stay_signed_in_renews_even_within_the_minute(world, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    http = world.as_("client")
    http.get("/today/")
    time_machine.move_to(start + timezone.timedelta(seconds=40), tick=False)
    stored = Session.objects.get().expire_date
    response = http.post("/account/keep-alive/", HTTP_ACCEPT="application/json")
    assert response.json()["seconds"] == 1800
    assert Session.objects.get().expire_date == stored + timezone.timedelta(seconds=40)


def test_htmx_answers_say_how_long_the_session_has(world, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    http = world.as_("client")
    time_machine.move_to(start + timezone.timedelta(seconds=45), tick=False)
    response = http.get("/today/", HTTP_HX_REQUEST="true")
    assert response[SECONDS_HEADER] == "1755"  # not renewed within the minute: 45 s gone
    assert SECONDS_HEADER not in http.get("/today/")  # a page says it in its body
    assert SECONDS_HEADER not in world.as_("anonymous").get("/login/", HTTP_HX_REQUEST="true")


def test_pruning_keeps_what_can_still_be_used(world, time_machine):
    from django.core.management import call_command

    from outward.accounts.models import FormToken

    http = world.as_("client")
    expire_sessions()
    http.post("/me/check-in/", CHECK_IN)
    FormToken.objects.create(token="recent", user=world.client.user)
    call_command("prune_sessions")
    assert FormStash.objects.count() == 1 and FormToken.objects.count() == 1
    assert Session.objects.exists()  # the ended session still says whose the stash is

    time_machine.move_to(timezone.now() + timezone.timedelta(days=8))
    call_command("prune_sessions")
    assert not FormStash.objects.exists() and not FormToken.objects.exists()
    assert not Session.objects.exists()
