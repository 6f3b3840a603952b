"""Model objects from the rows of a plain SQL statement, made as the ORM would make them. For
the few reads made on every request, where building the ORM's query cost more than the
database's answer (the session with its person, the gate to a client's record)."""

from collections.abc import Sequence

from django.db import connection as default_connection
from django.db.models import Model


def table(model: type[Model], connection=default_connection) -> str:
    """`model`'s table name as plain SQL names it (quoted)."""
    return connection.ops.quote_name(model._meta.db_table)


class Columns:
    """`model`'s columns in plain SQL, read from the table named `alias` (`select`), and what
    the ORM does to each value it reads (the backend's and the field's converters: aware
    times, booleans on SQLite), so that a row of them makes the object a query would."""

    def __init__(self, model: type[Model], alias: str, connection):
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        self.model = model
        self.select = ", ".join(f"{alias}.{quote(field.column)}" for field in fields)
        self.width = len(fields)
        self.attnames = [field.attname for field in fields]
        self.pk = self.attnames.index(model._meta.pk.attname)
        self.readers = []
        for position, field in enumerate(fields):
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            )
            if converters:
                self.readers.append((position, column, converters))

    def make(self, values: Sequence, connection) -> Model | None:
        """The object these values make, or None if its key is NULL (an outer join found
        nothing)."""
        if values[self.pk] is None:
            return None
        values = list(values)
        for position, column, converters in self.readers:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def split(row: Sequence, columns: Sequence[Columns], connection) -> list[Model | None]:
    """The objects of one row that reads each of `columns` in turn (their `select`s joined)."""
    objects, start = [], 0
    for part in columns:
        objects.append(part.make(row[start : start + part.width], connection))
        start += part.width
    return objects
