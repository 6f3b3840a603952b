"""Filters for text people write: `{% load text %}{{ step.title|linkify }}`,
`<a href="{{ phone|tel }}">`."""

from django import template

from outward.lib.links import linkify as _linkify
from outward.lib.links import tel_uri

register = template.Library()


@register.filter(is_safe=True)
def linkify(value):
    """Escape the text and make its http(s) addresses links (see outward.lib.links)."""
    return _linkify(value)


@register.filter
def tel(value):
    """A phone number as written, as a tel: URI (see outward.lib.links.tel_uri)."""
    return tel_uri(str(value))
