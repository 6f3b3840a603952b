import re

import pytest
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.reports import selectors
from outward.reports.models import CalendarFeed

PAGE = reverse("reports:my_calendar")
LINK = reverse("reports:calendar_link")
WORDING = reverse("reports:calendar_wording")
OFF = reverse("reports:calendar_off")


def _shown_token(response) -> str:
    match = re.search(r'value="[^"]*/calendar/([A-Za-z0-9_-]+)\.ics"', response.text)
    assert match, "the new link is shown"
    return match.group(1)


def _feed_status(token) -> int:
    from django.test import Client as HttpClient

    return HttpClient().get(reverse("reports:calendar_feed", args=[token])).status_code


def test_page_explains_and_offers_to_turn_on(world):
    response = world.as_("client").get(PAGE)
    assert response.status_code == 200
    assert "Google, Apple or Outlook calendar" in response.text
    assert "Turn on and show my link" in response.text
    assert response["Cache-Control"].startswith("max-age=0")


def test_turn_on_shows_the_link_once(world):
    http = world.as_("client")
    response = http.post(LINK)
    assert response.status_code == 200
    token = _shown_token(response)
    assert 'data-copy-target="calendar-link"' in response.text
    assert "no-store" in response["Cache-Control"]
    feed = CalendarFeed.objects.get(client=world.client)
    assert feed.own_wording is False
    assert token not in feed.token_digest  # only the digest is stored
    assert _feed_status(token) == 200
    page = http.get(PAGE)
    assert token not in page.text
    assert "Your calendar link is on" in page.text


def test_turn_on_with_own_words(world):
    world.as_("client").post(LINK, {"own_wording": "on"})
    assert CalendarFeed.objects.get(client=world.client).own_wording is True


def test_new_link_replaces_the_old_and_keeps_the_wording(world):
    http = world.as_("client")
    old = _shown_token(http.post(LINK, {"own_wording": "on"}))
    new = _shown_token(http.post(LINK))
    assert old != new
    assert _feed_status(old) == 404
    assert _feed_status(new) == 200
    assert CalendarFeed.objects.get(client=world.client).own_wording is True


def test_wording_can_be_changed(world):
    http = world.as_("client")
    http.post(LINK)
    response = http.post(WORDING, {"own_wording": "on"})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert CalendarFeed.objects.get(client=world.client).own_wording is True
    http.post(WORDING, {})
    assert CalendarFeed.objects.get(client=world.client).own_wording is False


def test_wording_without_a_feed_says_turn_it_on(world):
    response = world.as_("client").post(WORDING, {"own_wording": "on"}, follow=True)
    assert "Turn it on first" in response.text
    assert not CalendarFeed.objects.exists()


def test_turn_off(world):
    http = world.as_("client")
    token = _shown_token(http.post(LINK))
    response = http.post(OFF)
    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(client=world.client).exists()
    assert _feed_status(token) == 404
    # Twice is harmless.
    assert http.post(OFF).status_code == 302


def test_audit_events_are_written(world):
    http = world.as_("client")
    http.post(LINK)
    feed = selectors.feed_for_client(world.client)
    http.post(LINK)
    http.post(WORDING, {"own_wording": "on"})
    http.post(OFF)
    events = list(
        AuditEvent.objects.filter(client=world.client, target=f"calendarfeed:{feed.pk}")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    user = world.client.user.pk
    assert events == [
        (AuditEvent.Action.CREATE, user),
        (AuditEvent.Action.UPDATE, user),
        (AuditEvent.Action.UPDATE, user),
        (AuditEvent.Action.UPDATE, user),
    ]


@pytest.mark.parametrize("persona", ["therapist", "colleague", "stranger", "admin"])
@pytest.mark.parametrize("url", [PAGE, LINK, WORDING, OFF])
def test_staff_cannot_reach_it(world, persona, url):
    http = world.as_(persona)
    response = http.get(url) if url == PAGE else http.post(url)
    assert response.status_code == 404
    assert not CalendarFeed.objects.exists()


def test_each_client_has_their_own(world):
    world.as_("other_client").post(LINK)
    assert CalendarFeed.objects.get().client == world.other_client
    page = world.as_("client").get(PAGE)
    assert "Turn on and show my link" in page.text


@pytest.mark.parametrize("url", [LINK, WORDING, OFF])
def test_post_only_urls_refuse_get(world, url):
    assert world.as_("client").get(url).status_code == 405


def test_page_refuses_post(world):
    assert world.as_("client").post(PAGE).status_code == 405


def test_odd_input_is_not_an_error(world):
    http = world.as_("client")
    assert http.post(LINK, {"own_wording": "x" * 5000}).status_code == 200
    assert http.post(WORDING, {"own_wording": ["1", "0"]}).status_code == 302


def test_me_page_links_here(world):
    assert PAGE in world.as_("client").get(reverse("accounts:account")).text
    assert PAGE not in world.as_("therapist").get(reverse("accounts:account")).text
