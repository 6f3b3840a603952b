"""The reflection journal: writing an entry (guided or free), keeping it private, the prompt
after a plan or a practice attempt, and the look back on the therapist's cadence."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.care.records import Visibility
from outward.goals.models import Win
from outward.journal import selectors, services
from outward.journal.models import Reflection, ReflectionCadence
from outward.tests.test_access_matrix import _plan, _rung

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
EVER = {
    "start": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
    "end": datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
}


def write(world, **fields):
    fields = {"prompt": Reflection.Prompt.FREE, "went_well": "I stayed for the whole hour"} | fields
    return services.reflection_write(
        client=world.client, author=world.client.user, ip=None, **fields
    )


def test_the_client_writes_a_guided_reflection(world):
    http = world.as_("client")
    page = http.get(reverse("journal:my_reflection_create")).text
    for question in ["What went well?", "What was hard?", "What did I learn about myself?"]:
        assert question in page
    response = http.post(
        reverse("journal:my_reflection_create"),
        {"went_well": " Asked a question ", "try_next": "Stay for tea", "was_hard": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:my_reflections")
    entry = Reflection.objects.get()
    assert (entry.went_well, entry.try_next, entry.prompt) == (
        "Asked a question",
        "Stay for tea",
        "free",
    )
    assert entry.visibility == Visibility.SHARED
    assert entry.author == world.client.user
    # A shared reflection is a happening other rooms count (and a first, once).
    kinds = [h.kind for h in happenings.happenings(client_ids=[world.client.pk], **EVER)]
    assert sorted(kinds) == ["goals.first.win", "journal.reflection"]
    assert Win.objects.get(client=world.client).text == "A first: you wrote a reflection"
    listed = http.get(reverse("journal:my_reflections")).text
    assert "Asked a question" in listed and "Stay for tea" in listed


def test_an_empty_reflection_is_refused_with_a_reason(world):
    response = world.as_("client").post(
        reverse("journal:my_reflection_create"), {"went_well": "  ", "free_text": "\n"}
    )
    assert response.status_code == 200
    assert "Write something in at least one of the boxes" in response.text
    assert not Reflection.objects.exists()


def test_a_private_reflection_is_the_clients_alone(world):
    write(world, free_text="PRIVATE-REFLECTION", visibility=Visibility.PRIVATE)
    write(world, free_text="Shared words")
    therapist_page = world.as_("therapist").get(
        reverse("journal:reflections", args=[world.client.pk])
    )
    assert "Shared words" in therapist_page.text
    assert "PRIVATE-REFLECTION" not in therapist_page.text
    for viewer in [world.therapist.user, world.admin.user, None]:
        assert [r.free_text for r in selectors.reflections(client=world.client, viewer=viewer)] == [
            "Shared words"
        ]
        found = happenings.happenings(client_ids=[world.client.pk], viewer=viewer, **EVER)
        assert len([h for h in found if h.kind == "journal.reflection"]) == 1
    mine = world.as_("client").get(reverse("journal:my_reflections")).text
    assert "PRIVATE-REFLECTION" in mine and "only you can see this" in mine
    # A private entry makes no win the care team would see.
    assert Win.objects.filter(client=world.client).count() == 1


def test_the_client_rewrites_an_entry_and_shares_it_later(world):
    entry = write(world, free_text="first words", visibility=Visibility.PRIVATE)
    http = world.as_("client")
    url = reverse("journal:my_reflection_edit", args=[entry.pk])
    assert "first words" in http.get(url).text
    response = http.post(url, {"free_text": "second words"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.free_text, entry.visibility) == ("second words", Visibility.SHARED)
    assert AuditEvent.objects.filter(action="update", target__startswith="reflection:").exists()
    assert http.post(url, {"free_text": ""}).status_code == 200  # refused, with its reason
    entry.refresh_from_db()
    assert entry.free_text == "second words"


def test_another_clients_entry_is_a_404(world):
    entry = write(world)
    response = world.as_("other_client").get(reverse("journal:my_reflection_edit", args=[entry.pk]))
    assert response.status_code == 404


def test_the_therapist_writes_one_with_the_client_never_private(world):
    http = world.as_("therapist")
    url = reverse("journal:reflection_create", args=[world.client.pk])
    assert 'name="private"' not in http.get(url).text
    assert AuditEvent.objects.filter(action="view", actor=world.therapist.user).exists()
    http.post(url, {"learned": "Noticed I relax after ten minutes", "private": "on"})
    entry = Reflection.objects.get()
    assert (entry.author, entry.visibility) == (world.therapist.user, Visibility.SHARED)
    assert AuditEvent.objects.filter(action="create", target__startswith="reflection:").exists()


def _attempt(world, when):
    from outward.skills import services as skills_services

    return skills_services.exposure_log(
        rung=_rung(world),
        author=world.client.user,
        ip=None,
        occurred=when,
        prediction="Nobody will answer",
        likelihood=70,
        expected_suds=60,
        suds_peak=40,
    )


def reflect_prompts(world, day):
    return [
        i
        for i in happenings.due_items(client=world.client, day=day)
        if i.key.startswith("reflect:")
    ]


def test_today_asks_for_a_reflection_after_a_practice_attempt_until_written(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 18, 0, tzinfo=NEW_YORK), tick=False)
    attempt = _attempt(world, datetime.datetime(2026, 11, 20, 17, 0, tzinfo=NEW_YORK))
    [item] = reflect_prompts(world, datetime.date(2026, 11, 20))
    assert item.key == f"reflect:skills.exposure:{attempt.pk}"
    assert "Say hello to a neighbour" in item.detail
    http = world.as_("client")
    today = http.get(reverse("care:today")).text
    assert "A few lines for your journal" in today and item.open_url in today
    page = http.get(item.open_url).text
    assert "Looking back on: Say hello to a neighbour" in page
    http.post(item.open_url, {"went_well": "They said hello back"})
    entry = Reflection.objects.get()
    assert (entry.prompt, entry.about) == ("after", f"skills.exposure:{attempt.pk}")
    assert entry.about_title == "Say hello to a neighbour"
    assert reflect_prompts(world, datetime.date(2026, 11, 20)) == []


def test_the_prompt_after_an_attempt_rests_after_three_days(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 18, 0, tzinfo=NEW_YORK), tick=False)
    _attempt(world, datetime.datetime(2026, 11, 20, 17, 0, tzinfo=NEW_YORK))
    time_machine.move_to(datetime.datetime(2026, 11, 22, 23, 0, tzinfo=NEW_YORK), tick=False)
    assert len(reflect_prompts(world, datetime.date(2026, 11, 22))) == 1
    time_machine.move_to(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=NEW_YORK), tick=False)
    assert reflect_prompts(world, datetime.date(2026, 11, 23)) == []


def test_today_asks_for_a_reflection_after_a_plan_attended(world, time_machine):
    from outward.community.models import Plan
    from outward.tests.test_access_matrix import _resource

    time_machine.move_to(datetime.datetime(2026, 11, 20, 21, 0, tzinfo=NEW_YORK), tick=False)
    plan = Plan.objects.create(
        client=world.client,
        author=world.client.user,
        resource=_resource(world),
        when=datetime.datetime(2026, 11, 20, 19, 0, tzinfo=NEW_YORK),
        status=Plan.Status.WENT,
    )
    [item] = reflect_prompts(world, datetime.date(2026, 11, 20))
    assert item.open_url.endswith(f"?about=community.plan%3A{plan.pk}")
    world.as_("client").post(item.open_url, {"went_well": "Stayed an hour"})
    assert Reflection.objects.get().about == f"community.plan:{plan.pk}"
    assert reflect_prompts(world, datetime.date(2026, 11, 20)) == []


def test_a_missed_plan_offers_a_reflection(world):
    plan = _plan(world)
    world.as_("client").post(reverse("community:my_plan_report", args=[plan.pk]), {"went": "no"})
    page = world.as_("client").get(reverse("community:my_plan", args=[plan.pk])).text
    link = f"{reverse('journal:my_reflection_create')}?from=community.plan:{plan.pk}"
    assert "Write about it in your journal" in page and link in page
    world.as_("client").post(link, {"was_hard": "I felt too tired"})
    entry = Reflection.objects.get()
    assert (entry.prompt, entry.about) == ("after", f"community.plan:{plan.pk}")


@pytest.mark.parametrize("about", ["community.plan:x", "../../etc", "a" * 200, "plan:1 OR 1=1"])
def test_an_about_that_is_not_a_reference_is_ignored(world, about):
    world.as_("client").post(
        f"{reverse('journal:my_reflection_create')}?about={about}", {"free_text": "x"}
    )
    assert (Reflection.objects.get().about, Reflection.objects.get().prompt) == ("", "free")


def look_backs(world, day):
    return [
        i
        for i in happenings.due_items(client=world.client, day=day)
        if i.key.startswith("look_back:")
    ]


def test_the_look_back_comes_on_the_therapists_cadence(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 1, 12, 0, tzinfo=NEW_YORK), tick=False)
    assert look_backs(world, datetime.date(2026, 12, 31)) == []  # never, unless asked for
    http = world.as_("therapist")
    http.post(reverse("journal:reflection_cadence", args=[world.client.pk]), {"every_days": "30"})
    assert ReflectionCadence.objects.get().every_days == 30
    assert look_backs(world, datetime.date(2026, 11, 30)) == []
    [item] = look_backs(world, datetime.date(2026, 12, 1))
    assert (item.title, item.key) == ("A look back", "look_back:2026-12-01")
    time_machine.move_to(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=NEW_YORK), tick=False)
    world.as_("client").post(item.open_url, {"free_text": "A calmer month"})
    assert Reflection.objects.get().prompt == "look_back"
    assert look_backs(world, datetime.date(2026, 12, 31)) == []
    assert len(look_backs(world, datetime.date(2027, 1, 1))) == 1
    # "Not on a schedule" stops asking; a number off the list is refused with a message.
    http = world.as_("therapist")  # signed in again: a month has passed
    http.post(reverse("journal:reflection_cadence", args=[world.client.pk]), {"every_days": "5"})
    assert ReflectionCadence.objects.get().every_days == 30
    http.post(reverse("journal:reflection_cadence", args=[world.client.pk]), {"every_days": ""})
    assert not ReflectionCadence.objects.exists()
    assert look_backs(world, datetime.date(2027, 1, 1)) == []


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_journal_list_takes_the_same_queries_for_5_and_200_entries(
    world, persona, django_assert_num_queries
):
    url = (
        reverse("journal:my_reflections")
        if persona == "client"
        else reverse("journal:reflections", args=[world.client.pk])
    )
    http = world.as_(persona)

    def fill(count):
        Reflection.objects.bulk_create(
            Reflection(
                client=world.client,
                author=world.client.user,
                prompt="free",
                free_text=f"entry {n}",
                visibility=Visibility.PRIVATE if n % 3 == 0 else Visibility.SHARED,
            )
            for n in range(count)
        )

    fill(5)
    http.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert http.get(url).status_code == 200
    fill(195)
    with django_assert_num_queries(len(small.captured_queries)):
        assert http.get(url).status_code == 200
