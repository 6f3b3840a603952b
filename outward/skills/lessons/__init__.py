"""Outward's own lesson library: one Markdown file per lesson in this folder, its name the
lesson's key. A file opens with front matter (`title`, `version`, `order`, `reflection`) between
`---` lines; the text follows, and a final `## Sources` section lists the sources.

Change a lesson's words → raise its `version`: an assignment keeps the version its client got.
"""

import functools
import pathlib
from dataclasses import dataclass

FOLDER = pathlib.Path(__file__).resolve().parent
SOURCES_HEADING = "## Sources"


@dataclass(frozen=True)
class LessonText:
    """A lesson as a reader sees it, from the library or a practice (same shape)."""

    key: str
    title: str
    version: int
    body: str  # Markdown
    sources: str  # Markdown
    reflection_question: str
    order: int = 0
    built_in: bool = True


def _front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    head, sep, rest = text.partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        raise ValueError(f"{name}: a lesson opens with front matter between --- lines")
    fields = {}
    for line in head.removeprefix("---\n").splitlines():
        key, colon, value = line.partition(":")
        if not colon:
            raise ValueError(f"{name}: front matter line without a colon: {line!r}")
        fields[key.strip()] = value.strip()
    return fields, rest


def parse(text: str, key: str) -> LessonText:
    fields, rest = _front_matter(text, key)
    body, _heading, sources = rest.partition(f"\n{SOURCES_HEADING}\n")
    if not sources.strip():
        raise ValueError(f"{key}: a lesson ends with a '{SOURCES_HEADING}' section")
    return LessonText(
        key=key,
        title=fields["title"],
        version=int(fields["version"]),
        body=body.strip(),
        sources=sources.strip(),
        reflection_question=fields["reflection"],
        order=int(fields.get("order", 0)),
    )


@functools.cache
def library() -> dict[str, LessonText]:
    """Every built-in lesson by key, in reading order (read from disk once per process)."""
    found = [parse(path.read_text(encoding="utf-8"), path.stem) for path in FOLDER.glob("*.md")]
    return {lesson.key: lesson for lesson in sorted(found, key=lambda text: (text.order, text.key))}
