"""Filters for text people write: `{% load text %}{{ step.title|linkify }}`."""

from django import template

from outward.lib.links import linkify as _linkify

register = template.Library()


@register.filter(is_safe=True)
def linkify(value):
    """Escape the text and make its http(s) addresses links (see outward.lib.links)."""
    return _linkify(value)
