"""The interest taxonomy: Outward's own areas of social life, the narrower interests under them
(written for Outward), the OpenActive Activity List as the sport and physical-activity branch
(keeping its broader/narrower links), and the synonyms people and directories use for them.

Activity names and descriptions from the OpenActive Activity List
(https://openactive.io/activity-list/), © OpenActive contributors, licensed under CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/). Changes may have been made."""

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import snowballstemmer

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


# Narrower interests under Outward's own areas, written for Outward: (key, label, synonyms).
# A synonym is any word or phrase a person or a directory might use for the interest; the
# lookup compares them stem by stem (see `phrase_key`), so "knitting", "knitted" and "knits"
# meet without listing each, but agent nouns ("knitters") and other words need their own entry.
NARROWER: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "arts-and-crafts": [
        (
            "painting-and-drawing",
            "Painting and drawing",
            (
                "painting",
                "drawing",
                "sketching",
                "watercolour",
                "watercolor",
                "life drawing",
                "art class",
                "illustration",
                "painters",
                "artists",
            ),
        ),
        (
            "knitting-and-crochet",
            "Knitting and crochet",
            (
                "knitting",
                "knitters",
                "knit and natter",
                "crochet",
                "crocheting",
                "yarn",
                "stitch and bitch",
                "wool",
            ),
        ),
        (
            "sewing-and-textiles",
            "Sewing and textiles",
            (
                "sewing",
                "quilting",
                "quilters",
                "embroidery",
                "cross stitch",
                "dressmaking",
                "textiles",
                "patchwork",
            ),
        ),
        (
            "pottery-and-ceramics",
            "Pottery and ceramics",
            ("pottery", "ceramics", "clay", "potters", "throwing pots", "sculpture"),
        ),
        (
            "photography",
            "Photography",
            ("photography", "photographers", "camera club", "photo walk"),
        ),
        (
            "papercraft",
            "Paper crafts",
            ("papercraft", "scrapbooking", "card making", "origami", "calligraphy", "lettering"),
        ),
        (
            "jewellery-making",
            "Jewellery making",
            ("jewellery making", "jewelry making", "beading", "beadwork"),
        ),
        (
            "art-appreciation",
            "Galleries and art appreciation",
            ("galleries", "art gallery", "art history", "exhibitions"),
        ),
    ],
    "books-and-writing": [
        (
            "book-clubs",
            "Book clubs",
            (
                "book club",
                "book group",
                "reading group",
                "readers",
                "reading",
                "books",
                "novels",
                "fiction",
            ),
        ),
        (
            "creative-writing",
            "Creative writing",
            (
                "creative writing",
                "writing group",
                "writers",
                "short stories",
                "fiction writing",
                "memoir",
                "journaling",
                "nanowrimo",
            ),
        ),
        (
            "poetry",
            "Poetry",
            ("poetry", "poems", "poets", "spoken word", "poetry slam", "open mic poetry"),
        ),
        ("libraries", "Library groups", ("library", "libraries", "library events")),
        ("comics", "Comics and graphic novels", ("comics", "graphic novels", "manga")),
        ("storytelling", "Storytelling", ("storytelling", "storytellers", "story slam")),
    ],
    "games": [
        ("chess", "Chess", ("chess", "chess club", "chess players")),
        (
            "board-games",
            "Board games",
            (
                "board games",
                "boardgames",
                "board game cafe",
                "board gamers",
                "tabletop games",
                "euro games",
                "scrabble",
                "monopoly",
                "catan",
            ),
        ),
        (
            "tabletop-role-playing",
            "Tabletop role-playing",
            (
                "tabletop role playing",
                "role playing games",
                "rpg",
                "ttrpg",
                "dungeons and dragons",
                "dungeons & dragons",
                "d&d",
                "dnd",
                "pathfinder",
                "warhammer",
                "wargaming",
                "miniatures",
            ),
        ),
        (
            "card-games",
            "Card games",
            (
                "card games",
                "bridge",
                "whist",
                "poker",
                "cribbage",
                "magic the gathering",
                "trading card games",
            ),
        ),
        ("quizzes", "Quizzes", ("quiz", "quizzes", "pub quiz", "trivia", "quiz night")),
        (
            "puzzles",
            "Puzzles",
            ("puzzles", "jigsaws", "jigsaw puzzles", "crosswords", "sudoku", "escape rooms"),
        ),
        (
            "video-games",
            "Video games",
            (
                "video games",
                "videogames",
                "gamers",
                "esports",
                "console games",
                "pc games",
                "nintendo",
                "minecraft",
            ),
        ),
        (
            "go-and-strategy",
            "Go and other strategy games",
            ("go", "baduk", "weiqi", "backgammon", "draughts", "checkers", "mahjong", "dominoes"),
        ),
    ],
    "music": [
        (
            "choirs",
            "Choirs and singing",
            (
                "choir",
                "choirs",
                "singers",
                "community choir",
                "chorus",
                "barbershop",
                "a cappella",
                "gospel choir",
                "karaoke",
            ),
        ),
        (
            "instruments",
            "Learning an instrument",
            (
                "instrument",
                "instruments",
                "music lessons",
                "piano",
                "guitar",
                "ukulele",
                "violin",
                "fiddle",
                "flute",
                "saxophone",
                "cello",
                "harmonica",
            ),
        ),
        (
            "bands-and-orchestras",
            "Bands and orchestras",
            (
                "band",
                "bands",
                "orchestra",
                "brass band",
                "jazz band",
                "ensemble",
                "jam session",
                "jamming",
                "folk session",
                "musicians",
            ),
        ),
        (
            "listening",
            "Listening to music",
            ("gigs", "concerts", "live music", "record club", "vinyl", "listening group", "opera"),
        ),
        (
            "music-making",
            "Making music on a computer",
            (
                "music production",
                "djing",
                "dj",
                "producing music",
                "songwriting",
                "songwriters",
                "electronic music",
            ),
        ),
    ],
    "food": [
        (
            "cooking",
            "Cooking",
            ("cooking", "cooks", "cookery", "cooking class", "recipes", "chefs"),
        ),
        (
            "baking",
            "Baking",
            ("baking", "bakers", "bread making", "sourdough", "cakes", "cake decorating"),
        ),
        (
            "supper-clubs",
            "Supper clubs and shared meals",
            (
                "supper club",
                "shared meals",
                "community meal",
                "potluck",
                "dinner club",
                "lunch club",
            ),
        ),
        (
            "community-kitchens",
            "Community kitchens",
            ("community kitchen", "soup kitchen", "community cafe"),
        ),
        (
            "food-and-drink-tasting",
            "Tasting food and drink",
            ("wine tasting", "coffee", "tea", "cheese tasting", "beer", "home brewing", "homebrew"),
        ),
    ],
    "nature-and-outdoors": [
        (
            "conservation",
            "Conservation",
            (
                "conservation",
                "conservation volunteers",
                "litter picking",
                "tree planting",
                "rewilding",
                "environment",
                "environmental",
            ),
        ),
        (
            "birdwatching",
            "Birdwatching and wildlife",
            (
                "birdwatching",
                "bird watching",
                "birding",
                "birders",
                "wildlife",
                "nature watching",
                "bugs",
                "insects",
            ),
        ),
        ("foraging", "Foraging", ("foraging", "foragers", "mushrooms", "fungi")),
        (
            "astronomy",
            "Astronomy and stargazing",
            ("astronomy", "stargazing", "telescopes", "astronomers"),
        ),
    ],
    "volunteering": [
        ("food-banks", "Food banks", ("food bank", "food banks", "food pantry", "food parcels")),
        (
            "charity-shops",
            "Charity shops",
            ("charity shop", "charity shops", "thrift store", "op shop"),
        ),
        (
            "befriending",
            "Befriending",
            (
                "befriending",
                "befrienders",
                "visiting older people",
                "companionship",
                "lonely neighbours",
            ),
        ),
        (
            "community-action",
            "Community action",
            (
                "community action",
                "residents association",
                "tenants association",
                "campaigning",
                "activism",
                "mutual aid",
            ),
        ),
        (
            "mentoring",
            "Mentoring and tutoring",
            ("mentoring", "mentors", "tutoring", "tutors", "reading helper", "homework club"),
        ),
        (
            "animal-volunteering",
            "Volunteering with animals",
            ("animal shelter", "animal rescue", "dog shelter", "cat rescue", "wildlife rescue"),
        ),
    ],
    "faith-and-spirituality": [
        (
            "faith-communities",
            "Faith communities",
            (
                "church",
                "churches",
                "mosque",
                "synagogue",
                "temple",
                "gurdwara",
                "faith group",
                "worship",
                "congregation",
                "prayer group",
                "bible study",
                "quaker meeting",
            ),
        ),
        (
            "spiritual-discussion",
            "Spiritual discussion",
            ("spirituality", "philosophy of life", "interfaith", "death cafe"),
        ),
    ],
    "languages-and-cultures": [
        (
            "language-exchange",
            "Language exchange",
            (
                "language exchange",
                "language cafe",
                "conversation exchange",
                "tandem",
                "speaking practice",
            ),
        ),
        (
            "language-classes",
            "Language classes",
            (
                "language class",
                "language classes",
                "learning a language",
                "spanish",
                "french",
                "german",
                "italian",
                "japanese",
                "mandarin",
                "chinese",
                "arabic",
                "portuguese",
                "esol",
                "english lessons",
                "sign language",
                "bsl",
                "asl",
            ),
        ),
        (
            "cultural-societies",
            "Cultural societies",
            (
                "cultural society",
                "culture",
                "cultural association",
                "diaspora",
                "international students",
            ),
        ),
    ],
    "learning": [
        (
            "talks-and-lectures",
            "Talks and lectures",
            ("talks", "lectures", "public lectures", "ted talks", "science talks"),
        ),
        (
            "courses",
            "Adult education courses",
            (
                "adult education",
                "evening classes",
                "night school",
                "courses",
                "u3a",
                "university of the third age",
            ),
        ),
        (
            "history-and-heritage",
            "History and heritage",
            (
                "history",
                "local history",
                "heritage",
                "genealogy",
                "family history",
                "archaeology",
                "museums",
            ),
        ),
        (
            "discussion-groups",
            "Discussion groups",
            (
                "discussion group",
                "debating",
                "debate",
                "philosophy",
                "philosophy cafe",
                "current affairs",
            ),
        ),
        (
            "collecting",
            "Collecting",
            ("collecting", "collectors", "stamps", "coins", "antiques", "vintage"),
        ),
    ],
    "technology": [
        (
            "coding",
            "Coding and programming",
            (
                "coding",
                "programming",
                "programmers",
                "developers",
                "software",
                "python",
                "javascript",
                "hackathon",
                "code club",
            ),
        ),
        (
            "repair-cafes",
            "Repair cafés",
            ("repair cafe", "repair café", "fixing electronics", "restart party"),
        ),
        (
            "makerspaces",
            "Makerspaces and electronics",
            (
                "makerspace",
                "hackspace",
                "makers",
                "electronics",
                "arduino",
                "raspberry pi",
                "3d printing",
                "robotics",
            ),
        ),
        (
            "digital-skills",
            "Computer and phone help",
            (
                "digital skills",
                "computer help",
                "computer class",
                "smartphone help",
                "internet basics",
                "tech help",
            ),
        ),
    ],
    "parenting": [
        (
            "parent-groups",
            "Parent and baby groups",
            (
                "parent and baby",
                "mother and baby",
                "baby group",
                "toddler group",
                "playgroup",
                "stay and play",
                "new parents",
                "mums group",
                "dads group",
                "parent group",
            ),
        ),
        (
            "family-activities",
            "Family activities",
            (
                "family activities",
                "family days",
                "kids activities",
                "children's activities",
                "family friendly",
            ),
        ),
        (
            "school-communities",
            "School communities",
            ("pta", "parents association", "school gate", "school volunteering"),
        ),
        (
            "carers-groups",
            "Carers' groups",
            ("carers", "carers group", "caregivers", "young carers", "carer support"),
        ),
    ],
    "pets": [
        (
            "pet-owners",
            "Pet owners' groups",
            ("pet owners", "cats", "rabbits", "reptiles", "fishkeeping", "aquarium"),
        ),
        ("horses", "Horses and riding", ("horses", "horse riding", "stables", "ponies")),
        ("city-farms", "City farms", ("city farm", "urban farm", "petting farm", "farm animals")),
    ],
    "film-and-theatre": [
        (
            "film-clubs",
            "Film clubs",
            (
                "film club",
                "film society",
                "cinema",
                "movies",
                "films",
                "film night",
                "documentaries",
            ),
        ),
        (
            "amateur-dramatics",
            "Amateur dramatics",
            (
                "amateur dramatics",
                "am dram",
                "theatre group",
                "drama group",
                "plays",
                "musical theatre",
            ),
        ),
        ("improv", "Improv", ("improv", "improvisation", "improvised comedy", "impro")),
        ("comedy", "Comedy", ("comedy", "stand up", "stand-up comedy", "comedy club")),
        ("theatre-going", "Going to the theatre", ("theatre", "theater", "shows", "musical shows")),
    ],
    "crafts-of-repair": [
        (
            "woodwork",
            "Woodwork",
            (
                "woodwork",
                "woodworking",
                "carpentry",
                "joinery",
                "woodturning",
                "whittling",
                "wood carving",
            ),
        ),
        (
            "diy-and-repair",
            "DIY and repair",
            (
                "diy",
                "repair",
                "repairing",
                "fixing things",
                "bike repair",
                "bicycle maintenance",
                "upcycling",
                "tinkering",
            ),
        ),
        (
            "mens-sheds",
            "Men's sheds and community workshops",
            ("men's shed", "mens shed", "community workshop", "shed"),
        ),
        (
            "model-making",
            "Model making",
            ("model making", "models", "model railways", "model trains", "airfix", "scale models"),
        ),
    ],
}

# What people call sports, mapped to the OpenActive concept label they mean.

# OpenActive concepts that also belong under another of Outward's areas (a walk is nature as
# much as sport): the area lists them among its narrower interests.
OPENACTIVE_ALSO_UNDER: dict[str, tuple[str, ...]] = {
    "nature-and-outdoors": ("Walking", "Hiking", "Gardening", "Camping"),
    "music": ("Singing", "Drumming"),
    "faith-and-spirituality": ("Meditation",),
    "pets": ("Dog Walking",),
    "film-and-theatre": ("Acting",),
}

# The sport area has hundreds of narrower concepts; the inventory offers these common ones to
# tick (any other is found by name in the person's own words).
SPORT_SHORTLIST = (
    "Walking",
    "Running",
    "Swimming",
    "Cycling",
    "Dance",
    "Yoga",
    "Pilates",
    "Tai Chi",
    "Gym Workout",
    "Football",
    "Badminton",
    "Table Tennis",
    "Tennis",
    "Bowls",
    "Golf",
    "Martial Arts",
    "Climbing",
    "Netball",
)

# What people call a sport, for the OpenActive concept with that label.
OPENACTIVE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Walking": ("walks", "walkers", "rambling", "ramblers", "hillwalking", "nature walks"),
    "Gardening": (
        "gardeners",
        "allotment",
        "community garden",
        "growing vegetables",
        "plants",
        "houseplants",
    ),
    "Camping": ("outdoors", "bushcraft"),
    "Meditation": ("mindfulness", "sangha", "contemplation", "silent retreat"),
    "Dog Walking": ("walking the dog", "walking my dog", "dog walkers", "dogs", "puppy"),
    "Running": ("parkrun", "couch to 5k", "running club", "runners"),
    "Football": ("soccer", "footy", "five a side", "footballers"),
    "Swimming": ("swim", "swimmers", "wild swimming", "lane swimming"),
    "Cycling": ("bike", "bikes", "biking", "cyclists", "bike ride", "bicycle"),
    "Dance": ("dancing", "dancers", "ballroom", "swing dancing"),
    "Gym Workout": ("gym", "weights", "working out", "fitness"),
    "Martial Arts": ("jiu jitsu",),
    "Climbing": ("climbers", "climbing wall"),
    "Table Tennis": ("ping pong",),
    "Badminton": ("shuttlecock",),
    "Ten-Pin Bowling": ("tenpin",),
    "Angling": ("fishing", "anglers"),
}
AREA_KEYS = frozenset(key for key, _label, _definition in OUTWARD_AREAS)


def openactive_concepts() -> list[dict]:
    return json.loads(OPENACTIVE_FILE.read_text(encoding="utf-8"))["concept"]


def openactive_key(concept: dict) -> str:
    return f"oa-{concept['notation']}"[:120].replace("_", "-")


def load_taxonomy(Interest) -> None:  # noqa: N803 (a model class, from a migration)
    """Write the whole taxonomy (idempotent: existing keys are updated, links set again)."""
    areas = {}
    for key, label, definition in OUTWARD_AREAS:
        areas[key], _created = Interest.objects.update_or_create(
            key=key, defaults={"label": label, "definition": definition, "source": "outward"}
        )
    for area, interests in NARROWER.items():
        for key, label, _synonyms in interests:
            interest, _created = Interest.objects.update_or_create(
                key=key, defaults={"label": label, "definition": "", "source": "outward"}
            )
            interest.broader.set([areas[area]])
    concepts = openactive_concepts()
    by_uri = {}
    for concept in concepts:
        interest, _created = Interest.objects.update_or_create(
            key=openactive_key(concept),
            defaults={
                "label": concept["prefLabel"],
                "definition": concept.get("definition", ""),
                "source": "openactive",
            },
        )
        by_uri[concept["id"]] = interest
    also_under: dict[str, list] = {}
    for area, labels in OPENACTIVE_ALSO_UNDER.items():
        for label in labels:
            also_under.setdefault(label, []).append(areas[area])
    for concept in concepts:
        interest = by_uri[concept["id"]]
        # Build the hierarchy from `broader`, skipping links to concepts not in the file.
        parents = [by_uri[uri] for uri in concept.get("broader", []) if uri in by_uri]
        interest.broader.set((parents or [areas[SPORT]]) + also_under.get(concept["prefLabel"], []))


def unload_narrower(Interest) -> None:  # noqa: N803 (a model class, from a migration)
    """Undo what load_taxonomy added to the sport-only taxonomy: the narrower Outward interests
    and the OpenActive concepts' links to areas other than sport."""
    Interest.objects.filter(
        key__in=[key for interests in NARROWER.values() for key, _label, _syn in interests]
    ).delete()
    Interest.broader.through.objects.filter(
        from_interest__source="openactive",
        to_interest__key__in=list(OPENACTIVE_ALSO_UNDER),
    ).delete()


# --- Words to interests ---------------------------------------------------------------------

# Snowball's English (Porter2) stemmer from the Snowball project's own package: a well-kept
# library rather than a suffix list of our own. Words go through the cached `stem` only.
_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[^\W_]+|&")  # a word, or "&" (read as "and": "D&D")


def fold(text: str) -> str:
    """Lower case without accents ("Café" → "cafe"), so spelling variants still meet."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A folded word's Snowball stem: "knitting" → "knit", "choirs" → "choir"."""
    return _STEMMER.stemWord(word)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of a text."""
    return [
        (m.start(), m.end(), "and" if m.group() == "&" else fold(m.group()))
        for m in _TOKEN.finditer(text)
    ]


def words(text: str) -> list[str]:
    """The folded words of a text ("Board-games café" → board, games, cafe)."""
    return [word for _start, _end, word in _tokens(text)]


def phrase_key(text: str) -> str:
    """How a name, label or synonym is compared: its words' stems, in order, one space apart.
    "Knitters", "knitting" → "knitter", "knit"; "Board games" and "board game" meet."""
    return " ".join(stem(word) for word in words(text))


def builtin_synonyms() -> Iterator[tuple[str, str]]:
    """(word or phrase, interest key) for every synonym Outward ships. OpenActive's are keyed
    by their concept's label; `synonym_pairs` resolves those against the database."""
    for interests in NARROWER.values():
        for key, _label, synonyms in interests:
            for synonym in synonyms:
                yield synonym, key


class InterestLookup(Mapping):
    """{phrase: interest key} that finds a key by any of its names, labels or synonyms in any
    case or grammatical form: `"Knitters" in lookup`, `lookup["board game"]`. Labels and keys
    win over synonyms, and the first interest to claim a phrase keeps it."""

    def __init__(self, pairs: Iterable[tuple[str, str]], synonyms: Iterable[tuple[str, str]] = ()):
        self._keys: dict[str, str] = {}
        known = set()
        for key, label in pairs:
            known.add(key)
            self._keys.setdefault(phrase_key(label), key)
            self._keys.setdefault(phrase_key(key), key)
        for phrase, key in synonyms:
            if key in known:
                self._keys.setdefault(phrase_key(phrase), key)
        self.longest = max((len(phrase.split()) for phrase in self._keys), default=0)

    def __getitem__(self, name: str) -> str:
        return self._keys[phrase_key(name)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and phrase_key(name) in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def found_in(self, text: str) -> tuple[list[str], str]:
        """The interest keys a person's own words name, longest phrase first ("I like board
        games and knitting" → board-games, knitting-and-crochet), and the text with those
        phrases cut out: the words no interest claimed, as written, for searching the
        directory with. A phrase never runs across a comma, semicolon or line."""
        found: list[str] = []
        claimed: list[tuple[int, int]] = []
        for part in re.finditer(r"[^,;\n]+", text):
            tokens = _tokens(part.group())
            stems = [stem(word) for _start, _end, word in tokens]
            index = 0
            while index < len(tokens):
                for size in range(min(self.longest, len(tokens) - index), 0, -1):
                    key = self._keys.get(" ".join(stems[index : index + size]))
                    if key is not None:
                        if key not in found:
                            found.append(key)
                        start = part.start() + tokens[index][0]
                        claimed.append((start, part.start() + tokens[index + size - 1][1]))
                        index += size
                        break
                else:
                    index += 1
        rest, last = [], 0
        for start, end in claimed:
            rest.append(text[last:start])
            last = end
        rest.append(text[last:])
        return found, ", ".join(piece.strip(" ,;") for piece in rest if piece.strip(" ,;"))


def interest_lookup(pairs, synonyms=None) -> InterestLookup:
    """The lookup from (key, label) pairs, with Outward's built-in synonyms for those keys and
    any further (phrase, key) synonyms (a practice's own)."""
    pairs = list(pairs)
    labels = {label: key for key, label in pairs}
    shipped = [
        (synonym, labels[label])
        for label, synonyms_of in OPENACTIVE_SYNONYMS.items()
        if label in labels
        for synonym in synonyms_of
    ]
    return InterestLookup(pairs, [*(synonyms or ()), *builtin_synonyms(), *shipped])
