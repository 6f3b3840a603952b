"""Thought records: writing one (part-way too), versions, validation, the list's query
count, and the care team's summary over shared records only."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from outward.care.models import AuditEvent
from outward.care.records import Visibility
from outward.skills import selectors, services
from outward.skills.models import (
    ThoughtEmotion,
    ThoughtRecord,
    ThoughtRecordSettings,
    ThoughtRecordVersion,
    ThoughtTrap,
)
from outward.skills.traps import TRAP_KEYS, TRAPS


def _record(world, *, client=None, visibility=Visibility.SHARED, **fields):
    client = client or world.client
    fields.setdefault("automatic_thought", "They will think I am boring")
    return services.thought_record_create(
        client=client, author=client.user, ip=None, visibility=visibility, **fields
    )


def _post_data(**extra):
    return {
        "situation": "Lunch with the team",
        "automatic_thought": "Everyone thinks I'm odd",
        "emotion_1_name": "anxious",
        "emotion_1_intensity": "80",
        "traps": ["mind_reading", "labelling"],
        **extra,
    }


# The traps list -----------------------------------------------------------------------------


def test_every_trap_has_a_name_and_an_explanation():
    assert {"mind_reading", "fortune_telling", "catastrophising", "all_or_nothing"} <= set(
        TRAP_KEYS
    )
    for name, why in TRAPS.values():
        assert str(name) and str(why).endswith(".")


# Services -----------------------------------------------------------------------------------


def test_create_keeps_rows_a_first_version_and_an_audit(world):
    record = _record(
        world,
        emotions=[{"name": "anxious", "intensity": 80}, {"name": "sad", "intensity": 40}],
        traps=["mind_reading", "mind_reading", "labelling"],
        started_from="skills.exposure:5",
    )

    assert [(e.name, e.intensity, e.rerated) for e in record.emotions.all()] == [
        ("anxious", 80, None),
        ("sad", 40, None),
    ]
    assert sorted(record.traps.values_list("key", flat=True)) == ["labelling", "mind_reading"]
    (version,) = record.versions.all()
    assert version.number == 1
    assert version.snapshot["automatic_thought"] == "They will think I am boring"
    assert record.started_from == "skills.exposure:5"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, target=f"thoughtrecord:{record.pk}"
    ).exists()


def test_an_edit_is_a_new_version_and_the_original_thought_is_kept(world):
    record = _record(world, emotions=[{"name": "anxious", "intensity": 80}])

    services.thought_record_update(
        record=record,
        client=world.client,
        actor=world.client.user,
        ip=None,
        situation="",
        automatic_thought="Maybe some of them found me odd",
        evidence_for="",
        evidence_against="Sam asked me to come again",
        balanced_thought="One quiet lunch is not who I am",
        emotions=[{"name": "anxious", "intensity": 80, "rerated": 35}],
        traps=["mind_reading"],
    )

    record.refresh_from_db()
    assert record.automatic_thought == "Maybe some of them found me odd"
    assert list(record.versions.values_list("number", flat=True)) == [1, 2]
    first = record.versions.get(number=1).snapshot
    assert first["automatic_thought"] == "They will think I am boring"
    assert record.emotions.get().drop() == 45
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, target=f"thoughtrecord:{record.pk}"
    ).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"emotions": [{"name": "anxious", "intensity": 150}]}, "100"),
        ({"emotions": [{"name": "anxious", "intensity": 50, "rerated": 101}]}, "100"),
        ({"emotions": [{"name": "", "intensity": 50}]}, "blank"),
        ({"traps": ["being_wrong"]}, "not one of the thinking traps"),
        ({"automatic_thought": ""}, "blank"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, fields, message):
    with pytest.raises(ValidationError, match=message):
        _record(world, **fields)

    assert not ThoughtRecord.objects.exists()
    assert not ThoughtEmotion.objects.exists()
    assert not ThoughtRecordVersion.objects.exists()


def test_a_bad_edit_changes_nothing(world):
    record = _record(world, emotions=[{"name": "anxious", "intensity": 60}])

    with pytest.raises(ValidationError):
        services.thought_record_update(
            record=record,
            client=world.client,
            actor=world.client.user,
            ip=None,
            automatic_thought="Changed",
            emotions=[{"name": "anxious", "intensity": 150}],
        )

    record.refresh_from_db()
    assert record.automatic_thought == "They will think I am boring"
    assert record.emotions.get().intensity == 60
    assert record.versions.count() == 1


def test_someone_elses_record_cannot_be_edited_through_this_client(world):
    theirs = _record(world, client=world.other_client)

    with pytest.raises(ValidationError, match="not in this client"):
        services.thought_record_update(
            record=theirs,
            client=world.client,
            actor=world.client.user,
            ip=None,
            automatic_thought="Hijacked",
        )
    theirs.refresh_from_db()
    assert theirs.automatic_thought == "They will think I am boring"


def test_the_database_holds_the_ranges_too(world):
    record = _record(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        ThoughtEmotion.objects.create(record=record, name="anxious", intensity=150)
    with pytest.raises(IntegrityError), transaction.atomic():
        ThoughtTrap.objects.create(record=record, key="not_a_trap")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThoughtRecord.objects.filter(pk=record.pk).update(automatic_thought="")


def test_only_the_client_keeps_a_record_private(world):
    with pytest.raises(ValidationError, match="Only the client"):
        services.thought_record_create(
            client=world.client,
            author=world.therapist.user,
            ip=None,
            automatic_thought="A thought",
            visibility=Visibility.PRIVATE,
        )


# Views --------------------------------------------------------------------------------------


def test_the_client_writes_one_part_way_from_a_link(world):
    http = world.as_("client")
    page = http.get("/me/skills/thoughts/new/?from=community.plan:3")
    assert page.status_code == 200
    assert 'value="community.plan:3"' in page.text
    assert "Mind reading" in page.text and "without them saying it" in page.text

    response = http.post("/me/skills/thoughts/new/", _post_data(started_from="community.plan:3"))

    record = ThoughtRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("skills:my_thought_detail", args=[record.pk])
    assert (record.author, record.started_from) == (world.client.user, "community.plan:3")
    assert record.emotions.get().rerated is None
    assert record.visibility == Visibility.SHARED


def test_a_made_up_from_is_ignored(world):
    world.as_("client").post(
        "/me/skills/thoughts/new/", _post_data(started_from="javascript:alert(1)")
    )
    assert ThoughtRecord.objects.get().started_from == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"emotion_1_intensity": "150"}, "Use a number from 0 to 100."),
        ({"automatic_thought": ""}, "This field is required."),
        ({"emotion_1_name": ""}, "Name the emotion you are rating."),
        ({"traps": ["nope"]}, "Select a valid choice."),
    ],
)
def test_bad_posts_say_why_and_save_nothing(world, change, message):
    response = world.as_("client").post("/me/skills/thoughts/new/", _post_data(**change))

    assert response.status_code == 200
    assert message in response.text
    assert not ThoughtRecord.objects.exists()


def test_the_client_comes_back_rerates_and_sees_the_history(world):
    record = _record(world, emotions=[{"name": "anxious", "intensity": 80}])
    http = world.as_("client")
    form = http.get(f"/me/skills/thoughts/{record.pk}/edit/")
    assert 'value="80"' in form.text

    http.post(
        f"/me/skills/thoughts/{record.pk}/edit/",
        _post_data(
            automatic_thought="Some may not have noticed me at all",
            emotion_1_intensity="80",
            emotion_1_rerated="30",
            balanced_thought="It was one lunch",
        ),
    )

    detail = http.get(f"/me/skills/thoughts/{record.pk}/")
    assert "The thought as first written" in detail.text
    assert "They will think I am boring" in detail.text
    assert "80 → 30" in detail.text
    assert "Version 2" in detail.text


def test_the_practice_default_can_start_records_private(world):
    ThoughtRecordSettings.objects.create(
        practice=world.practice, default_visibility=Visibility.PRIVATE
    )
    page = world.as_("client").get("/me/skills/thoughts/new/")
    (box,) = re.findall(r'<input[^>]*name="private"[^>]*>', page.text)
    assert "checked" in box


def test_the_admin_sets_the_practice_default(world):
    response = world.as_("admin").post(
        "/practice/thought-records/", {"default_visibility": "private"}
    )

    assert response.status_code == 302
    assert selectors.thought_default_visibility(practice=world.practice) == "private"


def test_the_therapist_writes_a_shared_one_in_session_and_cannot_keep_it_private(world):
    http = world.as_("therapist")
    page = http.get(f"/clients/{world.client.pk}/skills/thoughts/new/")
    assert 'name="private"' not in page.text

    http.post(f"/clients/{world.client.pk}/skills/thoughts/new/", _post_data(private="on"))

    record = ThoughtRecord.objects.get()
    assert (record.author, record.visibility) == (world.therapist.user, Visibility.SHARED)


def test_a_private_record_is_a_404_for_the_therapist_even_to_edit(world):
    record = _record(world, visibility=Visibility.PRIVATE)
    http = world.as_("therapist")
    base = f"/clients/{world.client.pk}/skills/thoughts/{record.pk}"
    assert http.get(f"{base}/").status_code == 404
    assert http.get(f"{base}/edit/").status_code == 404
    assert http.post(f"{base}/edit/", _post_data()).status_code == 404
    record.refresh_from_db()
    assert record.automatic_thought == "They will think I am boring"


def test_another_clients_record_is_a_404(world):
    theirs = _record(world, client=world.other_client)
    http = world.as_("client")
    assert http.get(f"/me/skills/thoughts/{theirs.pk}/").status_code == 404
    assert http.post(f"/me/skills/thoughts/{theirs.pk}/edit/", _post_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.automatic_thought == "They will think I am boring"


def test_the_therapists_looks_are_audited(world):
    record = _record(world)
    http = world.as_("therapist")
    http.get(f"/clients/{world.client.pk}/skills/thoughts/")
    http.get(f"/clients/{world.client.pk}/skills/thoughts/{record.pk}/")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target=f"thoughtrecord:{record.pk}"
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, target=f"client:{world.client.pk}"
    ).exists()


def test_opening_a_record_to_edit_is_an_audited_look(world):
    # The edit form shows the whole record, so the care team's look at it is recorded too.
    record = _record(world)

    response = world.as_("therapist").get(
        f"/clients/{world.client.pk}/skills/thoughts/{record.pk}/edit/"
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW,
        actor=world.therapist.user,
        target=f"thoughtrecord:{record.pk}",
    ).exists()


def test_the_skills_page_links_to_thought_records(world):
    page = world.as_("client").get("/me/skills/")
    assert "/me/skills/thoughts/new/" in page.text
    assert "/me/skills/thoughts/" in page.text


# The list's query count ---------------------------------------------------------------------


def _many(world, n):
    for i in range(n):
        _record(
            world,
            automatic_thought=f"Thought {i}",
            emotions=[
                {"name": "anxious", "intensity": 70, "rerated": 40},
                {"name": "sad", "intensity": 50},
            ],
            traps=["mind_reading", "fortune_telling"],
        )


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_list_costs_the_same_for_3_or_12_records(world, persona, django_assert_num_queries):
    http = world.as_(persona)
    url = {
        "client": "/me/skills/thoughts/",
        "therapist": f"/clients/{world.client.pk}/skills/thoughts/",
    }[persona]
    _many(world, 3)
    http.get(url)  # warm the session and the practice's settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        http.get(url)
    _many(world, 9)
    with django_assert_num_queries(len(few.captured_queries)):
        response = http.get(url)
    assert response.text.count('class="card stack thought-record"') == 10


# The care team's summary --------------------------------------------------------------------


def test_the_summary_counts_shared_records_only_in_the_database(world, django_assert_num_queries):
    _record(
        world,
        emotions=[{"name": "anxious", "intensity": 80, "rerated": 40}],
        traps=["mind_reading", "catastrophising"],
    )
    _record(
        world,
        emotions=[{"name": "sad", "intensity": 60, "rerated": 50}],
        traps=["mind_reading"],
    )
    _record(
        world,
        visibility=Visibility.PRIVATE,
        emotions=[{"name": "ashamed", "intensity": 100, "rerated": 0}],
        traps=["labelling", "labelling", "mind_reading"],
    )
    _record(world, client=world.other_client, traps=["labelling"])

    with django_assert_num_queries(4):
        shared = selectors.thought_summary(
            client=world.client, viewer=world.therapist.user, now=timezone.now()
        )
    assert {row.key: row.total for row in shared.traps} == {
        "mind_reading": 2,
        "catastrophising": 1,
    }
    assert (shared.records, shared.rerated, shared.average_drop) == (2, 2, 25.0)
    assert shared.traps[0].by_month[-1][1] == 2  # this month

    own = selectors.thought_summary(
        client=world.client, viewer=world.client.user, now=timezone.now()
    )
    assert {row.key: row.total for row in own.traps}["labelling"] == 1
    assert own.average_drop == pytest.approx(50.0)


def test_the_summary_counts_by_month(world):
    old = _record(world, traps=["fortune_telling"])
    ThoughtRecord.objects.filter(pk=old.pk).update(
        created=timezone.now() - datetime.timedelta(days=400)
    )
    _record(world, traps=["fortune_telling"])

    summary = selectors.thought_summary(
        client=world.client, viewer=world.therapist.user, now=timezone.now()
    )
    (row,) = summary.traps
    assert row.total == 2
    assert sum(n for _month, n in row.by_month) == 1  # the old one is outside the six months
    assert len(summary.months) == 6


def test_the_therapists_page_shows_the_summary_and_chart(world):
    _record(
        world,
        emotions=[{"name": "anxious", "intensity": 80, "rerated": 40}],
        traps=["mind_reading"],
    )
    page = world.as_("therapist").get(f"/clients/{world.client.pk}/skills/thoughts/")
    assert "40.0 points" in page.text or "40 points" in page.text
    assert "<svg" in page.text and 'class="chart-bar"' in page.text
    assert "Mind reading" in page.text
