"""A signed-in request reads its session, the person and who they are to a practice in one
statement (care.sessions): the same rows the ORM would read, nothing carried from one request
to the next, and the sessions of Django's old table moved over with whose they are."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from outward.accounts.models import Session, User
from outward.accounts.sessions import read_with_session
from outward.care.models import Client, Membership, Practice


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


@pytest.mark.parametrize("persona", ["therapist", "client", "admin"])
def test_a_signed_in_request_reads_the_session_person_and_role_in_one_statement(
    world, persona, django_assert_num_queries
):
    http = world.as_(persona)
    http.get("/healthz/")
    with django_assert_num_queries(1):
        assert http.get("/healthz/").status_code == 200


@pytest.mark.parametrize("persona", ["therapist", "client"])
def test_the_rows_read_with_the_session_are_the_ones_the_orm_reads(world, persona):
    request = world.as_(persona).get("/healthz/").wsgi_request
    user = User.objects.get(pk=request.user.pk)
    assert fields(request.user) == fields(user)
    if persona == "therapist":
        role, stored = request.membership, Membership.objects.get(user=user)
        assert request.portal_client is None
    else:
        role, stored = request.portal_client, Client.objects.get(user=user)
        assert request.membership is None
    assert fields(role) == fields(stored)
    assert role.user is request.user
    # Times come aware, as from the ORM, on either database.
    assert fields(role.practice) == fields(Practice.objects.get(pk=stored.practice_id))
    assert timezone.is_aware(role.practice.created)


def test_a_deactivated_staff_member_is_staff_no_more(world):
    http = world.as_("therapist")
    Membership.objects.filter(pk=world.therapist.pk).update(is_active=False)
    request = http.get("/healthz/").wsgi_request
    assert request.user.is_authenticated
    assert request.membership is None
    assert request.portal_client is None


def test_the_stored_session_says_whose_it_is(world):
    http = world.as_("client")
    assert list(Session.objects.values_list("user_id", flat=True)) == [world.client.user.pk]
    assert http.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.exists()


def test_nothing_read_for_one_request_reaches_the_next(world):
    world.as_("therapist").get("/healthz/")
    assert read_with_session("user") == world.therapist.user
    from django.test import Client as HttpClient

    request = HttpClient().get("/healthz/").wsgi_request
    assert not request.user.is_authenticated
    assert read_with_session("user") is None


BEFORE = [("accounts", "0005_formtoken")]
AFTER = [("accounts", "0006_session")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_live_sessions_move_to_the_new_table_with_whose_they_are(world):
    migrate(BEFORE)
    try:
        signed_in = DjangoSessionStore()
        signed_in[SESSION_KEY] = str(world.therapist.user.pk)
        signed_in.save()
        signed_out = DjangoSessionStore()
        signed_out["anything"] = 1
        signed_out.save()
        ended = DjangoSessionStore()
        ended[SESSION_KEY] = str(world.client.user.pk)
        ended.set_expiry(datetime.timedelta(seconds=-1))
        ended.save()
        migrate(AFTER)
        moved = dict(Session.objects.values_list("session_key", "user_id"))
        assert moved == {
            signed_in.session_key: world.therapist.user.pk,
            signed_out.session_key: None,
        }
        assert Session.objects.get(pk=signed_in.session_key).get_decoded()[SESSION_KEY] == str(
            world.therapist.user.pk
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_session")
            assert cursor.fetchone() == (0,)
    finally:
        migrate(AFTER)
