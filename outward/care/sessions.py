"""The session store Outward runs with (settings.SESSION_ENGINE): the accounts room's, which
reads the person with the session, plus who that person is to a practice — all in the one
statement every signed-in request makes."""

from outward.accounts import sessions

from .models import Client, Membership, Practice


class SessionStore(sessions.SessionStore):
    joins = (
        *sessions.SessionStore.joins,
        sessions.Join("membership", Membership, "user", "session", "user"),
        sessions.Join("membership_practice", Practice, "id", "membership", "practice"),
        sessions.Join("client", Client, "user", "session", "user"),
        sessions.Join("client_practice", Practice, "id", "client", "practice"),
    )
