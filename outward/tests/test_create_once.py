"""No doubled work: every create form is idempotent. A resubmit of the same form (its one-time
token) shows the record the first submit saved; a check-in is one per client per day.

The parallel tests fire the same POST from real threads, each with its own database
connection, on whichever database the suite runs (SQLite with IMMEDIATE transactions, or
PostgreSQL with its unique index)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client as HttpClient

from outward.accounts.models import FormToken
from outward.care.models import SessionNote
from outward.goals.models import Goal, Win
from outward.journal.models import CheckIn

CHECK_IN = {
    "mood": "6",
    "loneliness": "4",
    "meaningful_interactions": "3",
    "in_person": "2",
    "online": "1",
    "win": "Said hello to my neighbour",
    "note": "",
}


def form_token(page_html: str, action: str = "") -> str:
    """The token of the form on a page (the first form posting to `action`, if given)."""
    forms = re.findall(r"<form[^>]*>.*?</form>", page_html, re.S)
    form = next(f for f in forms if action in f and 'name="form_token"' in f)
    return re.search(r'name="form_token" value="([^"]+)"', form).group(1)


def test_the_check_in_form_carries_a_fresh_token_each_time(world):
    client = world.as_("client")
    first = form_token(client.get("/me/check-in/").text)
    second = form_token(client.get("/me/check-in/").text)
    assert first != second
    assert len(first) >= 32


def test_back_and_save_on_a_check_in_stores_one_check_in_and_one_win(world):
    client = world.as_("client")
    data = CHECK_IN | {"form_token": form_token(client.get("/me/check-in/").text)}

    first = client.post("/me/check-in/", data)
    again = client.post("/me/check-in/", data)  # Back, then Save again

    assert first.status_code == 302 and first["Location"] == "/today/"
    assert again.status_code == 302 and again["Location"] == "/today/"
    assert CheckIn.objects.filter(client=world.client).count() == 1
    page = client.get(again["Location"]).text
    assert "saved already" in page
    wins_of_the_week = [h for h in CheckIn.objects.values_list("win", flat=True) if h]
    assert wins_of_the_week == ["Said hello to my neighbour"]


def test_a_second_check_in_the_same_day_shows_the_saved_one(world):
    client = world.as_("client")
    client.post("/me/check-in/", CHECK_IN)
    response = client.post("/me/check-in/", CHECK_IN | {"mood": "2"})  # a fresh form
    assert response.status_code == 302
    assert response["Location"] == "/me/journal/"
    assert list(CheckIn.objects.values_list("mood", flat=True)) == [6]
    assert "checked in today already" in client.get("/me/journal/").text


def test_a_form_with_errors_leaves_its_token_for_the_corrected_submit(world):
    client = world.as_("client")
    token = form_token(client.get("/me/check-in/").text)
    wrong = client.post("/me/check-in/", CHECK_IN | {"mood": "", "form_token": token})
    assert wrong.status_code == 200
    assert not FormToken.objects.exists()
    right = client.post("/me/check-in/", CHECK_IN | {"form_token": token})
    assert right.status_code == 302
    assert CheckIn.objects.count() == 1


def test_a_win_resubmitted_is_saved_once(world):
    client = world.as_("client")
    token = form_token(client.get("/me/goals/").text, "/me/wins/")
    for _ in range(2):
        response = client.post("/me/wins/", {"text": "Went to choir", "form_token": token})
        assert response.status_code == 302
    assert Win.objects.filter(client=world.client, text="Went to choir").count() == 1


def test_a_win_with_errors_keeps_its_token(world):
    client = world.as_("client")
    token = form_token(client.get("/me/goals/").text, "/me/wins/")
    client.post("/me/wins/", {"text": "", "form_token": token})
    client.post("/me/wins/", {"text": "Went to choir", "form_token": token})
    assert Win.objects.filter(client=world.client, text="Went to choir").count() == 1


def test_a_session_note_resubmitted_is_saved_once(world):
    therapist = world.as_("therapist")
    url = f"/clients/{world.client.pk}/notes/"
    token = form_token(therapist.get(url).text)
    data = {"session_date": "2026-11-20", "text": "We practised small talk.", "form_token": token}
    responses = [therapist.post(url, data) for _ in range(3)]
    assert {r.status_code for r in responses} == {302}
    assert SessionNote.objects.filter(text="We practised small talk.").count() == 1


def test_a_goal_resubmitted_is_created_once_and_the_resubmit_lands_on_it(world):
    therapist = world.as_("therapist")
    url = f"/clients/{world.client.pk}/goals/new/"
    token = form_token(therapist.get(url).text)
    data = {"title": "Join a walking group", "weight": "1", "form_token": token}
    first = therapist.post(url, data)
    assert first.status_code == 302
    again = therapist.post(url, data)
    assert Goal.objects.filter(client=world.client, title="Join a walking group").count() == 1
    assert again["Location"] == first["Location"]


def test_a_token_is_only_ever_good_for_its_own_person(world):
    """Someone else's token (only by guessing it) never shows their record."""
    client = world.as_("client")
    token = form_token(client.get("/me/check-in/").text)
    client.post("/me/check-in/", CHECK_IN | {"form_token": token})
    other = world.as_("other_client")
    response = other.post("/me/check-in/", CHECK_IN | {"form_token": token})
    assert response.status_code == 302
    assert f"/clients/{world.client.pk}" not in response["Location"]
    assert CheckIn.objects.filter(client=world.other_client).count() == 0


def _at_once(count: int, send) -> list[int]:
    """Run `send()` from `count` threads released together; their status codes."""
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            statuses.append(send())
        except Exception as error:  # noqa: BLE001 — reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def _signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.django_db(transaction=True)
def test_ten_identical_check_ins_at_once_store_one(world):
    http = _signed_in(world.client.user)
    token = form_token(http.get("/me/check-in/").text)
    cookies = http.cookies

    def send():
        browser = HttpClient()
        browser.cookies = cookies
        return browser.post("/me/check-in/", CHECK_IN | {"form_token": token}).status_code

    assert _at_once(10, send) == [302] * 10
    assert CheckIn.objects.filter(client=world.client).count() == 1
    assert FormToken.objects.filter(token=token).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_check_ins_from_ten_fresh_forms_at_once_store_one(world):
    """No shared token: the natural key (one per client per day) holds on its own."""
    http = _signed_in(world.client.user)
    cookies = http.cookies

    def send():
        browser = HttpClient()
        browser.cookies = cookies
        return browser.post("/me/check-in/", CHECK_IN).status_code

    assert _at_once(10, send) == [302] * 10
    assert CheckIn.objects.filter(client=world.client).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_identical_wins_at_once_store_one(world):
    http = _signed_in(world.client.user)
    token = form_token(http.get("/me/goals/").text, "/me/wins/")
    cookies = http.cookies

    def send():
        browser = HttpClient()
        browser.cookies = cookies
        data = {"text": "Went to choir", "form_token": token}
        return browser.post("/me/wins/", data).status_code

    assert _at_once(10, send) == [302] * 10
    assert Win.objects.filter(client=world.client, text="Went to choir").count() == 1


def test_an_odd_token_is_harmless(world):
    client = world.as_("client")
    for token in ["\x00", "x" * 500, "<script>"]:
        response = client.post("/me/wins/", {"text": f"Win {len(token)}", "form_token": token})
        assert response.status_code == 302
    assert Win.objects.filter(client=world.client).count() == 3


def test_a_client_invited_twice_from_one_form_lands_on_the_record(world):
    """The create answers with the invitation-link page (200), not a redirect: Back + Save
    must still find the claim, not fail on the e-mail now in use."""
    from outward.care.models import Client

    therapist = world.as_("therapist")
    data = {
        "display_name": "Robin New",
        "email": "robin@client.test",
        "form_token": form_token(therapist.get("/clients/new/").text),
    }
    first = therapist.post("/clients/new/", data)
    again = therapist.post("/clients/new/", data)
    robin = Client.objects.get(display_name="Robin New")
    assert first.status_code == 200 and "/invite/" in first.text
    assert again.status_code == 302 and again["Location"] == f"/clients/{robin.pk}/"
    assert "saved already" in therapist.get(again["Location"]).text


def test_a_staff_member_invited_twice_from_one_form_is_invited_once(world):
    admin = world.as_("admin")
    data = {
        "full_name": "Sam New",
        "email": "sam@riverside.test",
        "is_therapist": "on",
        "form_token": form_token(admin.get("/practice/staff/new/").text),
    }
    first = admin.post("/practice/staff/new/", data)
    again = admin.post("/practice/staff/new/", data)
    assert first.status_code == 200 and "/invite/" in first.text
    assert again.status_code == 302 and again["Location"] == "/practice/"
    assert "saved already" in admin.get(again["Location"]).text
