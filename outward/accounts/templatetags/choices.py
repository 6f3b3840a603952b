"""`{% load choices %}{{ choice|option_input }}`: one radio button's or checkbox's <input>, in
`includes/choices.html`."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def option_input(choice):
    """The <input> of one option of a choice field (a BoundWidget), as Django's
    forms/widgets/input.html writes it, without a template render of its own per option: a
    page of 0–10 rulers has a hundred options, and those renders were most of its time."""
    data = choice.data
    value = data["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        data["type"],
        data["name"],
        "" if value is None else format_html(' value="{}"', value),
        format_html_join("", "{}", ((_attribute(name, on),) for name, on in data["attrs"].items())),
    )


def _attribute(name: str, on) -> str:
    """` name="value"`, ` name` when it is True, nothing when it is False (as attrs.html)."""
    if on is False:
        return ""
    if on is True:
        return format_html(" {}", name)
    return format_html(' {}="{}"', name, on)
