"""How a session's user is read: on every signed-in request, so in as little time as possible."""

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from .models import User
from .sessions import read_with_session


class UserBackend(ModelBackend):
    """Django's model backend (sign-in by e-mail and password is unchanged). The user of a
    session was read with the session row itself (sessions.SessionStore); otherwise with one
    plain SQL statement, cheaper to make than the same ORM query."""

    def get_user(self, user_id):
        user = read_with_session("user")
        if user is None or str(user.pk) != str(user_id):
            table = connection.ops.quote_name(User._meta.db_table)
            pk = connection.ops.quote_name(User._meta.pk.column)
            # The id comes from the signed session; it is passed as a parameter all the same.
            found = list(User.objects.raw(f"SELECT * FROM {table} WHERE {pk} = %s", [user_id]))  # noqa: S608
            user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
