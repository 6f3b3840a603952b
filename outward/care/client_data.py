"""What every room holds about a client, declared once and used for both of the client's data
rights: the export (JSON, a CSV per kind) and the erasure when a closed account's retention
period ends. A room adding a model that points at a client registers it here in its
AppConfig.ready(); a test walks every model with a foreign-key path to a client and fails
when one is neither registered nor erased by a cascade from a registered one.

Export reads go through `rows(client, viewer)`, so a kind that a client can keep private is
read for the viewer as its room's selectors would: the private parts only for the client.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .records import ClientRecord

Rows = Callable[[Any, Any], models.QuerySet]


@dataclass(frozen=True)
class ClientDataKind:
    """One kind of record a room holds about a client.

    `name` is stable: it names the JSON key and the CSV file of the export, and is part of the
    export schema (docs/export-schema.md). `fields` are the model's fields written out (a
    foreign key as its id). `client_path` is the lookup from the model to the client
    (e.g. "readiness__client" for a row under a readiness check). `rows(client, viewer)`
    overrides how the rows are read (a child of a record the client may keep private reads
    its parent through `for_viewer`). `exported=False` marks rows that are erased but are
    not the client's to take with them (the therapist's own notes, delivery bookkeeping).
    `clinical=False` marks settings and bookkeeping rather than care."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...] = ()
    client_path: str = "client"
    rows: Rows | None = None
    exported: bool = True
    # False for settings and bookkeeping (a reminder time, a care-team place): a client whose
    # record holds none of the clinical kinds never became a client in care, so closing their
    # account erases it at once instead of keeping it for the retention period.
    clinical: bool = True

    def queryset(self, *, client, viewer) -> models.QuerySet:
        """This client's rows as the viewer may see them, in a stable order. One query."""
        if self.rows is not None:
            found = self.rows(client, viewer)
        elif issubclass(self.model, ClientRecord):
            found = self.model.objects.for_viewer(client=client, viewer=viewer)
        else:
            found = self.model._default_manager.filter(**{self.client_path: client})
        return found.order_by("pk")

    def erasable(self, *, client) -> models.QuerySet:
        """Every row of this kind for the client, private or not (for erasure)."""
        return self.model._default_manager.filter(**{self.client_path: client})

    def columns(self) -> tuple[str, ...]:
        return ("id", *self.fields)

    def values(self, record) -> Iterator[Any]:
        """The exported values of one row, a foreign key as its id."""
        yield record.pk
        for name in self.fields:
            model_field = self.model._meta.get_field(name)
            yield getattr(record, model_field.attname)


@dataclass
class _Registry:
    kinds: dict[str, ClientDataKind] = field(default_factory=dict)


_registry = _Registry()


def register_client_data(*kinds: ClientDataKind) -> None:
    for kind in kinds:
        if kind.name in _registry.kinds:
            raise ValueError(f"client data kind {kind.name!r} is registered twice")
        for name in kind.fields:
            kind.model._meta.get_field(name)  # a typo stops start-up, naming the field
        _registry.kinds[kind.name] = kind


def client_data_kinds(*, exported: bool | None = None) -> list[ClientDataKind]:
    """The registered kinds, in registration order (rooms register in INSTALLED_APPS order)."""
    return [
        kind for kind in _registry.kinds.values() if exported is None or kind.exported == exported
    ]


def registered_models() -> set[type[models.Model]]:
    return {kind.model for kind in _registry.kinds.values()}


@dataclass(frozen=True)
class ExportFile:
    """A file a room adds to the client's export in a format of its own (e.g. the FHIR Bundle
    of questionnaire responses): `pieces(client, viewer)` yields its text in pieces, so a
    large file never sits in memory whole, in a constant number of queries."""

    name: str  # its path in the ZIP, stable like a kind's name
    pieces: Callable[[Any, Any], Iterator[str]]


_export_files: dict[str, ExportFile] = {}


def register_export_file(export_file: ExportFile) -> None:
    if export_file.name in _export_files:
        raise ValueError(f"export file {export_file.name!r} is registered twice")
    _export_files[export_file.name] = export_file


def export_files() -> list[ExportFile]:
    return list(_export_files.values())
