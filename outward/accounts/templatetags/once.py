"""`{% form_token %}` in every create form, next to `{% csrf_token %}`: see
accounts.middleware.CreateOnceMiddleware. A fresh token each time the form is drawn, so a
form shown again with errors, or a second form on the page, never shares one."""

from django import template
from django.utils.html import format_html

from outward.lib.tokens import new_token

register = template.Library()


@register.simple_tag
def form_token():
    return format_html('<input type="hidden" name="form_token" value="{}">', new_token())
