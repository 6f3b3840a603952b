from collections.abc import Callable

from django.urls import path, reverse


def client_record_paths(route: str, view, name: str) -> list:
    """A client-record page at the care team's URL (with the client id) and at the client's
    own "me/" URL, named `name` and `my_<name>` (see care.templatetags.records)."""
    return [
        path(f"clients/<int:client_id>/{route}", view, name=name),
        path(f"me/{route}", view, name=f"my_{name}"),
    ]


_MARKER = 987654321  # an id no route adds digits around


def id_url(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for many ids at the cost of one reverse: the address is built
    once around a marker id and each id put in its place (ids are digits: nothing to quote)."""
    head, tail = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return lambda pk: f"{head}{pk}{tail}"
