"""Find a secret anywhere a response could carry it: the bytes sent and every value the
templates were given (querysets, pages, model instances, forms, dataclasses), so private
text is caught even where no template shows it yet."""

import dataclasses
from collections.abc import Mapping

from django import forms
from django.core.paginator import Page
from django.db import models
from django.http import HttpRequest

MAX_DEPTH = 8


def _children(value):
    if isinstance(value, Mapping):
        return list(value.keys()) + list(value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    if isinstance(value, models.QuerySet):
        # Evaluated through the queryset's own iterator: what a template would get.
        return list(value)
    if isinstance(value, Page):
        return list(value.object_list)
    if isinstance(value, models.Model):
        loaded = {k: v for k, v in vars(value).items() if k != "_state"}
        return list(loaded.values()) + list(value._state.fields_cache.values())
    if isinstance(value, forms.BaseForm):
        return [value.initial, value.data, getattr(value, "cleaned_data", {})]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, field.name) for field in dataclasses.fields(value)]
    if type(value).__module__.startswith("outward.") and hasattr(value, "__dict__"):
        return list(vars(value).values())
    return []


def found_in_context(response, secret: str) -> list[str]:
    """Where `secret` turns up in the response's template context (empty: nowhere)."""
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    hits: list[str] = []
    seen: set[int] = set()

    def walk(value, path: str, depth: int) -> None:
        if isinstance(value, str):
            if secret in value:
                hits.append(path)
            return
        if depth > MAX_DEPTH or id(value) in seen or isinstance(value, HttpRequest):
            return
        seen.add(id(value))
        for index, child in enumerate(_children(value)):
            walk(child, f"{path}[{index}]", depth + 1)

    for context in contexts:
        for name, value in context.flatten().items():
            walk(value, str(name), 0)
    return hits


def assert_nowhere(response, secret: str) -> None:
    assert secret not in response.content.decode(errors="replace"), "in the response body"
    assert found_in_context(response, secret) == [], "in the template context"
