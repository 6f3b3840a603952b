"""What every client-owned record shares (DESIGN "Client record"), and who may see it.

A record belongs to one client: a check-in, a contact, a goal, a step. The client and the
therapists on their care team read it through a room's selectors. Some records, or some
fields of a record, the client may keep to themself (`Visibility.PRIVATE`).

Nobody asks the caller whether private things may be shown. A selector takes the viewer and
`for_viewer` decides: the client sees everything of theirs; anyone else (a therapist, an admin,
a background job, a report) gets the shared records only, with private fields blank, and the
private text is not even read from the database for them. Forgetting cannot leak.
"""

from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Client


class Visibility(models.TextChoices):
    SHARED = "shared", _("Shared with the care team")
    PRIVATE = "private", _("Only the client")


def visibility_field(verbose_name=None) -> models.CharField:
    return models.CharField(
        verbose_name or _("visibility"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.SHARED,
    )


def is_own_record(*, client: Client, viewer) -> bool:
    """True only when the viewer is the client themself."""
    return viewer is not None and viewer.pk is not None and viewer.pk == client.user_id


# The prefix of the annotation that carries a private field's shared value (or its blank).
_SHARED = "_shared_"


class _WithholdingIterable(ModelIterable):
    """Model instances whose private fields hold only what the care team may see: the
    field itself was deferred (never read) and is set from its `_shared_` annotation."""

    def __iter__(self):
        names = self.queryset.model.private_fields
        for record in super().__iter__():
            for name in names:
                # Setting the attribute marks the deferred field loaded: no later query.
                setattr(record, name, getattr(record, _SHARED + name))
                delattr(record, _SHARED + name)
            record._withheld = True
            yield record


class ClientRecordQuerySet(models.QuerySet):
    def for_viewer(self, *, client: Client, viewer) -> Self:
        """This client's records as `viewer` may see them: all of them for the client, the
        shared ones (private fields blank) for anyone else."""
        records = self.filter(client=client)
        if is_own_record(client=client, viewer=viewer):
            return records
        return records.shared()

    def shared(self) -> Self:
        """What anyone but the client may see, of any number of clients: no record the
        client kept private, and each private field blank where the client kept it so."""
        model = self.model
        records = self
        if model.has_record_visibility():
            records = records.filter(visibility=Visibility.SHARED)
        if model.private_fields:
            records = records.annotate(
                **{
                    _SHARED + name: Case(
                        When(**{flag: Visibility.SHARED}, then=F(name)),
                        default=Value(""),
                        output_field=model._meta.get_field(name),
                    )
                    for name, flag in model.private_fields.items()
                }
            ).defer(*model.private_fields)
            records._iterable_class = _WithholdingIterable
        return records

    def _values(self, *fields, **expressions):
        # .values()/.values_list() would read a withheld field raw: refuse rather than leak.
        if self._iterable_class is _WithholdingIterable:
            wanted = set(fields) or {field.attname for field in self.model._meta.concrete_fields}
            if wanted & set(self.model.private_fields):
                raise ValueError("A private field is withheld from this viewer.")
        return super()._values(*fields, **expressions)


class ClientRecord(models.Model):
    """The shared base of client-owned records. A subclass names the client's reverse
    accessor with `Meta.default_related_name`, may add `visibility = visibility_field()` (the
    record as a whole may be private) and lists in `private_fields` the fields the client may
    keep private one by one, each with the field that says whether they did."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ClientRecordQuerySet.as_manager()

    # e.g. {"note": "note_visibility"}: text fields only (a withheld one reads as "").
    private_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A record read for someone else holds blanks where the client's private words are:
        # saving it would overwrite them.
        if getattr(self, "_withheld", False):
            raise ValueError("This record was read without its private fields; read it again.")
        super().save(*args, **kwargs)

    @classmethod
    def has_record_visibility(cls) -> bool:
        return any(field.name == "visibility" for field in cls._meta.concrete_fields)

    def clean(self) -> None:
        super().clean()
        flags = [*self.private_fields.values(), *(["visibility"] * self.has_record_visibility())]
        kept = any(getattr(self, flag) == Visibility.PRIVATE for flag in flags)
        if kept and self.author_id != self.client.user_id:
            raise ValidationError(_("Only the client can keep something to themself."))

    def is_private(self) -> bool:
        return getattr(self, "visibility", Visibility.SHARED) == Visibility.PRIVATE
