"""The skills room's writes: ladders and rungs, their rules, and the audit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from outward.care.models import AuditEvent
from outward.skills import selectors, services
from outward.skills.models import FearLadder, Rung

from .helpers import make_ladder, make_rung, set_status


def test_rungs_read_in_order_of_suds_whatever_order_they_were_added(world):
    ladder = make_ladder(world.client)
    for situation, suds in [("Hard", 80), ("Easy", 10), ("Middle", 50), ("Middle too", 50)]:
        make_rung(ladder, situation, suds)

    rungs = selectors.ladder_rungs(ladder=ladder, viewer=world.client.user)

    assert [rung.situation for rung in rungs] == ["Easy", "Middle", "Middle too", "Hard"]


def test_a_changed_suds_moves_the_rung(world):
    ladder = make_ladder(world.client)
    easy = make_rung(ladder, "Easy", 10)
    make_rung(ladder, "Middle", 50)

    services.rung_update(
        rung=easy,
        actor=world.client.user,
        situation="Easy",
        expected_suds=90,
        status=Rung.Status.NOT_TRIED,
        ip=None,
    )

    rungs = selectors.ladder_rungs(ladder=ladder, viewer=world.client.user)
    assert [rung.situation for rung in rungs] == ["Middle", "Easy"]


@pytest.mark.parametrize("suds", [-1, 101, 150])
def test_a_suds_outside_0_to_100_is_refused(world, suds):
    ladder = make_ladder(world.client)

    with pytest.raises(ValidationError):
        make_rung(ladder, suds=suds)

    assert not Rung.objects.exists()


def test_the_database_refuses_a_suds_of_150_too(world):
    rung = make_rung(make_ladder(world.client))

    with pytest.raises(IntegrityError), transaction.atomic():
        Rung.objects.filter(pk=rung.pk).update(expected_suds=150)


def test_a_rung_on_someone_elses_ladder_is_refused(world):
    olives = make_ladder(world.other_client)

    with pytest.raises(Http404):
        services.rung_add(
            client=world.client,
            ladder=olives,
            author=world.client.user,
            situation="Sneak in",
            expected_suds=10,
            ip=None,
        )

    assert not Rung.objects.exists()


def test_done_records_when_and_undoing_clears_it(world):
    rung = make_rung(make_ladder(world.client))

    set_status(rung, Rung.Status.DONE)
    assert rung.done_at is not None
    set_status(rung, Rung.Status.PRACTISING)

    rung.refresh_from_db()
    assert (rung.status, rung.done_at) == (Rung.Status.PRACTISING, None)


def test_every_change_is_audited(world):
    ladder = make_ladder(world.client, author=world.therapist.user)
    rung = make_rung(ladder)
    rung_id = rung.pk
    services.ladder_rename(ladder=ladder, actor=world.therapist.user, title="Groups", ip="10.0.0.1")
    services.ladder_archive(ladder=ladder, actor=world.therapist.user, archived=True, ip=None)
    services.rung_delete(rung=rung, actor=world.therapist.user, ip=None)

    events = list(
        AuditEvent.objects.filter(client=world.client, target__regex=r"^(fearladder|rung):")
        .order_by("pk")
        .values_list("action", "target")
    )
    assert events == [
        ("create", f"fearladder:{ladder.pk}"),
        ("create", f"rung:{rung_id}"),
        ("update", f"fearladder:{ladder.pk}"),
        ("update", f"fearladder:{ladder.pk}"),
        ("update", f"fearladder:{ladder.pk}"),
    ]
    assert FearLadder.objects.get().archived is not None
    assert not Rung.objects.exists()


# Where the client is ----------------------------------------------------------------------


def test_no_rung_no_level(world):
    make_ladder(world.client)

    assert selectors.exposure_level(world.client) is None


def test_the_level_is_the_lowest_rung_not_done(world):
    ladder = make_ladder(world.client)
    first = make_rung(ladder, "Say hello", 15)
    make_rung(ladder, "Join a small group chat", 50)
    make_rung(ladder, "Open mingling", 85)
    assert selectors.exposure_level(world.client) == 1

    set_status(first, Rung.Status.DONE)

    assert selectors.exposure_level(world.client) == 3


def test_an_archived_ladder_does_not_count_and_all_done_keeps_the_top(world):
    archived = make_ladder(world.client, title="Old")
    make_rung(archived, "Easy", 5)
    services.ladder_archive(ladder=archived, actor=world.client.user, archived=True, ip=None)
    ladder = make_ladder(world.client)
    set_status(make_rung(ladder, "Small talk", 35), Rung.Status.DONE)
    set_status(make_rung(ladder, "A party", 65), Rung.Status.DONE)

    assert selectors.exposure_level(world.client) == 4
    assert selectors.exposure_level(world.other_client) is None
