"""Applying an import in the task worker (issue 8): rows are staged a batch per short
transaction, unseen, then switched live in one short step; a failure anywhere leaves the
directory as it was and nothing staged; a retry doubles nothing; the page shows progress."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import IntegrityError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outward.community.imports import services as import_services
from outward.community.imports.services import ImportRefused, import_apply, import_preview
from outward.community.models import PendingImport, Plan, Resource

from .import_helpers import csv_file, upload

HEADER = "id,name,interests,weekday,start_time"


def rows(count, name="Group"):
    return csv_file(*[f"{n},{name} {n},Games,Mon,10:00" for n in range(count)], header=HEADER)


def preview(world, data):
    return import_preview(
        practice=world.practice, kind="csv", uploaded_file=upload(data), actor=world.therapist.user
    )


def test_an_update_keeps_each_resource_and_its_plans(world):
    import_apply(pending=preview(world, rows(3)), actor=world.therapist.user)
    first = Resource.objects.get(source_key="0")
    plan = Plan.objects.create(
        client=world.client,
        resource=first,
        author=world.client.user,
        when=datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC),
    )
    summary = import_apply(
        pending=preview(world, rows(4, name="Renamed")), actor=world.therapist.user
    )
    assert (summary.created, summary.updated, summary.unchanged) == (1, 3, 0)
    plan.refresh_from_db()
    assert plan.resource_id == first.pk
    assert Resource.objects.get(pk=first.pk).name == "Renamed 0"
    assert sorted(Resource.objects.values_list("name", flat=True)) == [
        "Renamed 0",
        "Renamed 1",
        "Renamed 2",
        "Renamed 3",
    ]
    assert Resource.everything.count() == 4  # no staged copy left behind
    assert list(Resource.objects.get(pk=first.pk).interests.values_list("key", flat=True)) == [
        "games"
    ]


def test_staged_rows_are_unseen_until_the_final_step(world, monkeypatch):
    import_apply(pending=preview(world, rows(2)), actor=world.therapist.user)
    monkeypatch.setattr(import_services, "BATCH", 2)
    seen = []
    real_switch = import_services._switch_live

    def switch(*, run, source, fields):
        seen.append(
            (
                sorted(Resource.objects.values_list("name", flat=True)),
                Resource.everything.filter(staged_by=run).count(),
                PendingImport.objects.get(pk=run.pk).done,
            )
        )
        real_switch(run=run, source=source, fields=fields)

    monkeypatch.setattr(import_services, "_switch_live", switch)
    import_apply(pending=preview(world, rows(5, name="New")), actor=world.therapist.user)
    # Before the switch: the directory as it was; 5 staged (2 copies + 3 new); progress 5.
    assert seen == [(["Group 0", "Group 1"], 5, 5)]
    assert Resource.objects.count() == 5


def test_a_failure_in_the_final_step_changes_nothing_and_unstages(world, monkeypatch):
    import_apply(pending=preview(world, rows(2)), actor=world.therapist.user)
    before = list(Resource.everything.values())

    def clash(*, run, source, fields):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(import_services, "_switch_live", clash)
    pending = preview(world, rows(3, name="New"))
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        import_apply(pending=pending, actor=world.therapist.user)
    assert list(Resource.everything.values()) == before
    pending.refresh_from_db()
    assert pending.state == PendingImport.State.FAILED


def test_a_retried_apply_task_doubles_nothing(world, monkeypatch):
    pending = preview(world, rows(3))
    calls = []
    real_switch = import_services._switch_live

    def dies_once(*, run, source, fields):  # a worker killed before the final step
        calls.append(run.pk)
        if len(calls) == 1:
            raise SystemExit
        real_switch(run=run, source=source, fields=fields)

    monkeypatch.setattr(import_services, "_switch_live", dies_once)
    import_services.import_apply_start(pending=pending, actor=world.therapist.user)
    # The staging of the killed attempt may remain; the retry starts it again from nothing.
    assert PendingImport.objects.get(pk=pending.pk).state == PendingImport.State.APPLYING
    assert import_services.apply_import.call(pending_id=pending.pk) == "applied"
    assert Resource.everything.count() == 3
    assert import_services.apply_import.call(pending_id=pending.pk) == "nothing to do"
    assert Resource.everything.count() == 3


def test_the_page_shows_progress_and_polls_while_the_worker_has_it(world):
    pending = preview(world, rows(3))
    PendingImport.objects.filter(pk=pending.pk).update(
        state=PendingImport.State.APPLYING, done=1, total=3
    )
    url = reverse("community:import_preview", args=[pending.pk])
    page = world.as_("therapist").get(url).text
    assert 'hx-trigger="every 2s"' in page and 'hx-select="#import-run"' in page
    assert '<progress id="import-bar" max="3" value="1">' in page
    assert f'<a href="{url}">' in page  # without JavaScript: a refresh link
    PendingImport.objects.filter(pk=pending.pk).update(
        state=PendingImport.State.APPLIED, outcome="3 added."
    )
    page = world.as_("therapist").get(url).text
    assert "every 2s" not in page and "3 added." in page


def test_a_queued_upload_is_read_by_the_worker(world, monkeypatch):
    read_import = import_services.read_import
    monkeypatch.setattr(import_services, "read_import", SimpleNamespace(enqueue=lambda **k: None))
    pending = preview(world, rows(2))
    assert (pending.state, pending.rows) == (PendingImport.State.QUEUED, [])
    assert read_import.call(pending_id=pending.pk) == "ready"
    pending.refresh_from_db()
    assert pending.total == 2
    assert bytes(pending.upload)  # a CSV is kept until applied, to map its columns again
    assert read_import.call(pending_id=pending.pk) == "nothing to do"


def test_a_preview_too_big_to_keep_is_refused_with_a_reason(world, monkeypatch):
    monkeypatch.setattr(import_services, "MAX_STORED_BYTES", 100)
    pending = preview(world, rows(5))
    assert pending.rows == []
    assert "more than 0 MB to keep" in pending.problems[0]["why"]


def test_a_preview_expires_after_a_day(world):
    pending = preview(world, rows(1))
    PendingImport.objects.filter(pk=pending.pk).update(
        created=pending.created - datetime.timedelta(hours=25)
    )
    url = reverse("community:import_preview", args=[pending.pk])
    assert world.as_("therapist").get(url).status_code == 404
    assert import_services.pending_imports_expire() == 1
    assert not PendingImport.objects.exists()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "2", "", "x" * 301]),
            st.sampled_from(["Chess", "", "y" * 201]),
            st.sampled_from(["Games", "Nope", ""]),
            st.sampled_from(["Mon", "Funday", ""]),
            st.sampled_from(["10:00", "25:00", ""]),
        ),
        max_size=6,
    )
)
def test_any_csv_is_applied_whole_or_not_at_all(world, lines):
    before = sorted(Resource.everything.values_list("source_key", "name"))
    data = csv_file(*[",".join(line) for line in lines], header=HEADER)
    pending = preview(world, data)
    if pending.bad_rows:  # strict mode: one bad row and nothing at all is written
        with pytest.raises(ImportRefused):
            import_apply(pending=pending, actor=world.therapist.user, strict=True)
        assert sorted(Resource.everything.values_list("source_key", "name")) == before
    try:
        import_apply(pending=pending, actor=world.therapist.user)
    except ImportRefused:
        assert sorted(Resource.everything.values_list("source_key", "name")) == before
    else:  # every row that was not left out is in, and nothing is left staged
        live = dict(Resource.objects.values_list("source_key", "name"))
        assert live | {row["key"]: row["fields"]["name"] for row in pending.rows} == live
        assert not Resource.everything.filter(staged_by__isnull=False).exists()
