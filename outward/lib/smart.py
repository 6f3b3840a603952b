"""The SMART check for a client's social-connection goal. It advises; it never blocks.

Every criterion passes, or fails with ONE concrete, kind hint in plain language. The rules are
simple word rules that work on how people really phrase social goals ("Attend one social event
per month", "Reach out to a friend weekly", "Text Sam to ask about coffee"). Matching is
case-insensitive and whitespace-tolerant; curly apostrophes, hyphens ("sign-up", "board-game")
and empty or missing fields are handled. "Goal text" means the title, specific and measurable
fields, each read on its own (a phrase never runs from one field into the next). The
achievable and relevant fields are the client's own reasons and are never searched for goal
phrases ("I've always liked board games" is not an "always" goal).

=============  ===============================================  ==================================
Criterion      Passes when                                      Hint when it fails
=============  ===============================================  ==================================
Specific       The title or specific field names an ACTION      No action (or only a vague wish):
               (below) followed, in the same field, by at       "What would you actually do? Try
               least one detail word: who, what or where        naming one action: 'say hello to
               ("text Sam", "join a running club"). Vague       one neighbour'". Action but no
               wishes are set aside first (VAGUE: "be/feel/     detail ("call weekly", "talk to
               get/become [more|less] <word>", "be happier",    people"): "Who or where? Add one
               "make (new) friends", "have more friends",       detail: 'call my sister' or 'join
               "go/get out more", "have a social life"), so     the library book club'".
               "Make friends" fails and "Make friends by
               joining a choir" passes. Filler words (people,
               someone, more, often, weekly, once, a, the, to,
               ...) are not details.
Measurable     A cadence is set (count >= 1 and period week     "How will you know you did it? Try
               or month), or the goal text holds a count: a     a number: 'twice this month'".
               number in digits that is not part of a date or
               clock time ("3 events", not "3 March", "7pm",
               "7:30", "2026"), a number word (one, once,
               twice, two ... twelve, a couple, a dozen;
               not "no one"), or a frequency (daily, weekly,
               fortnightly, monthly; every/each/per day,
               week, month, weekend, <day>; "every other
               week"; "N (things) a week"; "Thursdays",
               "Saturday mornings", "weekends").
Achievable     The goal is not implausibly large AND the        Too large: "That's a lot to start
               achievable field explains it in >= 3 words.      with. What would be a smaller
               Too large = a cadence of more than once a day    first step you feel fairly sure
               on average (> 7 a week, > 31 a month), a         about, like once a week?". Not
               count in the goal text above the same limits     explained: "What will make this
               ("meet 10 people a week"), anything per day      doable for you? A few words are
               ("every day", "daily", "twice a day"), or an     enough: 'the club meets near my
               all-or-nothing word (always, everyone,           bus stop'".
               everybody, every time, every single, all the
               time, never miss).
Relevant       The relevant field has >= 3 words.               "Why does this matter to you? A
                                                                few words are enough."
Time-bound     A target date that is today or later; or, with   Past date: "That date has passed.
               no target date, a cadence or a time phrase in    Pick a new one, or try a rhythm
               the goal text: today/tonight/tomorrow; this/     like 'every week'". Nothing: "When
               next/coming week/weekend/month/year/<day>/       will you do it? Add a date or a
               <month>; by/before/until/on [the end of] a       rhythm: 'by Friday' or 'every
               day, month, season, holiday or date; in/within   week'".
               N days/weeks/months; "in March"; a month name
               (May only as "in/by/this May" or with a day
               number); a date such as 15/3; or a frequency.
               A target date in the past fails even when the
               text has a rhythm: the stale date needs fixing.
=============  ===============================================  ==================================

(The hints in the code use typographic quotes “…” around their examples.)

ACTIONS (any inflection: call/calls/calling/called, go/went, meet/met, say/said ...): attend,
go, join, call, phone, ring, text, message, email, write, invite, ask, say, visit, volunteer,
meet, talk, chat, speak, host, share, introduce, greet, reply, play, walk, try, take, book,
arrange, organise/organize, plan, bring, cook, sing, dance, sit, eat; and the phrases sign up,
reach out, check in, catch up, hang out, spend time, show up, turn up.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

KEYS = ("specific", "measurable", "achievable", "relevant", "time_bound")

MIN_EXPLANATION_WORDS = 3
MAX_PER_WEEK = 7  # more than once a day on average is implausibly large for a first goal
MAX_PER_MONTH = 31


@dataclass(frozen=True)
class Criterion:
    key: str  # "specific" | "measurable" | "achievable" | "relevant" | "time_bound"
    label: str  # translated, e.g. "Specific"
    passed: bool
    hint: str  # "" when passed; otherwise one concrete, kind hint in plain language


# --- Text handling -----------------------------------------------------------------------------


def _lower(text: str | None) -> str:
    """Lower case, curly quotes straightened, runs of whitespace collapsed."""
    text = (text or "").lower().replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


def _norm(text: str | None) -> str:
    """Lower-case words separated by single spaces: punctuation and hyphens become spaces,
    apostrophes vanish ("don't" -> "dont"), "e-mail" becomes "email"."""
    text = _lower(text).replace("e-mail", "email").replace("'", "")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _word_count(text: str | None) -> int:
    return len(_norm(text).split())


def _alternation(words) -> str:
    # Longest first, so "every day" wins over "every".
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# --- Vocabulary --------------------------------------------------------------------------------

_IRREGULAR = {
    "go": ("goes", "went", "gone"),
    "meet": ("met",),
    "say": ("said",),
    "write": ("wrote", "written"),
    "ring": ("rang", "rung"),
    "speak": ("spoke", "spoken"),
    "sit": ("sat",),
    "take": ("took", "taken"),
    "bring": ("brought",),
    "sing": ("sang", "sung"),
    "eat": ("ate", "eaten"),
    "spend": ("spent",),
    "catch": ("caught",),
    "hang": ("hung",),
    "show": ("shown",),
}

ACTION_VERBS = (
    "attend", "go", "join", "call", "phone", "ring", "text", "message", "email", "write",
    "invite", "ask", "say", "visit", "volunteer", "meet", "talk", "chat", "speak", "host",
    "share", "introduce", "greet", "reply", "play", "walk", "try", "take", "book", "arrange",
    "organise", "organize", "plan", "bring", "cook", "sing", "dance", "sit", "eat",
)  # fmt: skip
ACTION_PHRASES = (
    "sign up", "reach out", "check in", "catch up", "hang out", "spend time", "show up", "turn up",
)  # fmt: skip


def _forms(verb: str) -> set[str]:
    """A verb's inflections; over-generating ("visitting") is harmless."""
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms.add(verb[:-1] + "ing")
    if re.search(r"[^aeiou][aeiou][bdgklmnprtv]$", verb):
        forms |= {verb + verb[-1] + "ing", verb + verb[-1] + "ed"}
    if verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return forms | set(_IRREGULAR.get(verb, ()))


def _phrase_forms(phrase: str) -> set[str]:
    first, rest = phrase.split(" ", 1)
    return {f"{form} {rest}" for form in _forms(first)}


_ACTION_WORDS = set().union(*(_forms(v) for v in ACTION_VERBS))
_ACTION_WORDS |= set().union(*(_phrase_forms(p) for p in ACTION_PHRASES))
_ACTION_RE = re.compile(rf"\b(?:{_alternation(_ACTION_WORDS)})\b")

_VAGUE_ADJECTIVES = (
    "happy", "happier", "better", "social", "sociable", "outgoing", "confident", "connected",
    "lonely", "alone", "isolated", "shy", "anxious", "friendly", "brave", "braver", "ok", "okay",
    "fine", "normal", "included", "liked", "popular", "involved",
)  # fmt: skip
_VAGUE_RE = re.compile(
    r"\b(?:"
    r"(?:be|become|becoming|being|feel|feeling|get|getting|seem)\s+"
    r"(?:(?:a bit|a little|a lot|much|so|too|very|really|way)\s+)*"
    rf"(?:(?:more|less)\s+\w+|{_alternation(_VAGUE_ADJECTIVES)})"
    r"|make\s+(?:(?:more|new|some|a few|real|close|good)\s+)*friends?"
    r"|have\s+(?:(?:more|some|a few|new|real|close|good)\s+)*friends"
    r"|(?:go|going|get|getting)\s+out\s+more"
    r"|(?:have|get)\s+a\s+(?:better\s+)?social\s+life"
    r")\b"
)

# Words after an action that do not say who, what or where.
_FILLER = frozenset((
    "a", "an", "the", "to", "with", "at", "in", "on", "for", "of", "and", "or", "but", "by", "from",
    "into", "my", "our", "your", "his", "her", "their", "its", "some", "any", "more", "less",
    "most", "much", "out", "up", "down", "about", "back", "over", "around", "off", "away", "it",
    "them", "him", "me", "us", "myself", "people", "person", "someone", "somebody", "anyone",
    "anybody", "everyone", "everybody", "something", "anything", "things", "thing", "stuff",
    "often", "again", "soon", "sometimes", "regularly", "weekly", "daily", "monthly", "fortnightly",
    "now", "then", "today", "tonight", "tomorrow", "times", "time", "once", "twice", "thrice",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "every", "each",
    "per", "week", "weeks", "month", "months", "day", "days", "year", "years", "weekend",
    "weekends", "this", "next", "also", "just", "maybe", "try", "trying", "really", "new", "other",
))  # fmt: skip

_NUMBER_WORDS = {
    "one": 1, "once": 1, "two": 2, "twice": 2, "couple": 2, "three": 3, "thrice": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "dozen": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_NUMBER_WORD_RE = rf"(?:{_alternation(_NUMBER_WORDS)})"

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january", "february", "march", "april", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
)  # fmt: skip
# "may" is also a verb: it is a month only in context ("in May", "by May", "May 3").
_ALL_MONTHS = (*_MONTHS, "may")
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_HOLIDAYS = ("christmas", "easter", "new year", "the holidays", "my birthday", "half term")
_UNITS = ("day", "week", "weekend", "fortnight", "month", "morning", "afternoon", "evening",
          "night", "weekday")  # fmt: skip

_FREQUENCY_RE = re.compile(
    r"\b(?:daily|weekly|fortnightly|monthly|nightly|everyday"
    rf"|(?:every|each|per)\s+(?:other\s+|single\s+)?(?:{_alternation((*_UNITS, *_WEEKDAYS))})"
    rf"|(?:{_alternation(d + 's' for d in _WEEKDAYS)}|weekends)"
    rf"|(?:{_alternation(_WEEKDAYS)})\s+(?:mornings|afternoons|evenings|nights)"
    rf"|(?:{_NUMBER_WORD_RE}|\d+|times)\s+(?:\w+\s+){{0,3}}?(?:a|an|per|each|every)\s+"
    rf"(?:{_alternation(_UNITS)})"
    r")\b"
)

_MONTH_ALT = _alternation(_ALL_MONTHS)


def _count(digits: str) -> int:
    """A run of digits as a count. Any count past a billion is just "a lot": it keeps int()
    from refusing a pasted run of thousands of digits (Python's 4300-digit limit)."""
    return int(digits) if len(digits) <= 9 else 10**9


def _digit_counts(text: str) -> list[int]:
    """Numbers in `text` (lowered) that count something, skipping dates and clock times."""
    counts = []
    for match in re.finditer(r"(?<![\d:/.\-])\b\d+\b(?![:/.\-]\d)", text):
        number = match.group()
        before = text[: match.start()].split()[-1:] or [""]
        after = text[match.end() :]
        if re.match(r"\s*(?:am|pm|a\.m|p\.m|o'?clock|h)\b", after):
            continue  # 7pm, 7 am
        if before[0].strip(",.") in _ALL_MONTHS or re.match(rf"\s+(?:{_MONTH_ALT})\b", after):
            continue  # March 3, 3 March
        if len(number) == 4 and number.startswith(("19", "20")):
            continue  # a year
        counts.append(_count(number))
    return counts


# What "this ...", "next ...", "by ..." can name.
_WHENS = ("week", "weekend", "month", "year", "fortnight", *_WEEKDAYS, *_ALL_MONTHS, *_SEASONS)
_TIME_RES = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:today|tonight|tomorrow)\b",
        rf"\b(?:this|next|coming)\s+(?:{_alternation(_WHENS)})\b",
        r"\b(?:by|before|until|till|on)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?"
        rf"(?:{_alternation((*_WHENS, *_HOLIDAYS))})\b",
        r"\b(?:by|before|until|till)\s+(?:the\s+)?\d",
        rf"\b(?:in|during|early|late|mid|end of)\s+(?:{_alternation((*_ALL_MONTHS, *_SEASONS))})\b",
        rf"\b(?:in|within)\s+(?:\d+|{_NUMBER_WORD_RE}|a|an|a few|a couple of)\s+"
        r"(?:days?|weeks?|fortnights?|months?)\b",
        rf"\b(?:{_alternation(_MONTHS)})\b",
        r"\bmay\s+\d|\b\d+(?:st|nd|rd|th)?\s+(?:of\s+)?may\b",
    )
)
_DATE_RE = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?\b")  # 15/3, 2026-03-01

_TOO_BIG_WORDS_RE = re.compile(
    r"\b(?:always|everyone|everybody|every\s+time|every\s+single|all\s+the\s+time|never\s+miss"
    r"|every\s*day|each\s+day|per\s+day|daily|every\s+(?:morning|evening|night)|nightly"
    rf"|(?:{_NUMBER_WORD_RE}|\d+|times)\s+(?:\w+\s+){{0,3}}?(?:a|per|each|every)\s+day)\b"
)
_RATE_RE = re.compile(
    rf"\b({_NUMBER_WORD_RE}|\d+)\s+(?:\w+\s+){{0,3}}?(?:a|an|per|each|every|in\s+a)\s+"
    r"(week|month)\b"
)


# --- The five criteria -------------------------------------------------------------------------


def _cadence(count: int | None, period: str | None) -> tuple[int, str] | None:
    if count is not None and count >= 1 and period in ("week", "month"):
        return count, period
    return None


def _specific(fields: list[str]) -> str:
    """The hint, or an empty string when the goal is specific."""
    saw_action = False
    for field in fields:
        text = _VAGUE_RE.sub(" ", _norm(field))
        for match in _ACTION_RE.finditer(text):
            saw_action = True
            if any(word not in _FILLER for word in text[match.end() :].split()):
                return ""
    if saw_action:
        return _("Who or where? Add one detail: “call my sister” or “join the library book club”.")
    return _("What would you actually do? Try naming one action: “say hello to one neighbour”.")


def _measurable(fields: list[str], cadence) -> str:
    if cadence:
        return ""
    for field in fields:
        text = re.sub(r"\bno one\b", " ", _norm(field))
        if (
            _digit_counts(_lower(field))
            or re.search(rf"\b{_NUMBER_WORD_RE}\b", text)
            or _FREQUENCY_RE.search(text)
        ):
            return ""
    return _("How will you know you did it? Try a number: “twice this month”.")


def _too_big(fields: list[str], cadence) -> bool:
    limits = {"week": MAX_PER_WEEK, "month": MAX_PER_MONTH}
    if cadence and cadence[0] > limits[cadence[1]]:
        return True
    for field in fields:
        text = _norm(field)
        if _TOO_BIG_WORDS_RE.search(text):
            return True
        for count, period in _RATE_RE.findall(text):
            number = _count(count) if count.isdigit() else _NUMBER_WORDS[count]
            if number > limits[period]:
                return True
    return False


def _achievable(fields: list[str], cadence, achievable: str) -> str:
    if _too_big(fields, cadence):
        return _(
            "That’s a lot to start with. What would be a smaller first step you feel fairly "
            "sure about, like once a week?"
        )
    if _word_count(achievable) < MIN_EXPLANATION_WORDS:
        return _(
            "What will make this doable for you? A few words are enough: "
            "“the club meets near my bus stop”."
        )
    return ""


def _relevant(relevant: str) -> str:
    if _word_count(relevant) < MIN_EXPLANATION_WORDS:
        return _("Why does this matter to you? A few words are enough.")
    return ""


def _time_bound(fields: list[str], cadence, target_date, today: datetime.date) -> str:
    if isinstance(target_date, datetime.datetime):
        target_date = target_date.date()
    if target_date is not None:
        if target_date >= today:
            return ""
        return _("That date has passed. Pick a new one, or try a rhythm like “every week”.")
    if cadence:
        return ""
    for field in fields:
        text = _norm(field)
        if (
            _FREQUENCY_RE.search(text)
            or _DATE_RE.search(_lower(field))
            or any(pattern.search(text) for pattern in _TIME_RES)
        ):
            return ""
    return _("When will you do it? Add a date or a rhythm: “by Friday” or “every week”.")


def smart_check(
    *,
    title: str,
    specific: str,
    measurable: str,
    achievable: str,
    relevant: str,
    target_date: datetime.date | None,
    cadence_count: int | None,
    cadence_period: str | None,
    today: datetime.date,
) -> list[Criterion]:
    """The five SMART criteria, in S-M-A-R-T order, each passed or with one hint."""
    cadence = _cadence(cadence_count, cadence_period)
    goal_text = [title or "", specific or "", measurable or ""]
    hints = {
        "specific": _specific([title or "", specific or ""]),
        "measurable": _measurable(goal_text, cadence),
        "achievable": _achievable(goal_text, cadence, achievable),
        "relevant": _relevant(relevant),
        "time_bound": _time_bound(goal_text, cadence, target_date, today),
    }
    labels = {
        "specific": _("Specific"),
        "measurable": _("Measurable"),
        "achievable": _("Achievable"),
        "relevant": _("Relevant"),
        "time_bound": _("Time-bound"),
    }
    return [Criterion(key, labels[key], not hints[key], hints[key]) for key in KEYS]
