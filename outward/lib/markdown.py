"""Markdown to HTML for text a practice writes (lessons), safe to put in a page as it is.

Built on markdown-it-py (CommonMark-correct, well kept) rather than by hand:
- `html=False`: raw HTML in the text (`<script>`, `<img onerror=…>`) is shown as text, escaped;
- links and autolinks go through `validateLink`, which here allows only http, https and mailto
  (no `javascript:`, `data:`, `vbscript:`, relative or protocol-less tricks);
- images are off: a picture from another site would tell that site who reads the lesson,
  and the CSP would block it anyway;
- every attribute the renderer writes is escaped by the library; links get
  `rel="nofollow noopener noreferrer"` so a lesson cannot pass the reader's page on.
"""

import re

from markdown_it import MarkdownIt

_ALLOWED_LINK = re.compile(r"^(?:https?://|mailto:)[^\s]", re.IGNORECASE)


def _validate_link(url: str) -> bool:
    """`url` is already normalised by the library (spaces and controls %-encoded), so a
    scheme hidden behind whitespace ("java\\tscript:") does not match the allow-list."""
    return bool(_ALLOWED_LINK.match(url))


def _link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = _validate_link
    md.add_render_rule("link_open", _link_open)
    return md


_MD = _parser()


def render(text: str) -> str:
    """The HTML of `text` (a string for `mark_safe`: nothing in it is the writer's raw HTML)."""
    return _MD.render(text or "")
