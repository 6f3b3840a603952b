"""The journal room's pages, one module a topic: check-ins and contacts, reflections, the
relationship map, the client's journey and pattern insights. Every page reaches the record through
`client_record`; reads go through the selectors with the viewer, writes through the services
(which audit them). `urls.py` reaches every view through this package."""

from .checkins import check_in, contact_add, journal, schedule
from .insights import insight_share, insights
from .journey import journey
from .people import (
    map_history,
    person_add,
    person_edit,
    person_move,
    person_remove,
    relationship_map,
)
from .reflections import reflection_cadence, reflection_create, reflection_edit, reflections

__all__ = [
    "check_in",
    "contact_add",
    "insight_share",
    "insights",
    "journal",
    "journey",
    "map_history",
    "person_add",
    "person_edit",
    "person_move",
    "person_remove",
    "reflection_cadence",
    "reflection_create",
    "reflection_edit",
    "reflections",
    "relationship_map",
    "schedule",
]
