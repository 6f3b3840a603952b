"""Lesson pages: the care team assigns from the Skills tab, the client reads from Today,
marks read and answers; practice admins write lessons with a server-rendered preview."""

import pytest
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.care.records import Visibility
from outward.conftest import make_staff
from outward.skills import services
from outward.skills.models import Lesson, LessonAssignment

LESSONS = {"client": "/me/skills/lessons/", "therapist": "/clients/{client}/skills/lessons/"}


def _assign(world, key="thinking-traps", client=None):
    client = client or world.client
    actor = world.therapist.user if client == world.client else world.colleague.user
    return services.lesson_assign(client=client, actor=actor, lesson_key=key, ip=None)


def _read(world, assignment, reflection="", visibility=Visibility.SHARED):
    return services.lesson_mark_read(
        assignment=assignment,
        actor=world.client.user,
        reflection=reflection,
        reflection_visibility=visibility,
        ip=None,
    )


def _practice_lesson(world, n=0, **fields):
    return services.practice_lesson_create(
        practice=world.practice,
        author=world.admin.user,
        title=fields.get("title", f"Practice lesson {n}"),
        slug=f"lesson-{n}",
        body=fields.get("body", "Some *words*."),
        sources="- Someone (2020).",
        reflection_question="What stood out?",
        published=True,
    )


# Assigning ---------------------------------------------------------------------------------


def test_the_therapist_assigns_a_lesson(world):
    url = reverse("skills:lesson_assign", args=[world.client.pk])

    response = world.as_("therapist").post(url, {"lesson": "facing-fears-gradually"})

    assert response.status_code == 302
    assert response["Location"] == reverse("skills:lessons", args=[world.client.pk])
    assignment = LessonAssignment.objects.get()
    assert (assignment.client, assignment.author, assignment.lesson_key) == (
        world.client,
        world.therapist.user,
        "facing-fears-gradually",
    )
    assert AuditEvent.objects.filter(
        client=world.client, actor=world.therapist.user, action=AuditEvent.Action.CREATE
    ).exists()


def test_assigning_an_unread_lesson_again_says_so_and_writes_nothing(world):
    _assign(world)
    url = reverse("skills:lesson_assign", args=[world.client.pk])

    response = world.as_("therapist").post(url, {"lesson": "thinking-traps"}, follow=True)

    assert "already waiting to be read" in response.text
    assert LessonAssignment.objects.count() == 1


@pytest.mark.parametrize("persona", ["colleague", "stranger", "client", "admin"])
def test_only_the_care_team_assigns(world, persona):
    url = reverse("skills:lesson_assign", args=[world.client.pk])

    response = world.as_(persona).post(url, {"lesson": "thinking-traps"})

    assert response.status_code == 404
    assert not LessonAssignment.objects.exists()


def test_the_skills_tab_shows_lessons_assigned_and_read(world):
    read = _assign(world, "thinking-traps")
    _read(world, read, "I mind-read a lot", Visibility.SHARED)
    _assign(world, "technology-mindfully")

    response = world.as_("therapist").get(LESSONS["therapist"].format(client=world.client.pk))

    assert response.status_code == 200
    assert "Thinking traps" in response.text and "Using technology mindfully" in response.text
    assert "I mind-read a lot" in response.text
    assert "Unread" in response.text
    assert 'name="lesson"' in response.text  # the assign form
    assert AuditEvent.objects.filter(
        client=world.client, action=AuditEvent.Action.VIEW, actor=world.therapist.user
    ).exists()


def test_the_overview_links_to_lessons(world):
    response = world.as_("client").get("/me/skills/")

    assert 'href="/me/skills/lessons/"' in response.text


def test_a_stranger_cannot_see_the_lessons(world):
    _assign(world)
    assignment = LessonAssignment.objects.get()
    for url in [
        LESSONS["therapist"].format(client=world.client.pk),
        reverse("skills:lesson", args=[world.client.pk, assignment.pk]),
    ]:
        assert world.as_("stranger").get(url).status_code == 404


# Reading -----------------------------------------------------------------------------------


def test_an_unread_lesson_is_a_short_read_on_today(world):
    assignment = _assign(world, "opening-up-gradually")

    response = world.as_("client").get(reverse("care:today"))

    assert "A short read: Opening up a little at a time" in response.text
    assert reverse("skills:my_lesson", args=[assignment.pk]) in response.text

    _read(world, assignment)
    response = world.as_("client").get(reverse("care:today"))
    assert "A short read" not in response.text


def test_another_clients_lesson_is_not_on_today(world):
    _assign(world, client=world.other_client)

    assert "A short read" not in world.as_("client").get(reverse("care:today")).text


def test_the_client_reads_a_lesson_on_a_phone_first_page(world):
    assignment = _assign(world, "why-connection-matters")

    response = world.as_("client").get(reverse("skills:my_lesson", args=[assignment.pk]))

    assert response.status_code == 200
    assert 'class="lesson stack"' in response.text
    assert "<h2>What the research suggests</h2>" in response.text
    assert "Holt-Lunstad, J., Smith, T. B., &amp; Layton, J. B. (2010)" in response.text
    assert "Who is one person you felt a little better" in response.text
    assert 'value="private"' in response.text and 'value="shared"' in response.text


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.SHARED])
def test_the_client_marks_read_and_answers(world, visibility):
    assignment = _assign(world)
    url = reverse("skills:my_lesson", args=[assignment.pk])

    response = world.as_("client").post(
        url, {"reflection": "Fortune telling", "visibility": visibility}
    )

    assert response.status_code == 302
    saved = LessonAssignment.objects.get()
    assert saved.read_at is not None
    assert (saved.reflection, saved.reflection_visibility) == ("Fortune telling", visibility)
    assert AuditEvent.objects.filter(
        client=world.client, actor=world.client.user, action=AuditEvent.Action.UPDATE
    ).exists()


def test_the_client_must_choose_who_sees_the_answer(world):
    assignment = _assign(world)
    url = reverse("skills:my_lesson", args=[assignment.pk])

    response = world.as_("client").post(url, {"reflection": "x"})

    assert response.status_code == 200
    assert LessonAssignment.objects.get().read_at is None


def test_the_care_team_reads_but_cannot_answer(world):
    assignment = _assign(world)
    url = reverse("skills:lesson", args=[world.client.pk, assignment.pk])

    page = world.as_("therapist").get(url)
    posted = world.as_("therapist").post(url, {"reflection": "x", "visibility": "shared"})

    assert page.status_code == 200
    assert "Not read yet." in page.text
    assert 'name="reflection"' not in page.text
    assert posted.status_code == 404
    assert LessonAssignment.objects.get().read_at is None


def test_the_care_team_sees_a_shared_answer_and_only_that_a_private_one_exists(world):
    shared = _assign(world, "thinking-traps")
    _read(world, shared, "Shared words", Visibility.SHARED)
    private = _assign(world, "facing-fears-gradually")
    _read(world, private, "Private words", Visibility.PRIVATE)
    http = world.as_("therapist")

    shared_page = http.get(reverse("skills:lesson", args=[world.client.pk, shared.pk]))
    private_page = http.get(reverse("skills:lesson", args=[world.client.pk, private.pk]))

    assert "Shared words" in shared_page.text
    assert "Private words" not in private_page.text
    assert "kept their answer private" in private_page.text


def test_another_clients_lesson_is_missing(world):
    theirs = _assign(world, client=world.other_client)

    assert world.as_("client").get(reverse("skills:my_lesson", args=[theirs.pk])).status_code == 404
    response = world.as_("client").post(
        reverse("skills:my_lesson", args=[theirs.pk]), {"visibility": "shared"}
    )
    assert response.status_code == 404
    assert LessonAssignment.objects.get().read_at is None


def test_a_practice_lesson_with_a_script_renders_as_text(world):
    lesson = _practice_lesson(
        world, body="<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://a.test)"
    )
    assignment = _assign(world, lesson.key)

    response = world.as_("client").get(reverse("skills:my_lesson", args=[assignment.pk]))

    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert 'href="javascript' not in response.text
    assert '<a href="https://a.test" rel="nofollow noopener noreferrer">ok</a>' in response.text


# Query counts ------------------------------------------------------------------------------


def _many(world, start, stop):
    for i in range(start, stop):
        assignment = _assign(world, _practice_lesson(world, i).key)
        if i % 2:
            visibility = Visibility.SHARED if i % 4 == 1 else Visibility.PRIVATE
            _read(world, assignment, f"answer {i}", visibility)


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_lessons_list_costs_the_same_for_many_lessons(
    world, persona, django_assert_max_num_queries
):
    url = LESSONS[persona].format(client=world.client.pk)
    http = world.as_(persona)
    _assign(world, "thinking-traps")
    _many(world, 0, 2)
    http.get(url)  # warm the session
    with django_assert_max_num_queries(100) as few:
        http.get(url)
    _many(world, 2, 40)  # more than a page

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = http.get(url)
    assert response.status_code == 200
    assert response.text.count("<tr>") == 1 + 25  # the head row and one page
    assert "Page 1 of 2" in response.text


def test_the_practice_lessons_list_costs_the_same_for_many_lessons(
    world, django_assert_max_num_queries
):
    http = world.as_("admin")
    url = reverse("skills:practice_lessons")
    for i in range(2):
        _practice_lesson(world, i)
    http.get(url)  # warm the session
    with django_assert_max_num_queries(100) as few:
        http.get(url)
    for i in range(2, 20):
        _practice_lesson(world, i)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = http.get(url)
    assert response.status_code == 200
    assert "Practice lesson 19" in response.text


def test_today_costs_the_same_for_many_unread_lessons(world, django_assert_max_num_queries):
    http = world.as_("client")
    _assign(world)
    _assign(world, _practice_lesson(world, 99).key)  # both kinds: library and practice
    http.get(reverse("care:today"))
    with django_assert_max_num_queries(100) as few:
        http.get(reverse("care:today"))
    for i in range(10):
        _assign(world, _practice_lesson(world, i).key)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = http.get(reverse("care:today"))
    assert response.text.count('class="due-title">A short read:') == 3  # Today stays short


# Practice lessons --------------------------------------------------------------------------

LESSON_FORM = {
    "title": "Sleep and connection",
    "slug": "sleep-and-connection",
    "body": "## Rest\n\nSleep helps. <script>alert(1)</script> [x](javascript:alert(1))",
    "sources": "- Walker, M. (2017). *Why We Sleep*. Scribner.",
    "reflection_question": "How do you sleep before a social event?",
    "published": "on",
}


def test_the_admin_previews_without_saving(world):
    url = reverse("skills:practice_lesson_create")

    response = world.as_("admin").post(url, {**LESSON_FORM, "preview": "1"})

    assert response.status_code == 200
    assert not Lesson.objects.exists()
    assert "Preview — not saved yet" in response.text
    assert "<h2>Rest</h2>" in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)" not in response.text
    assert 'href="javascript' not in response.text


def test_the_admin_writes_and_edits_a_lesson(world):
    http = world.as_("admin")

    response = http.post(reverse("skills:practice_lesson_create"), LESSON_FORM)

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.practice, lesson.author, lesson.published, lesson.version) == (
        world.practice,
        world.admin.user,
        True,
        1,
    )
    edit = reverse("skills:practice_lesson_edit", args=[lesson.pk])
    assert "Sleep and connection" in http.get(edit).text
    response = http.post(edit, {**LESSON_FORM, "body": "New words."})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.body, lesson.version) == ("New words.", 2)
    assert "Sleep and connection" in http.get(reverse("skills:practice_lessons")).text


def test_a_duplicate_slug_is_an_error_not_a_500(world):
    _practice_lesson(world, 0)

    response = world.as_("admin").post(
        reverse("skills:practice_lesson_create"), {**LESSON_FORM, "slug": "lesson-0"}
    )

    assert response.status_code == 200
    assert Lesson.objects.count() == 1


@pytest.mark.parametrize("persona", ["therapist", "client", "stranger"])
def test_only_practice_admins_write_lessons(world, persona):
    response = world.as_(persona).post(reverse("skills:practice_lesson_create"), LESSON_FORM)

    assert response.status_code == 404
    assert not Lesson.objects.exists()


def test_another_practices_admin_cannot_edit(world):
    lesson = _practice_lesson(world)
    make_staff(world.other_practice, "hal@hilltop.test", "Hal Admin", is_admin=True)
    http = world.as_("anonymous")
    from outward.accounts.models import User

    http.force_login(User.objects.get(email="hal@hilltop.test"))

    url = reverse("skills:practice_lesson_edit", args=[lesson.pk])
    assert http.get(url).status_code == 404
    assert http.post(url, {**LESSON_FORM, "title": "Hijacked"}).status_code == 404
    assert Lesson.objects.get().title == "Practice lesson 0"


def test_the_practice_page_prompts_for_lessons_until_one_is_written_and_links_them_always(world):
    http = world.as_("admin")
    page = http.get(reverse("care:practice"))
    assert "can also write its own" in page.text
    assert reverse("skills:practice_lessons") in page.text

    _practice_lesson(world)

    page = http.get(reverse("care:practice"))
    assert "can also write its own" not in page.text
    assert reverse("skills:practice_lessons") in page.text
