"""How a session's user is read: on every signed-in request, so in as little time as possible."""

from django.contrib.auth.backends import ModelBackend

from .sessions import read_with_session


class UserBackend(ModelBackend):
    """Django's model backend (sign-in by e-mail and password is unchanged). The user of a
    session is the one read with the session row itself (sessions.SessionStore), without a
    query of its own; Django's read is left for a session whose row brought no such user."""

    def get_user(self, user_id):
        user = read_with_session("user")
        if user is None or str(user.pk) != str(user_id):
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
