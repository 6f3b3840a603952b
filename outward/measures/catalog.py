"""Which instruments exist and which a practice offers. Definitions come from the versioned
files shipped in `instruments/` (validated at start-up) and, for one practice, from the FHIR
Questionnaires its admin imported (`ImportedInstrument`; a shipped key always wins)."""

import logging

from outward.care.models import Practice

from .definitions import KEY_RE, DefinitionError, Instrument, definition_from_dict, instruments
from .models import ImportedInstrument, InstrumentSetting

logger = logging.getLogger(__name__)


def _from_import(key: str, definition: dict) -> Instrument | None:
    try:
        return definition_from_dict(definition, f"imported instrument {key!r}")
    except DefinitionError:
        # Accepted when imported; only a stricter validator can refuse it now. Leave it out
        # rather than break every page that lists instruments.
        logger.exception("An imported instrument no longer validates")
        return None


def instrument(key: str, practice: Practice | None = None) -> Instrument | None:
    """The shipped instrument with this key, or else the practice's imported one."""
    if not KEY_RE.match(key):  # no instrument has such a key; don't ask the database
        return None
    shipped = instruments().get(key)
    if shipped is not None or practice is None:
        return shipped
    definition = (
        ImportedInstrument.objects.filter(practice=practice, key=key)
        .values_list("definition", flat=True)
        .first()
    )
    return None if definition is None else _from_import(key, definition)


def imported(*, practice: Practice) -> list[Instrument]:
    """The practice's imported instruments, in one query."""
    rows = ImportedInstrument.objects.filter(practice=practice).values_list("key", "definition")
    return [
        definition
        for key, data in rows
        if (definition := _from_import(key, data)) is not None and key not in instruments()
    ]


def imports(*, practice: Practice) -> dict[str, ImportedInstrument]:
    """The practice's import records (who imported what, when) by key."""
    rows = ImportedInstrument.objects.filter(practice=practice).select_related("imported_by")
    return {row.key: row for row in rows.defer("definition")}


def all_instruments(practice: Practice | None = None) -> list[Instrument]:
    """Every shipped instrument, and the practice's imported ones when a practice is given."""
    found = list(instruments().values())
    if practice is not None:
        found += imported(practice=practice)
    return sorted(found, key=lambda item: item.short_name)


def offered(*, practice: Practice) -> list[Instrument]:
    """Instruments the practice offers: shipped-enabled ones unless switched off, disabled
    ones (and every imported one) only once an admin confirmed the licence and switched them
    on."""
    settings = dict(
        InstrumentSetting.objects.filter(practice=practice).values_list("instrument_key", "enabled")
    )
    return [
        definition
        for definition in all_instruments(practice)
        if settings.get(definition.key, definition.enabled_by_default)
    ]


def is_offered(*, practice: Practice, key: str) -> bool:
    return any(definition.key == key for definition in offered(practice=practice))
