"""What a client keeps private never reaches anyone else: for each private field or record,
every page, summary and export staff may open (every GET of the access matrix a therapist or
admin may open, the calendar feed included) is rendered, and the private text must be neither
in the bytes sent nor anywhere in the template context. The client still sees it."""

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outward.care import happenings
from outward.care.records import Visibility
from outward.conftest import build_world, replayed
from outward.journal import selectors as journal_selectors
from outward.journal import services as journal_services
from outward.journal.models import CheckIn, Contact

from .leaks import assert_nowhere, found_in_context
from .reading import archive_text, pdf_text
from .test_access_matrix import MATRIX, OK

STAFF = ["therapist", "admin"]
SECRET = "SECRET-7f3a words the client keeps to themself"
SECRET_NAME = "Secret Sam 7f3a"


def _staff_pages():
    for name, (method, _args, expected, *_data) in sorted(MATRIX.items()):
        if method != "get":
            continue
        for persona in STAFF:
            if expected[persona] == OK:
                yield pytest.param(name, persona, id=f"{name}-{persona}")


def _private_check_in_note(world):
    journal_services.check_in_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        mood=4,
        loneliness=6,
        meaningful_interactions=2,
        in_person=1,
        online=1,
        win="Went to the quiz",
        note=SECRET,
        note_visibility=Visibility.PRIVATE,
    )
    return [SECRET]


def _private_contact(world):
    journal_services.contact_log(
        client=world.client,
        author=world.client.user,
        ip=None,
        kind="met_up",
        with_whom=SECRET_NAME,
        note=SECRET,
        visibility=Visibility.PRIVATE,
    )
    return [SECRET, SECRET_NAME]


def _private_lesson_reflection(world):
    from outward.skills import services as skills_services

    assignment = skills_services.lesson_assign(
        client=world.client, actor=world.therapist.user, lesson_key="thinking-traps", ip=None
    )
    skills_services.lesson_mark_read(
        assignment=assignment,
        actor=world.client.user,
        reflection=SECRET,
        reflection_visibility=Visibility.PRIVATE,
        ip=None,
    )
    return [SECRET]


def _private_thought_record(world):
    from outward.skills import services as skills_services

    skills_services.thought_record_create(
        client=world.client,
        author=world.client.user,
        ip=None,
        situation=SECRET_NAME,
        automatic_thought=SECRET,
        emotions=[{"name": "SECRET-EMOTION-7f3a", "intensity": 80, "rerated": 30}],
        traps=["mind_reading"],
        balanced_thought="SECRET-BALANCED-7f3a",
        visibility=Visibility.PRIVATE,
    )
    return [SECRET, SECRET_NAME, "SECRET-EMOTION-7f3a", "SECRET-BALANCED-7f3a"]


UNSHARED_INSIGHT = "most often go"  # the client's words and the care team's ("goes") alike


def _unshared_insight(world):
    """Five outings on the same weekday make an insight the client has not shared (another one
    is shared, so the care team's pages do show insights, just not this one)."""
    from outward.journal.models import InsightShare

    for weeks_ago in range(1, 6):
        journal_services.contact_log(
            client=world.client,
            author=world.client.user,
            ip=None,
            kind="event",
            occurred=timezone.now() - datetime.timedelta(weeks=weeks_ago),
        )
    InsightShare.objects.create(client=world.client, author=world.client.user, rule="online_share")
    return [UNSHARED_INSIGHT]


def _private_reflection(world):
    journal_services.reflection_write(
        client=world.client,
        author=world.client.user,
        ip=None,
        prompt="free",
        went_well=SECRET,
        free_text="SECRET-FREE-7f3a",
        visibility=Visibility.PRIVATE,
    )
    return [SECRET, "SECRET-FREE-7f3a"]


def _private_map_person(world):
    """A private person on the map, moved (two snapshots), beside a shared one."""
    journal_services.person_add(
        client=world.client,
        author=world.client.user,
        ip=None,
        name="Shared Pat",
        circle=2,
        role="friend",
        touch="weekly",
    )
    person = journal_services.person_add(
        client=world.client,
        author=world.client.user,
        ip=None,
        name=SECRET_NAME,
        circle=3,
        role="partner",
        touch="most_days",
        visibility=Visibility.PRIVATE,
    )
    journal_services.person_update(person=person, actor=world.client.user, ip=None, circle=1)
    return [SECRET_NAME]


PRIVATE_THINGS = {
    "insight not shared": _unshared_insight,
    "check-in note": _private_check_in_note,
    "contact": _private_contact,
    "lesson reflection": _private_lesson_reflection,
    "thought record": _private_thought_record,
    "reflection": _private_reflection,
    "map person": _private_map_person,
}


def _own_page(world, thing) -> str:
    """Where the client reads the thing they kept private."""
    if thing == "lesson reflection":
        from outward.skills.models import LessonAssignment

        return reverse("skills:my_lesson", args=[LessonAssignment.objects.get().pk])
    if thing == "thought record":
        return reverse("skills:my_thought_records")
    if thing == "insight not shared":
        return reverse("journal:my_insights")
    if thing == "reflection":
        return reverse("journal:my_reflections")
    if thing == "map person":
        return reverse("journal:my_map")
    return reverse("journal:my_journal")


def _world_with(make):
    world = build_world()
    return world, make(world)


# The world with one private thing in it, per thing: built once and replayed for each of the
# ~130 staff pages, as the world itself is (conftest.replayed), so each test still starts from
# the same fresh rows but without making the thing through its services again (6-40 ms).
WORLDS_WITH = {thing: partial(_world_with, make) for thing, make in PRIVATE_THINGS.items()}


@pytest.mark.parametrize("thing", sorted(PRIVATE_THINGS))
@pytest.mark.parametrize(("name", "persona"), list(_staff_pages()))
def test_private_things_reach_no_staff_page(db, thing, name, persona):
    world, secrets = replayed(WORLDS_WITH[thing])
    _method, args, _expected, *_data = MATRIX[name]
    response = world.as_(persona).get(reverse(name, args=args(world)))
    assert response.status_code in (200, 302)
    for secret in secrets:
        assert_nowhere(response, secret)


@pytest.mark.parametrize("thing", sorted(PRIVATE_THINGS))
def test_the_client_sees_what_they_kept_private(world, thing):
    secrets = PRIVATE_THINGS[thing](world)
    response = world.as_("client").get(_own_page(world, thing))
    for secret in secrets:
        assert secret in response.text
        assert found_in_context(response, secret)


def test_the_care_teams_journal_says_a_note_was_kept_private(world):
    _private_check_in_note(world)
    response = world.as_("therapist").get(reverse("journal:journal", args=[world.client.pk]))
    assert "The client kept the note of this check-in private." in response.text
    assert "Went to the quiz" in response.text  # the rest of the check-in is shared


def test_selectors_withhold_private_things_from_anyone_but_the_client(world):
    _private_check_in_note(world)
    _private_contact(world)
    for viewer in [world.therapist.user, world.admin.user, world.other_client.user, None]:
        (check_in,) = journal_selectors.check_ins(client=world.client, viewer=viewer)
        assert (check_in.note, check_in.note_kept_private(), check_in.mood) == ("", True, 4)
        assert not journal_selectors.contacts(client=world.client, viewer=viewer).exists()
    (check_in,) = journal_selectors.check_ins(client=world.client, viewer=world.client.user)
    assert check_in.note == SECRET
    (contact,) = journal_selectors.contacts(client=world.client, viewer=world.client.user)
    assert contact.with_whom == SECRET_NAME


def test_lesson_selectors_withhold_a_private_reflection(world):
    from outward.skills import selectors as skills_selectors

    _private_lesson_reflection(world)
    for viewer in [world.therapist.user, world.admin.user, world.other_client.user, None]:
        (assignment,) = skills_selectors.lesson_assignments(client=world.client, viewer=viewer)
        assert (assignment.reflection, assignment.read_at is not None) == ("", True)
        found = skills_selectors.lesson_assignment_for_client(
            client=world.client, viewer=viewer, assignment_id=assignment.pk
        )
        assert found.reflection == ""
    (assignment,) = skills_selectors.lesson_assignments(
        client=world.client, viewer=world.client.user
    )
    assert assignment.reflection == SECRET


def test_a_withheld_note_is_not_read_even_raw(world, django_assert_num_queries):
    _private_check_in_note(world)
    records = CheckIn.objects.for_viewer(client=world.client, viewer=world.therapist.user)
    with django_assert_num_queries(1) as queries:
        (check_in,) = records
        assert check_in.note == ""  # no second query fetches the deferred field
    assert SECRET not in str(queries.captured_queries)
    with pytest.raises(ValueError, match="withheld"):
        records.values_list("note", flat=True)
    with pytest.raises(ValueError, match="withheld"):
        records.values()
    with pytest.raises(ValueError, match="without its private fields"):
        check_in.save()  # it would blank the client's note
    assert CheckIn.objects.get().note == SECRET


def test_private_happenings_are_the_clients_alone(world):
    _private_contact(world)
    window = {
        "client_ids": [world.client.pk, world.other_client.pk],
        "start": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        "end": datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    }
    contact = "journal.contact.met_up"
    assert [h.kind for h in happenings.happenings(**window, viewer=world.client.user)] == [contact]
    for viewer in [None, world.therapist.user, world.other_client.user]:
        assert happenings.happenings(**window, viewer=viewer) == []
    assert Contact.objects.get().is_private()


def test_only_the_client_keeps_things_private(world):
    http = world.as_("therapist")
    page = http.get(reverse("journal:journal", args=[world.client.pk])).text
    assert 'name="private"' not in page
    http.post(
        reverse("journal:contact_add", args=[world.client.pk]), {"kind": "event", "private": "on"}
    )
    assert Contact.objects.get().visibility == Visibility.SHARED  # the box is not theirs
    with pytest.raises(ValidationError, match="Only the client"):
        journal_services.contact_log(
            client=world.client,
            author=world.therapist.user,
            ip=None,
            kind="event",
            visibility=Visibility.PRIVATE,
        )


@pytest.mark.parametrize(
    "name",
    [
        name
        for name, (method, _args, expected, *_data) in sorted(MATRIX.items())
        if method == "get" and expected["client"] == OK
    ],
)
def test_the_therapists_session_notes_reach_no_client_page(world, name):
    """The other way round: the world's session note (PRIVATE-NOTE-TEXT) is the care team's."""
    _method, args, _expected, *_data = MATRIX[name]
    response = world.as_("client").get(reverse(name, args=args(world)))
    assert response.status_code in (200, 302)
    assert_nowhere(response, "PRIVATE-NOTE-TEXT")


def test_the_trend_withholds_the_note_too(world):
    _private_check_in_note(world)
    (point,) = journal_selectors.trend(client=world.client, viewer=world.therapist.user)
    assert (point.mood, point.note) == (4, "")  # a deferred note is not fetched on access
    (point,) = journal_selectors.trend(client=world.client, viewer=world.client.user)
    assert point.note == SECRET


@pytest.mark.parametrize("thing", sorted(PRIVATE_THINGS))
def test_private_things_reach_no_staff_progress_report(world, thing, monkeypatch):
    """The progress report (every section, both versions) as a therapist makes it: the HTML
    it is drawn from and the PDF's text."""
    from outward.reports import pdf, progress, services

    secrets = PRIVATE_THINGS[thing](world)
    if thing == "contact":  # nor is the private contact counted among the contacts
        secrets.append("Met up with someone")
    drawn = []
    real = pdf.html_to_pdf

    def spy(*, html, css):
        drawn.append(html)
        return real(html=html, css=css)

    monkeypatch.setattr(services.pdf, "html_to_pdf", spy)
    today = datetime.date.today()
    for version in ("care_team", "client"):
        data = services.render_progress_pdf(
            client=world.client,
            viewer=world.therapist.user,
            period=(today - datetime.timedelta(days=30), today + datetime.timedelta(days=1)),
            sections=list(progress.SECTIONS),
            version=version,
        )
        text = pdf_text(data)
        for secret in secrets:
            assert secret not in drawn[-1]
            assert secret not in text


def _export_text(world, persona: str) -> str:
    """Every file of the data export `persona` makes of the world's client, decompressed."""
    import io
    import zipfile

    pages = {
        "client": reverse("reports:my_export"),
        "therapist": reverse("reports:export", args=[world.client.pk]),
        "admin": reverse("reports:admin_export", args=[world.client.pk]),
    }
    http = world.as_(persona)
    status = http.post(pages[persona])["Location"]
    download = http.post(status + "download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    return archive_text(archive)


@pytest.mark.parametrize("thing", sorted(PRIVATE_THINGS))
def test_private_things_are_in_the_clients_export_only(world, thing):
    secrets = PRIVATE_THINGS[thing](world)
    for persona in STAFF:
        text = _export_text(world, persona)
        assert not [secret for secret in secrets if secret in text], persona
    own = _export_text(world, "client")
    # An insight is worked out when read, not held: the export carries the records it comes
    # from (and the client's choice not to share it), not its sentence.
    if thing != "insight not shared":
        assert all(secret in own for secret in secrets)
    assert "PRIVATE-NOTE-TEXT" not in own  # the therapist's session note is not the client's
