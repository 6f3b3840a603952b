from django import template
from django.urls import reverse

register = template.Library()


def record_reverse(request, view_name: str, *args) -> str:
    """The URL of a client-record page as this viewer reaches it: the care team's URL (with
    the client's id) or the client's own "my_" URL. `view_name` is the care team's name."""
    if request.in_portal:
        namespace, _sep, name = view_name.rpartition(":")
        return reverse(f"{namespace}:my_{name}", args=args)
    return reverse(view_name, args=[request.record_client.pk, *args])


@register.simple_tag(takes_context=True)
def record_url(context, view_name: str, *args) -> str:
    return record_reverse(context["request"], view_name, *args)
