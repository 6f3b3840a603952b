from django.urls import reverse

from outward.accounts.models import User
from outward.care.models import AuditEvent, CareTeamMember, Membership
from outward.conftest import PASSWORD


def test_practice_page_lists_staff(world):
    text = world.as_("admin").get(reverse("care:practice")).text
    for name in ["Tara Therapist", "Cole Colleague", "Ada Admin"]:
        assert name in text
    assert "Sven Stranger" not in text


def test_invite_staff(world, client):
    http = world.as_("admin")
    response = http.post(
        reverse("care:staff_invite"),
        {"full_name": "Nova New", "email": "nova@riverside.test", "is_therapist": "on"},
    )
    assert response.status_code == 200
    member = Membership.objects.get(user__email="nova@riverside.test")
    assert member.practice == world.practice and member.is_therapist and not member.is_admin
    path = response.context["link"].removeprefix("http://testserver")
    client.post(
        path, {"password": "a long and new password", "password_again": "a long and new password"}
    )
    assert client.get("/")["Location"] == reverse("care:caseload")


def test_invite_staff_bad_input(world):
    http = world.as_("admin")
    response = http.post(
        reverse("care:staff_invite"),
        {"full_name": "X", "email": "cole@riverside.test", "is_therapist": "on"},
    )
    assert "cannot be used for a new account" in response.text
    response = http.post(
        reverse("care:staff_invite"), {"full_name": "X", "email": "x@riverside.test"}
    )
    assert "Choose at least one role" in response.text
    assert not User.objects.filter(email="x@riverside.test").exists()


def test_deactivate_and_reactivate(world, client):
    url = reverse("care:staff_active", args=[world.colleague.pk])
    world.as_("admin").post(url, {"active": "0", "confirmed": "1"})
    world.colleague.refresh_from_db()
    assert not world.colleague.is_active and not world.colleague.user.is_active
    assert (
        client.post("/login/", {"email": "cole@riverside.test", "password": PASSWORD}).status_code
        == 200
    )
    world.as_("admin").post(url, {"active": "1"})
    assert (
        client.post("/login/", {"email": "cole@riverside.test", "password": PASSWORD}).status_code
        == 302
    )


def test_admin_cannot_deactivate_self(world):
    url = reverse("care:staff_active", args=[world.admin.pk])
    response = world.as_("admin").post(url, {"active": "0"}, follow=True)
    assert "cannot deactivate yourself" in response.text
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_admin_cannot_touch_another_practices_staff(world):
    url = reverse("care:staff_active", args=[world.stranger.pk])
    assert world.as_("admin").post(url, {"active": "0"}).status_code == 404


def test_care_team_assignment_grants_and_removes_access(world):
    url = reverse("care:care_team", args=[world.client.pk])
    detail = reverse("care:client_detail", args=[world.client.pk])
    admin = world.as_("admin")
    admin.post(url, {"therapist": world.colleague.pk})
    assert world.as_("colleague").get(detail).status_code == 200
    admin.post(url, {"therapist": world.colleague.pk, "remove": "1", "confirmed": "1"})
    assert world.as_("colleague").get(detail).status_code == 404
    events = AuditEvent.objects.filter(client=world.client, actor=world.admin.user)
    actions = list(events.order_by("id").values_list("action", flat=True))
    assert actions == ["care_team_add", "care_team_remove"]


def test_care_team_refuses_other_practice_and_bad_values(world):
    url = reverse("care:care_team", args=[world.client.pk])
    for value in [world.stranger.pk, "abc", ""]:
        response = world.as_("admin").post(url, {"therapist": value})
        assert response.status_code == 200
        assert "Select a valid choice" in response.text or "required" in response.text
    assert not CareTeamMember.objects.filter(therapist=world.stranger).exists()


def test_admin_reads_audit_log_but_not_clinical_content(world):
    world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk]))
    response = world.as_("admin").get(reverse("care:audit_log", args=[world.client.pk]))
    assert "Tara Therapist" in response.text and "viewed" in response.text
    assert "PRIVATE-NOTE-TEXT" not in response.text
    clients_page = world.as_("admin").get(reverse("care:practice_clients")).text
    assert "Casey Client" in clients_page and "PRIVATE-NOTE-TEXT" not in clients_page


def test_practice_clients_query_count_is_constant(world, django_assert_max_num_queries):
    from outward.conftest import make_client

    for number in range(30):
        make_client(world.therapist, f"q{number}@client.test", f"Q {number}", joined=False)
    http = world.as_("admin")
    with django_assert_max_num_queries(9):  # 6 for the page, 3 for the session
        assert http.get(reverse("care:practice_clients")).status_code == 200


def test_require_two_factor_setting(world):
    world.as_("admin").post(reverse("care:practice"), {"require_two_factor": "on"})
    world.practice.refresh_from_db()
    assert world.practice.require_two_factor


def test_deactivating_someone_who_has_not_joined_revokes_their_link(world, client):
    response = world.as_("admin").post(
        reverse("care:staff_invite"),
        {"full_name": "Lee Late", "email": "lee@riverside.test", "is_therapist": "on"},
    )
    path = response.context["link"].removeprefix("http://testserver")
    member = Membership.objects.get(user__email="lee@riverside.test")
    world.as_("admin").post(
        reverse("care:staff_active", args=[member.pk]), {"active": "0", "confirmed": "1"}
    )
    assert client.get(path).status_code == 410
    response = world.as_("admin").post(
        reverse("care:staff_invitation", args=[member.pk]), follow=True
    )
    assert "Reactivate Lee Late first" in response.text


def test_staff_active_needs_a_clear_value(world):
    url = reverse("care:staff_active", args=[world.colleague.pk])
    assert world.as_("admin").post(url, {}).status_code == 400
    world.colleague.refresh_from_db()
    assert world.colleague.is_active


def test_deactivated_therapist_can_be_taken_off_a_care_team(world):
    url = reverse("care:care_team", args=[world.other_client.pk])
    world.as_("admin").post(
        reverse("care:staff_active", args=[world.colleague.pk]), {"active": "0", "confirmed": "1"}
    )
    assert "Cole Colleague" not in world.as_("other_client").get(reverse("care:today")).text
    world.as_("admin").post(url, {"therapist": world.colleague.pk, "remove": "1", "confirmed": "1"})
    assert not CareTeamMember.objects.filter(client=world.other_client).exists()


def test_care_team_changes_that_change_nothing_leave_no_event(world):
    url = reverse("care:care_team", args=[world.client.pk])
    admin = world.as_("admin")
    admin.post(url, {"therapist": world.therapist.pk})  # already on it
    admin.post(url, {"therapist": world.colleague.pk, "remove": "1"})  # not on it
    assert not AuditEvent.objects.filter(action__startswith="care_team").exists()


def test_admin_pages_about_a_client_are_audited(world):
    for name in ["care:care_team", "care:audit_log"]:
        world.as_("admin").get(reverse(name, args=[world.client.pk]))
    views = AuditEvent.objects.filter(client=world.client, actor=world.admin.user, action="view")
    assert views.count() == 2


def test_overlong_email_is_a_field_error(world):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".test"
    for url, data in [
        (reverse("care:staff_invite"), {"full_name": "X", "email": email, "is_therapist": "on"}),
        (reverse("care:client_create"), {"display_name": "X", "email": email}),
    ]:
        persona = "admin" if "practice" in url else "therapist"
        response = world.as_(persona).post(url, data)
        assert response.status_code == 200
        assert 'class="error"' in response.text


def test_practice_and_audit_pages_query_count_is_constant(world, django_assert_max_num_queries):
    from outward.conftest import make_staff

    for number in range(30):
        make_staff(world.practice, f"s{number}@riverside.test", f"Staff {number}")
    detail = reverse("care:client_detail", args=[world.client.pk])
    therapist = world.as_("therapist")
    for _view in range(60):
        therapist.get(detail)
    admin = world.as_("admin")
    for url in [reverse("care:practice"), reverse("care:audit_log", args=[world.client.pk])]:
        # The audit page's own view event is a link of the hash chain: lock the head, insert,
        # move the head.
        with django_assert_max_num_queries(12):
            assert admin.get(url).status_code == 200
