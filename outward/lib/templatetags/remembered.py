"""`{% url %}` and `{% static %}` as Django gives them, answering from memory when asked the
same again. Built into every template (settings, TEMPLATES "builtins"), so no template loads
it and the pages do not change: the tags take the same arguments and give the same text.

Every page's frame (the header, the client's tabs, the bottom bar, the idle warning) asks for
the same twenty-odd URLs and four static files on every request, and each reverse() or
manifest lookup costs more than the line of HTML it fills. A URL depends only on its name and
arguments, the URL configuration, the script prefix, the namespace the page is in and the
language, so those are the key; a static file's URL only on its path and the settings, whose
change (in tests) empties the memory. Only plain names and numbers as arguments are
remembered (anything else is worked out each time, as before), and only so many answers."""

from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as url_tag
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# Enough for the frame's URLs and every tab of a few hundred clients; then it starts again.
REMEMBERED = 4096
_answers: dict[tuple, str] = {}


def _remembered(key: tuple, work) -> str:
    answer = _answers.get(key)
    if answer is None:
        answer = work()
        if len(_answers) >= REMEMBERED:
            _answers.clear()
        _answers[key] = answer
    return answer


def _forget(*, setting, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES", "DEBUG"}:
        _answers.clear()


setting_changed.connect(_forget)


def _plain(value) -> bool:
    """A number or a text (a template's quoted text is a SafeString): what a URL's argument
    turns into as it is; not True, which a dict would take for 1."""
    return type(value) is int or isinstance(value, str)


def _current_app(context):
    """The namespace reverse() is given, found as Django's own tag finds it."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class RememberedURLNode(URLNode):
    def render(self, context):
        if self.asvar is not None:
            return super().render(context)
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        if not all(_plain(value) for value in (*args, *(value for _name, value in kwargs))):
            return super().render(context)
        key = (
            self.view_name.resolve(context),
            args,
            kwargs,
            _current_app(context),
            get_urlconf(),
            get_script_prefix(),
            get_language(),
            context.autoescape,
        )
        return _remembered(key, lambda: super(RememberedURLNode, self).render(context))


class RememberedStaticNode(StaticNode):
    def url(self, context):
        path = self.path.resolve(context)
        if not _plain(path):
            return self.handle_simple(path)
        return _remembered(("static", path), lambda: self.handle_simple(path))


@register.tag
def url(parser, token):
    node = url_tag(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.tag
def static(parser, token):
    return RememberedStaticNode.handle_token(parser, token)
