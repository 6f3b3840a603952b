"""Social intensity an entry nobody has graded yet might have: a guess from its interests,
shown to the person grading it (marked as a guess), never used for ranking or reasons."""

from ..models import Interest

# Outward's top-level interests (community.taxonomy) and the intensity their groups usually
# have: 1 a shared task where talking is optional … 5 open mingling. A narrower interest
# (a sport from OpenActive) takes its broader one's.
INTENSITY_GUESS = {
    "arts-and-crafts": 1,
    "crafts-of-repair": 1,
    "learning": 1,
    "technology": 1,
    "games": 2,
    "music": 2,
    "food": 2,
    "nature-and-outdoors": 2,
    "volunteering": 2,
    "pets": 2,
    "sport-and-movement": 2,
    "books-and-writing": 3,
    "faith-and-spirituality": 3,
    "parenting": 3,
    "film-and-theatre": 3,
    "languages-and-cultures": 4,
}


def intensity_guess(interests: list[Interest]) -> int | None:
    """The lowest usual intensity among the interests (or their broader ones); None if none
    of them says. Reads each interest's broader ones (a query if not prefetched)."""
    guesses = [INTENSITY_GUESS[i.key] for i in interests if i.key in INTENSITY_GUESS]
    if not guesses:
        guesses = [
            INTENSITY_GUESS[broader.key]
            for interest in interests
            for broader in interest.broader.all()
            if broader.key in INTENSITY_GUESS
        ]
    return min(guesses) if guesses else None
