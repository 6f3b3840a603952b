"""`{% load money %}{{ resource.cost_per_session|money }}`: "£7.50" (see outward.lib.money)."""

from django import template

from outward.lib.money import money as _money

register = template.Library()


@register.filter
def money(value) -> str:
    return _money(value)
