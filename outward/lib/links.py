"""Web addresses in text people write (a goal, a step, a note) as links, safely.

Only http and https addresses become links; everything else in the text, the address
included, is escaped, so the writer's text can never add markup of its own. The links get
`rel="nofollow noopener noreferrer"`: the page they lead to learns nothing of ours."""

import re

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# An address runs to the next space or character that cannot be in one unescaped.
_ADDRESS = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?"


def _trim(address: str) -> tuple[str, str]:
    """Split the punctuation that ends the sentence, not the address, off its end: "(see
    https://a.test/x)." keeps "https://a.test/x"; "https://w.test/Foo_(bar)" keeps its ")"."""
    tail = ""
    while address:
        last = address[-1]
        if last in _TRAILING or (last == ")" and address.count("(") < address.count(")")):
            tail = last + tail
            address = address[:-1]
        else:
            break
    return address, tail


def linkify(text: object) -> SafeString:
    """`text` escaped, with each http(s) address in it made a link."""
    text = "" if text is None else str(text)
    parts = []
    position = 0
    for found in _ADDRESS.finditer(text):
        address, tail = _trim(found.group())
        if "://" not in address or address.endswith("://"):
            continue  # only a scheme is left: text, not an address
        parts.append(conditional_escape(text[position : found.start()]))
        parts.append(
            format_html('<a href="{}" rel="nofollow noopener noreferrer">{}</a>', address, address)
        )
        position = found.start() + len(address)
    parts.append(conditional_escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped or format_html's)


def tel_uri(number: str) -> str:
    """A phone number as written ("+44 (0)113 496 0000", "0113-496 0000") as a tel: URI:
    its digits, with the leading + when it has one."""
    digits = "".join(c for c in number if c.isdigit())
    return "tel:" + ("+" if number.strip().startswith("+") else "") + digits
