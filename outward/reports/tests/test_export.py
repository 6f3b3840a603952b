"""The client's data export: what goes in for whom, the single-use link, and query counts."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outward.care.client_data import client_data_kinds
from outward.care.models import SecurityEvent
from outward.journal import services as journal_services
from outward.measures import services as measure_services
from outward.reports import exports
from outward.reports import services as report_services
from outward.reports.models import ClientExport, ExportPart
from outward.skills import services as skills_services
from outward.tests.reading import archive_text, pdf_text


def _record(world, *, start: datetime.datetime, count: int = 1) -> None:
    """`count` days of the client's check-ins (a private note on each) and logged contacts,
    one shared and one kept private, each, plus a private thought record."""
    client, user = world.client, world.client.user
    for day in range(count):
        journal_services.check_in_create(
            client=client,
            author=user,
            ip=None,
            occurred=start + datetime.timedelta(days=day),
            mood=6,
            loneliness=4,
            meaningful_interactions=2,
            in_person=1,
            online=1,
            note="PRIVATE-CHECKIN-NOTE",
            note_visibility="private",
        )
        journal_services.contact_log(
            client=client, author=user, ip=None, kind="event", note='=HYPERLINK("x")'
        )
        journal_services.contact_log(
            client=client,
            author=user,
            ip=None,
            kind="event",
            note="PRIVATE-CONTACT",
            visibility="private",
        )
        skills_services.thought_record_create(
            client=client,
            author=user,
            ip=None,
            automatic_thought="PRIVATE-THOUGHT",
            emotions=[{"name": "anxious", "intensity": 70}],
            visibility="private",
        )


def _phq9(client) -> None:
    """A completed PHQ-9 entered in session, for the FHIR Bundle."""
    measure_services.response_enter(
        client=client,
        instrument_key="phq9",
        answers={str(n): 1 for n in range(1, 10)} | {"9": 0},
        actor=client.care_team.first().therapist.user,
        ip=None,
    )


EXPORT_PAGES = {
    "client": lambda world: reverse("reports:my_export"),
    "therapist": lambda world: reverse("reports:export", args=[world.client.pk]),
    "admin": lambda world: reverse("reports:admin_export", args=[world.client.pk]),
}


def _zip(world, persona: str) -> zipfile.ZipFile:
    """Ask for an export as `persona`, follow the link and download the ZIP."""
    http = world.as_(persona)
    url = EXPORT_PAGES[persona](world)
    asked = http.post(url)
    assert asked.status_code == 302
    status = http.get(asked["Location"])
    assert b"Download the ZIP" in status.content  # built at once by the test task backend
    download = http.post(asked["Location"] + "download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))


@pytest.fixture
def recorded(world):
    _record(world, start=timezone.now() - datetime.timedelta(days=30))
    _phq9(world.client)
    return world


def test_the_client_gets_everything_theirs_including_private(recorded):
    archive = _zip(recorded, "client")
    names = set(archive.namelist())
    assert {"README.txt", "outward-export.json", "fhir/measures-bundle.json"} <= names
    document = json.loads(archive.read("outward-export.json"))
    assert document["schema_version"] == exports.SCHEMA_VERSION
    assert document["includes_private"] is True
    assert document["client"]["email"] == "casey@client.test"
    # Every exported kind is in the JSON and has its CSV, even when it has no rows.
    for kind in client_data_kinds(exported=True):
        assert kind.name in document["records"]
        assert f"csv/{kind.name}.csv" in names
    text = archive.read("outward-export.json").decode()
    assert "PRIVATE-CHECKIN-NOTE" in text
    assert "PRIVATE-CONTACT" in text
    assert "PRIVATE-THOUGHT" in text
    assert document["records"]["skills.thought_emotion"][0]["name"] == "anxious"
    # The therapist's session note is never the client's to see.
    assert "PRIVATE-NOTE-TEXT" not in archive_text(archive)
    assert "Your progress, Casey Client" in pdf_text(archive.read(exports.REPORT_NAME))
    bundle = json.loads(archive.read("fhir/measures-bundle.json"))
    assert bundle["resourceType"] == "Bundle"
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    # The response, its total score, and one Observation per answer (PHQ-9: nine).
    assert kinds == ["QuestionnaireResponse", "Observation", *["Observation"] * 9]


def test_csv_cells_cannot_run_as_formulas(recorded):
    archive = _zip(recorded, "client")
    rows = list(csv.DictReader(io.StringIO(archive.read("csv/journal.contact.csv").decode())))
    assert {row["note"] for row in rows} == {'\'=HYPERLINK("x")', "PRIVATE-CONTACT"}


@pytest.mark.parametrize("persona", ["therapist", "admin"])
def test_the_practice_gets_the_shared_record_only(recorded, persona):
    archive = _zip(recorded, persona)
    document = json.loads(archive.read("outward-export.json"))
    assert document["includes_private"] is False
    everything = archive_text(archive)
    for secret in ("PRIVATE-CHECKIN-NOTE", "PRIVATE-CONTACT", "PRIVATE-THOUGHT", "PRIVATE-NOTE"):
        assert secret not in everything
    assert document["records"]["skills.thought_emotion"] == []
    assert len(document["records"]["journal.contact"]) == 1
    assert len(document["records"]["journal.check_in"]) == 1  # the check-in, its note blank
    assert document["records"]["journal.check_in"][0]["note"] == ""


def test_the_link_works_once_and_is_audited(world):
    http = world.as_("client")
    status_url = http.post(reverse("reports:my_export"))["Location"]
    first = http.post(status_url + "download/")
    assert first.status_code == 200
    b"".join(first.streaming_content)
    assert not ExportPart.objects.exists()  # the file is gone once sent
    again = http.post(status_url + "download/")
    assert again.status_code == 302
    assert ClientExport.objects.get().state == ClientExport.State.DOWNLOADED
    # Someone else holding the link gets nothing.
    assert world.as_("therapist").post(status_url + "download/").status_code == 404
    logged = SecurityEvent.objects.filter(action=SecurityEvent.Action.EXPORT)
    assert sorted(logged.values_list("after", flat=True)) == ["asked for", "downloaded"]


def test_an_expired_link_does_not_download_and_purge_lets_it_go(world):
    export, _token = report_services.export_request(
        client=world.client, actor=world.client.user, ip=None
    )
    later = timezone.now() + report_services.EXPORT_KEPT_FOR + datetime.timedelta(minutes=1)
    ClientExport.objects.filter(pk=export.pk).update(expires=timezone.now())
    assert not report_services.export_take(export=export, actor=world.client.user, ip=None)
    assert report_services.exports_expire(now=later) == 1
    assert not ExportPart.objects.exists()


def _queries_of_export(world) -> int:
    with CaptureQueriesContext(connection) as captured:
        exports.write_zip(
            client=world.client,
            viewer=world.client.user,
            includes_private=True,
            report_pdf=b"%PDF-1.7",
            target=io.BytesIO(),
        )
    return len(captured)


def test_query_count_is_constant_in_the_number_of_records(world):
    start = timezone.now() - datetime.timedelta(days=200)
    _record(world, start=start, count=1)
    _phq9(world.client)
    few = _queries_of_export(world)
    _record(world, start=start + datetime.timedelta(days=10), count=12)
    _phq9(world.client)
    assert _queries_of_export(world) == few
    # Two reads per kind of record (JSON and CSV) and one for the FHIR Bundle's responses.
    assert few == 2 * len(client_data_kinds(exported=True)) + 1


def test_a_therapist_taken_off_the_care_team_loses_the_link(world):
    from outward.care import services as care_services

    http = world.as_("therapist")
    status_url = http.post(EXPORT_PAGES["therapist"](world))["Location"]
    assert http.get(status_url).status_code == 200
    care_services.care_team_add(
        client=world.client, therapist=world.colleague, actor=world.admin.user, ip=None
    )
    care_services.care_team_remove(
        client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
    )
    assert http.get(status_url).status_code == 404
    assert http.post(status_url + "download/").status_code == 404
    assert ClientExport.objects.get().state == ClientExport.State.READY


def test_one_export_at_a_time_per_person(world):
    ClientExport.objects.create(
        client=world.client,
        requested_by=world.client.user,
        token_digest="0" * 64,
        expires=timezone.now() + datetime.timedelta(days=1),
    )  # still pending: the worker has not got to it
    http = world.as_("client")
    response = http.post(reverse("reports:my_export"))
    assert response["Location"] == reverse("reports:my_export")
    assert ClientExport.objects.count() == 1
    ClientExport.objects.update(created=timezone.now() - datetime.timedelta(hours=2))
    assert http.post(reverse("reports:my_export"))["Location"] != reverse("reports:my_export")
    assert ClientExport.objects.count() == 2
