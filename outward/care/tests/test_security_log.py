"""The practice's security and administration log: what is recorded, and the admin's page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from outward.care import services
from outward.care.models import SecurityEvent
from outward.conftest import PASSWORD, make_staff

LOG = reverse("care:security_log")
Action = SecurityEvent.Action


def _events(**filters):
    return list(SecurityEvent.objects.filter(**filters).order_by("pk"))


def _sign_in(client, email, password, ip="203.0.113.9"):
    return client.post(
        reverse("accounts:login"), {"email": email, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_in_and_sign_out_of_staff_and_clients_go_to_their_practice(world, client):
    _sign_in(client, "tara@riverside.test", PASSWORD)
    client.post(reverse("accounts:logout"))
    _sign_in(client, "casey@client.test", PASSWORD)
    (staff_in,) = _events(action=Action.SIGN_IN, actor=world.therapist.user)
    (client_in,) = _events(action=Action.SIGN_IN, actor=world.client.user)
    (staff_out,) = _events(action=Action.SIGN_OUT)
    assert staff_in.practice == client_in.practice == staff_out.practice == world.practice
    assert staff_in.ip == "203.0.113.9"


def test_failed_sign_ins(world, client):
    _sign_in(client, "sven@hilltop.test", "wrong")
    _sign_in(client, "nobody@nowhere.test", "hunter2-typed-in-the-wrong-box")
    known, unknown = _events(action=Action.SIGN_IN_FAILED)
    assert (known.practice, known.target, known.actor) == (
        world.other_practice,
        "sven@hilltop.test",
        None,
    )
    # Unknown e-mails belong to no practice; the typed text is not kept, only where from.
    assert (unknown.practice, unknown.target, unknown.ip) == (None, "", "203.0.113.9")
    assert "hunter2" not in unknown.after and "nowhere" not in unknown.target


def test_password_change_and_reset_are_recorded(world, client):
    http = world.as_("therapist")
    http.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new sentence",
            "new_password2": "a brand new sentence",
        },
    )
    client.post(reverse("accounts:password_reset"), {"email": "casey@client.test"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form_url = client.get(link.split("testserver", 1)[1])["Location"]
    client.post(
        form_url, {"new_password1": "another long one", "new_password2": "another long one"}
    )
    assert [e.actor for e in _events(action=Action.PASSWORD_CHANGE)] == [world.therapist.user]
    assert [e.actor for e in _events(action=Action.PASSWORD_RESET_REQUEST)] == [world.client.user]
    assert [e.actor for e in _events(action=Action.PASSWORD_RESET)] == [world.client.user]


def test_accepting_an_invitation_is_recorded(world, client):
    from outward.conftest import make_client

    invited = make_client(world.therapist, "ivy@client.test", "Ivy Invited", joined=False)
    token = services.client_invitation_create(client=invited, actor=world.therapist.user, ip=None)
    new = "a long enough sentence"
    client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"password": new, "password_again": new},
    )
    actions = [e.action for e in _events(actor=invited.user)]
    assert actions == [Action.INVITATION_ACCEPT, Action.SIGN_IN]


def test_administration_is_recorded_with_before_and_after(world):
    admin = world.as_("admin")
    admin.post(
        reverse("care:staff_invite"),
        {"full_name": "Nia New", "email": "nia@riverside.test", "is_therapist": "on"},
        REMOTE_ADDR="198.51.100.7",
    )
    admin.post(
        reverse("care:staff_active", args=[world.colleague.pk]), {"active": "0", "confirmed": "1"}
    )
    admin.post(reverse("care:staff_active", args=[world.colleague.pk]), {"active": "1"})
    care_team = reverse("care:care_team", args=[world.client.pk])
    admin.post(care_team, {"therapist": world.colleague.pk})
    admin.post(care_team, {"therapist": world.colleague.pk, "remove": "1", "confirmed": "1"})
    admin.post(
        reverse("measures:practice_measures"),
        {"instrument": "phq9", "enabled": "0"},
    )
    admin.post(reverse("care:practice"), {"require_two_factor": "on"})  # last: it locks admin out
    rows = [
        (e.action, e.target, e.before, e.after)
        for e in _events(practice=world.practice, actor=world.admin.user)
        if e.action != Action.SIGN_IN
    ]
    colleague = "Cole Colleague <cole@riverside.test>"
    assert rows == [
        (Action.STAFF_INVITE, "Nia New <nia@riverside.test>", "", "therapist"),
        (Action.STAFF_DEACTIVATE, colleague, "active", "deactivated"),
        (Action.STAFF_REACTIVATE, colleague, "deactivated", "active"),
        (Action.CARE_TEAM_ADD, f"Casey Client (client {world.client.pk})", "", colleague),
        (Action.CARE_TEAM_REMOVE, f"Casey Client (client {world.client.pk})", "", colleague),
        (Action.LICENCE_SWITCH, "phq9", "on", "off"),
        (Action.PRACTICE_SETTINGS, "require two-step sign-in for staff", "off", "on"),
    ]
    assert _events(action=Action.STAFF_INVITE)[0].ip == "198.51.100.7"


def _fill(world, count, *, actor=None, action=Action.PRACTICE_SETTINGS):
    for number in range(count):
        services.security_event_record(
            practice=world.practice,
            actor=actor or world.admin.user,
            action=action,
            target=f"row {number}",
        )


def test_admin_page_lists_only_its_practice_newest_first_and_pages(world):
    _fill(world, 30)
    services.security_event_record(
        practice=world.other_practice, actor=world.stranger.user, action=Action.SIGN_IN
    )
    response = world.as_("admin").get(LOG)
    assert response.status_code == 200
    assert response.text.count("<tr>") == 1 + 25  # header + one page
    assert "row 29" in response.text and "row 4" not in response.text
    assert "Sven" not in response.text
    assert "row 0" in world.as_("admin").get(LOG, {"page": 2}).text


def test_admin_page_filters(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 15, tzinfo=datetime.UTC), tick=False)
    _fill(world, 1, action=Action.STAFF_INVITE)
    time_machine.move_to(datetime.datetime(2026, 11, 5, 15, tzinfo=datetime.UTC), tick=False)
    _fill(world, 1, actor=world.therapist.user, action=Action.TWO_FACTOR_OFF)
    admin = world.as_("admin")

    def rows(**query):
        return admin.get(LOG, query).context["page"].object_list

    assert [e.action for e in rows(action="two_factor_off")] == [Action.TWO_FACTOR_OFF]
    assert [e.actor for e in rows(actor="TARA@riverside.test")] == [world.therapist.user]
    assert [e.action for e in rows(date_from="2026-11-01", date_to="2026-11-02")] == [
        Action.STAFF_INVITE
    ]
    assert [e.action for e in rows(date_from="2026-11-03")][-1] == Action.TWO_FACTOR_OFF
    assert (
        "before the start date"
        in admin.get(LOG, {"date_from": "2026-11-05", "date_to": "2026-11-01"}).text
    )


@pytest.mark.parametrize("rows", [5, 60])
def test_admin_page_query_count_is_constant(world, rows, django_assert_max_num_queries):
    for number in range(rows // 5):
        staff = make_staff(world.practice, f"p{number}@riverside.test", f"P {number}")
        _fill(world, 5, actor=staff.user)
    admin = world.as_("admin")
    admin.get(LOG)
    # Session, user, membership + practice, the count, the page with its actors, the
    # session save (3).
    with django_assert_max_num_queries(8):
        assert admin.get(LOG, {"action": "practice_settings"}).status_code == 200
