"""The built-in `{% url %}` and `{% static %}` remember their answers, and give the same text
as Django's own tags whatever the page, the argument or the settings."""

import django.urls
import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from outward.lib.templatetags import remembered


@pytest.fixture(autouse=True)
def forgotten():
    remembered._answers.clear()
    yield
    set_script_prefix("/")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def refuse(*args, **kwargs):
    raise AssertionError("reverse() asked again")


def test_a_url_asked_again_comes_from_memory(monkeypatch):
    first = render("{% url 'care:client_detail' id %}", id=7)
    assert first == reverse("care:client_detail", args=[7])
    monkeypatch.setattr(django.urls, "reverse", refuse)
    assert render("{% url 'care:client_detail' id %}", id=7) == first
    # Another argument is another URL: worked out, not remembered.
    with pytest.raises(AssertionError, match="asked again"):
        render("{% url 'care:client_detail' id %}", id=8)


def test_the_script_prefix_is_part_of_the_answer():
    plain = render("{% url 'accounts:account' %}")
    set_script_prefix("/outward/")
    assert render("{% url 'accounts:account' %}") == "/outward" + plain


def test_escaping_and_the_as_form_are_django_s():
    url = reverse("care:caseload") + "?a=1&b=2"
    page = "{% url 'care:caseload' as base %}{{ base }}|{% url 'care:caseload' %}"
    assert render(page) == f"{reverse('care:caseload')}|{reverse('care:caseload')}"
    assert "&amp;" in render("{{ url }}", url=url)


class Five:
    """An argument reverse() takes as its text ("5"), which a dict would not know by it."""

    def __str__(self) -> str:
        return "5"


def test_arguments_that_are_not_plain_are_worked_out_each_time():
    assert render("{% url 'care:client_detail' id %}", id=Five()) == reverse(
        "care:client_detail", args=[5]
    )
    assert remembered._answers == {}
    assert not remembered._plain(True) and remembered._plain(5) and remembered._plain("5")


def test_static_files_are_remembered_until_the_settings_change(settings):
    first = render("{% static 'outward/css/outward.css' %}")
    assert first == staticfiles_storage.url("outward/css/outward.css")
    settings.STATIC_URL = "/elsewhere/"
    assert render("{% static 'outward/css/outward.css' %}").startswith("/elsewhere/")
