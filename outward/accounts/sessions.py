"""Django's database sessions, read with their person in one statement: a session is read on
every signed-in request, and so is whose it is."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.db.models import Model
from django.utils import timezone

from outward.lib.rows import Columns, split, table

from .models import User

# The rows read with the session of the request being served, by join name; None until a
# session is read. Emptied as each request starts (apps.py), so nothing read for one request
# is seen by the next one served by the same thread.
_read: ContextVar[dict[str, Model | None] | None] = ContextVar("outward_session_read", default=None)


@dataclass(frozen=True)
class Join:
    """A row read with the session, in the same statement (a LEFT JOIN): the `model` row whose
    `field` equals `to_field` of the row read as `to` ("session" for the session row itself).
    `field` must be unique, so that at most one row is joined."""

    name: str
    model: type[Model]
    field: str
    to: str
    to_field: str


def read_with_session(name: str) -> Model | None:
    """The row read as `name` with this request's session, or None (no such row, or no
    session read in this request)."""
    read = _read.get()
    return None if read is None else read.get(name)


def forget_reads(**kwargs) -> None:
    """A request starts: what was read with another request's session is not its own."""
    _read.set(None)


class _Statement:
    """The one SELECT of a store's joins for one database, and the objects its row makes."""

    def __init__(self, store: type["SessionStore"], connection):
        quote = connection.ops.quote_name
        session = store.get_model_class()
        aliases, models, tables = {"session": "s"}, {"session": session}, []
        self.names, self.columns = [], []
        for number, join in enumerate(store.joins):
            alias = aliases[join.name] = f"j{number}"
            models[join.name] = join.model
            near = join.model._meta.get_field(join.field).column
            far = models[join.to]._meta.get_field(join.to_field).column
            tables.append(
                f"LEFT JOIN {table(join.model, connection)} {alias} "
                f"ON {alias}.{quote(near)} = {aliases[join.to]}.{quote(far)}"
            )
            self.names.append(join.name)
            self.columns.append(Columns(join.model, alias, connection))
        self.sql = (
            f"SELECT s.{quote('session_data')}, "  # noqa: S608
            f"{', '.join(part.select for part in self.columns)} "
            f"FROM {table(session, connection)} s {' '.join(tables)} "
            f"WHERE s.{quote('session_key')} = %s AND s.{quote('expire_date')} > %s"
        )

    def rows(self, values: tuple, connection) -> dict[str, Model | None]:
        """The joined rows of one answer, by join name (None where nothing joined)."""
        return dict(zip(self.names, split(values, self.columns, connection), strict=True))


class SessionStore(db.SessionStore):
    """Stored, renewed and ended exactly as Django's database sessions (signing out, "sign out
    everywhere" and the idle time-out work on the stored row). Two things differ:

    - the row says whose session it is (Session.user, written from the data on every save);
    - a read is one plain SQL statement that also reads the `joins` (the person, here; the care
      room adds who they are to a practice): building ORM queries on every request cost
      several times the database's answers. The authentication backend and the practice
      role middleware take the rows from here (read_with_session) instead of asking again."""

    joins: tuple[Join, ...] = (Join("user", User, "id", "session", "user"),)
    _statements: dict = {}

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        key = (type(self), connection.alias)
        statement = self._statements.get(key)
        if statement is None:
            statement = self._statements[key] = _Statement(type(self), connection)
        with connection.cursor() as cursor:
            cursor.execute(
                statement.sql,
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            _read.set({})
            self._session_key = None
            return None
        _read.set(statement.rows(row[1:], connection))
        return model(session_key=self.session_key, session_data=row[0])
