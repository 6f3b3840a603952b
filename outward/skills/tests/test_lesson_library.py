"""The built-in lesson library: six short lessons, each with its question and sources."""

import pytest

from outward.lib.markdown import render
from outward.skills.lessons import library, parse

KEYS = [
    "why-connection-matters",
    "how-social-anxiety-keeps-going",
    "thinking-traps",
    "facing-fears-gradually",
    "technology-mindfully",
    "opening-up-gradually",
]


def test_the_library_holds_the_six_lessons_in_reading_order():
    assert list(library()) == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_each_lesson_reads_in_about_three_minutes(key):
    lesson = library()[key]
    words = len(lesson.body.split())
    assert 380 <= words <= 560, words
    assert lesson.version >= 1
    assert lesson.reflection_question.endswith("?")
    assert lesson.built_in


@pytest.mark.parametrize("key", KEYS)
def test_each_lesson_lists_its_sources_with_years(key):
    sources = library()[key].sources
    entries = [line for line in sources.splitlines() if line.startswith("- ")]
    assert len(entries) >= 2
    assert all("(19" in entry or "(20" in entry for entry in entries)
    assert render(sources).count("<li>") == len(entries)


def test_a_file_without_front_matter_or_sources_is_refused():
    with pytest.raises(ValueError, match="front matter"):
        parse("No front matter\n\n## Sources\n- x", "bad")
    with pytest.raises(ValueError, match="Sources"):
        parse("---\ntitle: T\nversion: 1\nreflection: Q?\n---\nText only", "bad")
