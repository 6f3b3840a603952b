"""`{% load wins %}{% win_words win as words %}{{ words|linkify }}`: a win's words for whoever
reads the page (the client, or their care team: see selectors.win_words)."""

from django import template

from outward.goals.selectors import win_words as words_for_viewer

register = template.Library()


@register.simple_tag(takes_context=True)
def win_words(context, win) -> str:
    return words_for_viewer(
        kind=win.kind,
        text=win.text,
        source=win.source,
        client=context["client"],
        viewer=context["request"].user,
    )
