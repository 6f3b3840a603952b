"""The interest taxonomy: Outward's own areas of social life, with the OpenActive Activity
List as the sport and physical-activity branch (keeping its broader/narrower links).

Activity names and descriptions from the OpenActive Activity List
(https://openactive.io/activity-list/), © OpenActive contributors, licensed under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/). Changes may have been made."""

import json
from pathlib import Path

OPENACTIVE_FILE = Path(__file__).resolve().parent / "data" / "activity-list.jsonld"
OPENACTIVE_ATTRIBUTION = (
    "Activity names and descriptions from the OpenActive Activity List "
    "(openactive.io/activity-list), © OpenActive contributors, CC BY 4.0."
)
SPORT = "sport-and-movement"

# (key, label, definition): Outward's top-level areas.
OUTWARD_AREAS = [
    ("arts-and-crafts", "Arts and crafts", "Making things: painting, pottery, knitting, drawing."),
    ("books-and-writing", "Books and writing", "Book clubs, writing groups, poetry, libraries."),
    ("games", "Games", "Board games, card games, quizzes, tabletop and video games."),
    ("music", "Music", "Choirs, bands, listening groups, learning an instrument."),
    ("food", "Food and cooking", "Cooking classes, supper clubs, community kitchens."),
    ("nature-and-outdoors", "Nature and outdoors", "Walking groups, gardening, conservation."),
    ("volunteering", "Volunteering", "Helping others: food banks, charity shops, befriending."),
    ("faith-and-spirituality", "Faith and spirituality", "Faith communities, meditation."),
    ("languages-and-cultures", "Languages and cultures", "Language cafés, cultural societies."),
    ("learning", "Learning", "Talks, courses, museum groups, discussion groups."),
    ("technology", "Technology", "Coding clubs, repair cafés, makerspaces."),
    ("parenting", "Parenting and families", "Parent groups, family activities."),
    ("pets", "Pets and animals", "Dog walking groups, animal shelters."),
    (SPORT, "Sport and movement", "Sport and physical activity (the OpenActive Activity List)."),
    ("film-and-theatre", "Film and theatre", "Film clubs, amateur dramatics, improv."),
    ("crafts-of-repair", "Making and fixing", "Woodwork, sewing, repair and DIY groups."),
]


def openactive_concepts() -> list[dict]:
    return json.loads(OPENACTIVE_FILE.read_text(encoding="utf-8"))["concept"]


def load_taxonomy(Interest) -> None:  # noqa: N803 (a model class, from a migration)
    """Write the whole taxonomy (idempotent: existing keys are updated)."""
    for key, label, definition in OUTWARD_AREAS:
        Interest.objects.update_or_create(
            key=key, defaults={"label": label, "definition": definition, "source": "outward"}
        )
    concepts = openactive_concepts()
    by_uri = {}
    for concept in concepts:
        interest, _created = Interest.objects.update_or_create(
            key=f"oa-{concept['notation']}"[:120].replace("_", "-"),
            defaults={
                "label": concept["prefLabel"],
                "definition": concept.get("definition", ""),
                "source": "openactive",
            },
        )
        by_uri[concept["id"]] = interest
    sport = Interest.objects.get(key=SPORT)
    for concept in concepts:
        interest = by_uri[concept["id"]]
        # Build the hierarchy from `broader`, skipping links to concepts not in the file.
        parents = [by_uri[uri] for uri in concept.get("broader", []) if uri in by_uri]
        interest.broader.set(parents or [sport])
