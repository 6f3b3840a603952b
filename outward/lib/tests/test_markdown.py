"""lib.markdown: what a practice writes is shown, never run."""

from html.parser import HTMLParser

import pytest

from outward.lib.markdown import render

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "a", "code",
    "pre", "blockquote", "hr", "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "title", "rel", "start"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_a_script_renders_as_text():
    html = render("Hello <script>alert(1)</script> there")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_javascript_link_is_not_a_link():
    html = render("[x](javascript:alert(1))")
    assert "<a" not in html
    assert "[x](javascript:alert(1))" in html


@pytest.mark.parametrize(
    "text",
    [
        "<javascript:alert(1)>",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "[x](//evil.test/)",
        "[x](/relative)",
        "[x]: javascript:alert(1)\n\n[x]",
    ],
)
def test_only_http_https_and_mailto_links(text):
    assert not [attrs for tag, attrs in _tags(render(text)) if tag == "a"]


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[a](https://example.org/x?y=1)", "https://example.org/x?y=1"),
        ("[a](http://example.org)", "http://example.org"),
        ("[a](mailto:hello@example.org)", "mailto:hello@example.org"),
        ("<https://example.org>", "https://example.org"),
    ],
)
def test_safe_links_are_links_that_do_not_pass_the_page_on(text, href):
    ((tag, attrs),) = [(t, a) for t, a in _tags(render(text)) if t == "a"]
    assert attrs["href"] == href
    assert attrs["rel"] == "nofollow noopener noreferrer"


@pytest.mark.parametrize(
    "text",
    [
        '<img src=x onerror="alert(1)">',
        '[x](https://a.test "t" onclick="alert(1)")',
        '[x](https://a.test "t\\" onclick=\\"alert(1)")',
        '<a href="javascript:alert(1)">x</a>',
        "![pic](https://tracker.test/p.png)",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "`<script>` and\n\n    <script>alert(1)</script>",
    ],
)
def test_no_attribute_or_element_can_be_smuggled_in(text):
    for tag, attrs in _tags(render(text)):
        assert tag in ALLOWED_TAGS, tag
        assert set(attrs) <= ALLOWED_ATTRIBUTES, attrs
        assert not attrs.get("href", "https:").lower().startswith(("javascript", "data"))


def test_commonmark_structure_is_kept():
    html = render("## Heading\n\n- one\n- two\n\n**bold** and *soft*")
    assert "<h2>Heading</h2>" in html
    assert "<li>one</li>" in html
    assert "<strong>bold</strong>" in html
    assert "<em>soft</em>" in html


def test_empty_text():
    assert render("") == ""
