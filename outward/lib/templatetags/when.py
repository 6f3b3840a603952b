"""`{% load when %}{{ plan.when|moment }}`: a moment in the viewer's time zone, in the one
style of outward.lib.moments. `|moment:"l j F"` changes the date part; a format ending in " T"
adds the zone ("… 7 p.m. EST")."""

import datetime

from django import template
from django.utils import timezone

from outward.lib.moments import moment_text

register = template.Library()


@register.filter
def moment(value, date_part: str = "j M Y") -> str:
    if not isinstance(value, datetime.datetime):
        return ""
    zone = date_part.endswith(" T")
    return moment_text(timezone.template_localtime(value), date_part.removesuffix(" T"), zone=zone)
