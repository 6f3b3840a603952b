"""Personas shared by every room's tests: the six people of the access matrix."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client as HttpClient

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import Client, Membership, Practice

PASSWORD = "correct horse battery staple"
# Not UTC, and with a DST change, so time-zone mistakes show.
PRACTICE_TZ = "America/New_York"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_staff(practice: Practice, email: str, name: str, **roles) -> Membership:
    user = User.objects.create_user(email, PASSWORD, full_name=name, time_zone=practice.time_zone)
    return Membership.objects.create(user=user, practice=practice, **roles)


def raise_alert(client: Client, *, item9: int = 2, actor: User | None = None):
    """A PHQ-9 entered in session (by `actor`, else the client's first care-team therapist)
    with a risk answer (item 9 above 0, as `item9`): returns the risk alert it opens."""
    from outward.measures import services as measure_services

    answers = {str(n): 0 for n in range(1, 9)} | {"9": item9}
    return measure_services.response_enter(
        client=client,
        instrument_key="phq9",
        answers=answers,
        actor=actor or client.care_team.first().therapist.user,
        ip=None,
    ).alert


def make_client(therapist: Membership, email: str, name: str, *, joined: bool = True) -> Client:
    client = care_services.client_create(
        therapist=therapist, email=email, display_name=name, ip=None
    )
    if joined:
        client.user.set_password(PASSWORD)
        client.user.is_active = True
        client.user.save()
    return client


@dataclass
class World:
    practice: Practice
    other_practice: Practice
    therapist: Membership  # on the client's care team
    colleague: Membership  # same practice, not on the client's care team
    stranger: Membership  # therapist of another practice
    admin: Membership  # practice admin, not on any care team
    client: Client
    other_client: Client  # same practice, on the colleague's care team

    def as_(self, persona: str) -> HttpClient:
        """A test client signed in as one persona (or anonymous)."""
        http = HttpClient()
        user = self.user(persona)
        if user is not None:
            http.force_login(user)
        return http

    def user(self, persona: str) -> User | None:
        return {
            "therapist": self.therapist.user,
            "colleague": self.colleague.user,
            "stranger": self.stranger.user,
            "admin": self.admin.user,
            "client": self.client.user,
            "other_client": self.other_client.user,
            "anonymous": None,
        }[persona]


@pytest.fixture
def world(db) -> World:
    practice = care_services.practice_create(name="Riverside Practice", time_zone=PRACTICE_TZ)
    other = care_services.practice_create(name="Hilltop Practice", time_zone="Europe/Berlin")
    therapist = make_staff(practice, "tara@riverside.test", "Tara Therapist")
    colleague = make_staff(practice, "cole@riverside.test", "Cole Colleague")
    stranger = make_staff(other, "sven@hilltop.test", "Sven Stranger")
    admin = make_staff(
        practice, "ada@riverside.test", "Ada Admin", is_therapist=False, is_admin=True
    )
    client = make_client(therapist, "casey@client.test", "Casey Client")
    other_client = make_client(colleague, "olive@client.test", "Olive Other")
    care_services.session_note_create(
        client=client,
        author=therapist.user,
        session_date=datetime.date(2026, 11, 2),
        text="PRIVATE-NOTE-TEXT about the session",
        ip=None,
    )
    return World(practice, other, therapist, colleague, stranger, admin, client, other_client)
