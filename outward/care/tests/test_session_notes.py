import datetime

import pytest
from django.urls import reverse

from outward.care.models import AuditEvent, SessionNote


def notes_url(world):
    return reverse("care:session_notes", args=[world.client.pk])


def test_write_a_note(world):
    response = world.as_("therapist").post(
        notes_url(world), {"session_date": "2026-11-20", "text": "Planned a low-key first step."}
    )
    assert response.status_code == 302
    note = SessionNote.objects.get(text="Planned a low-key first step.")
    assert note.author == world.therapist.user and note.session_date == datetime.date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="create", target=f"sessionnote:{note.pk}").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"session_date": "2031-01-01", "text": "x"}, "cannot be in the future"),
        ({"session_date": "2999-01-01", "text": "x"}, "Enter a date between"),
        ({"session_date": "yesterday", "text": "x"}, "Enter a valid date"),
        ({"session_date": "2026-11-20", "text": ""}, "This field is required"),
        ({}, "This field is required"),
    ],
)
def test_bad_note_is_refused_with_field_errors(world, data, message):
    count = SessionNote.objects.count()
    response = world.as_("therapist").post(notes_url(world), data)
    assert response.status_code == 200
    assert message in response.text
    assert SessionNote.objects.count() == count


def test_edit_a_note(world):
    note = world.client.session_notes.get()
    url = reverse("care:session_note_edit", args=[world.client.pk, note.pk])
    response = world.as_("therapist").post(url, {"session_date": "2026-11-03", "text": "Edited."})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.session_date) == ("Edited.", datetime.date(2026, 11, 3))
    assert AuditEvent.objects.filter(action="update", target=f"sessionnote:{note.pk}").exists()


def test_note_of_another_client_cannot_be_reached_through_my_client(world):
    from outward.care import services

    foreign = services.session_note_create(
        client=world.other_client,
        author=world.colleague.user,
        session_date=datetime.date(2026, 11, 1),
        text="x",
        ip=None,
    )
    url = reverse("care:session_note_edit", args=[world.client.pk, foreign.pk])
    assert world.as_("therapist").get(url).status_code == 404


def test_notes_never_reach_the_client(world):
    http = world.as_("client")
    for name in ["care:today", "accounts:account"]:
        response = http.get(reverse(name))
        assert response.status_code == 200
        assert "PRIVATE-NOTE-TEXT" not in response.text


def test_notes_page_lists_notes_and_is_audited(world):
    response = world.as_("therapist").get(notes_url(world))
    assert "PRIVATE-NOTE-TEXT" in response.text
    assert AuditEvent.objects.filter(client=world.client, action="view").exists()


def test_notes_page_query_count_is_constant(world, django_assert_max_num_queries):
    from outward.care import services

    for day in range(1, 25):
        services.session_note_create(
            client=world.client,
            author=world.therapist.user,
            session_date=datetime.date(2026, 10, day),
            text="n",
            ip=None,
        )
    http = world.as_("therapist")
    with django_assert_max_num_queries(12):  # the audit event is 3 (a hash-chain link)
        assert http.get(notes_url(world)).status_code == 200


def test_a_refused_note_still_audits_the_notes_it_showed(world):
    before = AuditEvent.objects.filter(action="view").count()
    world.as_("therapist").post(notes_url(world), {"session_date": "2026-11-20", "text": ""})
    assert AuditEvent.objects.filter(action="view").count() == before + 1


def test_only_the_author_edits_a_note(world):
    from outward.care import services

    services.care_team_add(
        client=world.client, therapist=world.colleague, actor=world.admin.user, ip=None
    )
    note = world.client.session_notes.get()
    url = reverse("care:session_note_edit", args=[world.client.pk, note.pk])
    colleague = world.as_("colleague")
    assert "PRIVATE-NOTE-TEXT" in colleague.get(notes_url(world)).text  # reads it
    assert url not in colleague.get(notes_url(world)).text
    assert colleague.post(url, {"session_date": "2026-11-03", "text": "x"}).status_code == 404
    note.refresh_from_db()
    assert note.text.startswith("PRIVATE-NOTE-TEXT")
