"""Progress reports: asking for one, the worker's rendering, what goes in each version (read back
from the PDF's text), privacy, downloads and their audit, bad input, and constant queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from outward.care.models import AuditEvent, CareTeamMember, SecurityEvent
from outward.care.records import Visibility
from outward.conftest import make_staff
from outward.goals import services as goal_services
from outward.goals.models import Win
from outward.journal import services as journal_services
from outward.measures import services as measure_services
from outward.reports import progress, services
from outward.reports.models import ProgressReport
from outward.skills import services as skill_services
from outward.skills.models import FearLadder, Rung
from outward.tests.reading import pdf_text

NOW = "2026-11-25 15:00:00+00:00"
START, END = datetime.date(2026, 9, 1), datetime.date(2026, 11, 30)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def add_records(client, *, n: int, start: int = 0) -> None:
    """n records of every kind a report reads, one a day going back from `start` days ago."""
    user = client.user
    therapist = client.care_team.first().therapist.user
    goal = goal_services.goal_create(
        client=client, author=user, title=f"GOAL-{start}", steps=["A first step"], ip=None
    )
    ladder = FearLadder.objects.filter(client=client).first() or FearLadder.objects.create(
        client=client, author=user, title="Meeting people"
    )
    rung = Rung.objects.create(
        client=client, author=user, ladder=ladder, situation="Say hello", expected_suds=40
    )
    for index in range(start, start + n):
        moment = _days_ago(index + 1)
        journal_services.check_in_create(
            client=client,
            author=user,
            ip=None,
            occurred=moment,
            mood=6,
            loneliness=4,
            meaningful_interactions=3,
            in_person=2,
            online=1,
        )
        journal_services.contact_log(
            client=client, author=user, ip=None, occurred=moment, kind="met_up", quality=4
        )
        goal_services.win_create(client=client, author=user, text=f"WIN-{index}", ip=None)
        skill_services.exposure_log(
            rung=rung,
            author=user,
            ip=None,
            occurred=moment,
            prediction="They will ignore me",
            likelihood=60,
            expected_suds=60,
            suds_peak=35,
        )
        goal_services.goal_review(
            goal=goal,
            author=therapist,
            reviewed_on=moment.date(),
            level=index % 3 - 1,
            note="",
            ip=None,
        )
        response = measure_services.response_enter(
            client=client,
            instrument_key="phq9",
            answers={str(item): 1 for item in range(1, 10)} | {"9": 0},
            actor=therapist,
            ip=None,
        )
        type(response).objects.filter(pk=response.pk).update(completed=moment)


def make_report(world, *, version="care_team", sections=None, summary="SUMMARY-TEXT", actor=None):
    return services.progress_report_request(
        client=world.client,
        actor=actor or world.therapist.user,
        version=version,
        period_start=START,
        period_end=END,
        sections=sections or list(progress.SECTIONS),
        summary=summary,
        ip=None,
    )


def test_a_care_team_report_is_rendered_with_every_section_and_audited(world, now):
    add_records(world.client, n=3)

    report = make_report(world)

    assert report.status == ProgressReport.Status.READY
    assert report.pages >= 1 and bytes(report.pdf).startswith(b"%PDF")
    text = pdf_text(bytes(report.pdf))
    for expected in [
        "Riverside Practice",
        "Progress report: Casey Client",
        "Prepared by",
        "Tara Therapist",
        "Page 1 of",
        "Measures",
        "PHQ-9",
        "Goal Attainment Scaling",
        "Plans and exposures attended",
        "Say hello",
        "Contacts and check-ins",
        "Met up with someone",
        "WIN-0",
        "SUMMARY-TEXT",
    ]:
        assert expected in text, expected
    assert "PRIVATE-NOTE-TEXT" not in text  # session notes never go in
    catalog = PdfReader(io.BytesIO(bytes(report.pdf))).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en"  # tagged, for screen readers
    assert AuditEvent.objects.filter(
        client=world.client, action="create", target=f"progressreport:{report.pk}"
    ).exists()


def test_a_care_team_report_leaves_out_what_the_client_kept_private(world, now):
    user = world.client.user
    journal_services.contact_log(
        client=world.client, author=user, ip=None, occurred=_days_ago(2), kind="met_up"
    )
    journal_services.contact_log(
        client=world.client,
        author=user,
        ip=None,
        occurred=_days_ago(3),
        kind="event",
        visibility=Visibility.PRIVATE,
    )
    period = (START, END)

    care_team = pdf_text(
        services.render_progress_pdf(
            client=world.client,
            viewer=world.therapist.user,
            period=period,
            sections=["journal"],
            version="care_team",
        )
    )
    own = pdf_text(
        services.render_progress_pdf(
            client=world.client, viewer=user, period=period, sections=["journal"], version="client"
        )
    )

    assert "Met up with someone" in care_team
    assert "Went to a group or event" not in care_team
    assert "Went to a group or event" in own


def test_the_clients_version_has_no_clinical_scores_unless_measures_are_chosen(world, now):
    add_records(world.client, n=2)
    plain = make_report(world, version="client", sections=["goals", "wins", "summary"])
    with_scores = make_report(world, version="client", sections=["measures", "goals"])

    text = pdf_text(bytes(plain.pdf))
    assert "Your progress, Casey Client" in text
    assert "Your goals" in text and "GOAL-0" in text
    assert "A note from your therapist" in text
    for clinical in ["PHQ-9", "T-score", "GAS", "Band"]:
        assert clinical not in text, clinical
    scored = pdf_text(bytes(with_scores.pdf))
    assert "PHQ-9" in scored and "T-score" in scored


def test_the_therapist_asks_for_a_report_and_opens_it(world, now):
    http = world.as_("therapist")
    url = reverse("reports:progress_reports", args=[world.client.pk])
    assert http.get(url).status_code == 200

    response = http.post(
        url,
        {
            "version": "care_team",
            "period_start": "2026-09-01",
            "period_end": "2026-11-30",
            "sections": ["wins", "summary"],
            "summary": "Steady progress.",
        },
    )

    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reports:progress_report", args=[world.client.pk, report.pk]
    )
    page = http.get(response["Location"])
    assert "The PDF is ready" in page.content.decode()
    download = http.get(reverse("reports:progress_report_pdf", args=[world.client.pk, report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    assert "Steady progress." in pdf_text(download.content)
    assert (
        AuditEvent.objects.filter(
            actor=world.therapist.user, action="view", target=f"progressreport:{report.pk}"
        ).count()
        == 2
    )  # the report's page, and the download
    (export,) = SecurityEvent.objects.filter(action=SecurityEvent.Action.EXPORT)
    assert (export.practice, export.actor, export.target) == (
        world.practice,
        world.therapist.user,
        f"client:{world.client.pk}",
    )


def test_a_report_still_waiting_says_it_is_being_prepared(world, now):
    report = ProgressReport.objects.create(
        client=world.client,
        requested_by=world.therapist.user,
        version="care_team",
        period_start=START,
        period_end=END,
        sections=["wins"],
    )
    http = world.as_("therapist")

    page = http.get(reverse("reports:progress_report", args=[world.client.pk, report.pk]))
    pdf = http.get(reverse("reports:progress_report_pdf", args=[world.client.pk, report.pk]))

    assert "Your report is being prepared" in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert pdf.status_code == 404
    polled = http.get(
        reverse("reports:progress_report", args=[world.client.pk, report.pk]),
        headers={"HX-Request": "true"},
    )
    assert polled.status_code == 200
    # The looks are audited, not the page's own checks for the PDF.
    assert AuditEvent.objects.filter(target=f"progressreport:{report.pk}").count() == 1


def test_the_client_downloads_their_version_only(world, now):
    theirs = make_report(world, version="client", sections=["wins"])
    care_team = make_report(world, version="care_team", sections=["wins"])
    http = world.as_("client")

    listing = http.get(reverse("reports:my_progress_reports")).content.decode()
    download = http.get(reverse("reports:my_progress_report_pdf", args=[theirs.pk]))
    refused = http.get(reverse("reports:my_progress_report_pdf", args=[care_team.pk]))

    assert reverse("reports:my_progress_report_pdf", args=[theirs.pk]) in listing
    assert reverse("reports:my_progress_report_pdf", args=[care_team.pk]) not in listing
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert refused.status_code == 404
    # A download by the client is recorded too: the document leaves Outward.
    assert AuditEvent.objects.filter(
        actor=world.client.user, action="view", target=f"progressreport:{theirs.pk}"
    ).exists()
    assert (
        reverse("reports:my_progress_reports")
        in http.get(reverse("accounts:account")).content.decode()
    )


def test_nobody_off_the_care_team_can_ask_for_a_report(world, now):
    other_admin = make_staff(
        world.other_practice, "hana@hilltop.test", "Hana Admin", is_therapist=True, is_admin=True
    )
    url = reverse("reports:progress_reports", args=[world.client.pk])
    data = {
        "version": "care_team",
        "period_start": "2026-09-01",
        "period_end": "2026-11-30",
        "sections": ["wins"],
    }
    for http in [world.as_("colleague"), world.as_("admin"), world.as_("stranger")]:
        assert http.post(url, data).status_code == 404
    http = world.as_("client")
    http.force_login(other_admin.user)
    assert http.post(url, data).status_code == 404
    assert http.get(url).status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_therapist_who_left_the_care_team_before_rendering_gets_no_report(world, now):
    report = ProgressReport.objects.create(
        client=world.client,
        requested_by=world.therapist.user,
        version="care_team",
        period_start=START,
        period_end=END,
        sections=["wins"],
    )
    CareTeamMember.objects.filter(client=world.client).delete()

    services.render_report.call(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ProgressReport.Status.FAILED and report.pdf is None


def test_a_rendering_bug_leaves_the_report_failed_not_waiting(world, now, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(services.pdf, "html_to_pdf", broken)
    report = make_report(world, sections=["wins"])

    assert report.status == ProgressReport.Status.FAILED
    page = world.as_("therapist").get(
        reverse("reports:progress_report", args=[world.client.pk, report.pk])
    )
    assert "could not be made" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"period_end": "2026-08-01"}, "period_end"),
        ({"period_start": "2020-01-01"}, "period_end"),
        ({"period_start": "1800-01-01"}, "period_start"),
        ({"sections": ["measures", "horoscope"]}, "sections"),
        ({"sections": []}, "sections"),
        ({"sections": ["summary"], "summary": "  "}, "summary"),
        ({"version": "everyone"}, "version"),
        ({"version": "client", "sections": ["measures"]}, "sections"),
    ],
)
def test_bad_input_gives_field_errors_and_makes_nothing(world, now, changes, field):
    data = {
        "version": "care_team",
        "period_start": "2026-09-01",
        "period_end": "2026-11-30",
        "sections": ["wins"],
        "summary": "",
    } | changes
    response = world.as_("therapist").post(
        reverse("reports:progress_reports", args=[world.client.pk]), data
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_the_clients_version_leaves_measures_out_unless_scores_are_included(world, now):
    data = {
        "version": "client",
        "period_start": "2026-09-01",
        "period_end": "2026-11-30",
        "sections": ["measures", "wins"],
    }
    url = reverse("reports:progress_reports", args=[world.client.pk])
    http = world.as_("therapist")

    http.post(url, data)
    http.post(url, data | {"include_scores": "on"})

    assert [report.sections for report in ProgressReport.objects.order_by("pk")] == [
        ["wins"],
        ["measures", "wins"],
    ]


def _section_queries(world, key: str) -> int:
    period = progress.Period(START, END, world.client.user.time_zone)
    with CaptureQueriesContext(connection) as queries:
        progress.build_sections(
            client=world.client,
            viewer=world.therapist.user,
            period=period,
            sections=[key],
            version="care_team",
        )
    return len(queries)


def test_each_section_reads_in_a_constant_number_of_queries(world, now):
    add_records(world.client, n=2)
    small = {key: _section_queries(world, key) for key in progress.SECTIONS}
    add_records(world.client, n=25, start=2)
    large = {key: _section_queries(world, key) for key in progress.SECTIONS}

    assert large == small
    assert small == {
        "measures": 2,
        "goals": 4,
        "activities": 3,
        "journal": 2,
        "wins": 1,
        "summary": 0,
    }


def test_the_render_function_for_the_export_takes_a_period_and_a_version(world, now):
    data = services.render_progress_pdf(
        client=world.client,
        viewer=world.therapist.user,
        period=(START, END),
        sections=["wins", "summary"],
        version="care_team",
    )
    text = pdf_text(data)
    assert "No win noted in this period." in text and "No summary was written." in text


def test_a_long_table_lists_the_latest_rows_and_counts_the_rest(world, now, monkeypatch):
    monkeypatch.setattr(progress, "ROWS_LIMIT", 3)
    for number in range(5):
        goal_services.win_create(
            client=world.client, author=world.client.user, text=f"W{number}X", ip=None
        )
        Win.objects.filter(text=f"W{number}X").update(occurred=_days_ago(10 - number))

    text = pdf_text(
        services.render_progress_pdf(
            client=world.client,
            viewer=world.therapist.user,
            period=(START, END),
            sections=["wins"],
            version="care_team",
        )
    )

    assert [f"W{n}X" in text for n in range(5)] == [False, False, True, True, True]
    assert "And 2 earlier ones, not listed." in text
