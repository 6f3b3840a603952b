"""The skills room's pages, one module a topic: the overview and fear ladders, lessons, a
rung's attempts (exposures), thought records, role-play scenarios, rehearsals and conversation
starters. Every page reaches the record through `client_record`; reads go through the selectors
with the viewer, writes through the services (which audit them). `urls.py` reaches every view
through this package."""

from .exposures import exposure_log, exposure_new, exposure_plan, exposures, rung, rung_decide
from .ladders import (
    ladder,
    ladder_archive,
    ladder_create,
    ladder_edit,
    rung_add,
    rung_delete,
    rung_edit,
    rung_from,
    rung_library,
    rung_status,
    skills,
)
from .lessons import (
    lesson,
    lesson_assign,
    lessons,
    practice_lesson_create,
    practice_lesson_edit,
    practice_lessons,
)
from .rehearsals import rehearsals
from .scenarios import (
    practice_scenario_create,
    practice_scenario_edit,
    practice_scenarios,
    scenario_adapt,
    scenario_debrief,
    scenario_play,
    scenario_rehearse,
    scenarios,
)
from .starters import (
    own_starter_create,
    practice_starter_delete,
    practice_starters,
    starter_favourite,
    starter_rehearse,
    starter_setting,
    starters,
)
from .thoughts import (
    thought_create,
    thought_detail,
    thought_edit,
    thought_records,
    thought_settings,
)

__all__ = [
    "exposure_log",
    "exposure_new",
    "exposure_plan",
    "exposures",
    "ladder",
    "ladder_archive",
    "ladder_create",
    "ladder_edit",
    "lesson",
    "own_starter_create",
    "lesson_assign",
    "lessons",
    "practice_lesson_create",
    "practice_lesson_edit",
    "practice_lessons",
    "practice_scenario_create",
    "practice_scenario_edit",
    "practice_scenarios",
    "rehearsals",
    "practice_starter_delete",
    "practice_starters",
    "rung",
    "rung_add",
    "rung_decide",
    "rung_delete",
    "rung_edit",
    "rung_from",
    "rung_library",
    "rung_status",
    "scenario_adapt",
    "scenario_debrief",
    "scenario_play",
    "scenario_rehearse",
    "scenarios",
    "skills",
    "starter_favourite",
    "starter_rehearse",
    "starter_setting",
    "starters",
    "thought_create",
    "thought_detail",
    "thought_edit",
    "thought_records",
    "thought_settings",
]
