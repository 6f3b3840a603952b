from django.template import Context, Template

from outward.lib.links import linkify

REL = 'rel="nofollow noopener noreferrer"'


def test_an_address_becomes_a_link_and_the_rest_is_text():
    assert linkify("Read https://club.test/join then go") == (
        f'Read <a href="https://club.test/join" {REL}>https://club.test/join</a> then go'
    )


def test_the_sentence_punctuation_after_an_address_stays_outside_the_link():
    html = linkify("See (https://club.test/a_(b)), or http://x.test/p.")
    assert f'<a href="https://club.test/a_(b)" {REL}>https://club.test/a_(b)</a>),' in html
    assert f'<a href="http://x.test/p" {REL}>http://x.test/p</a>.' in html


def test_markup_in_the_text_is_escaped_not_obeyed():
    html = linkify('<script>alert(1)</script> https://a.test/?q=<b>"x"')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert (
        f'<a href="https://a.test/?q=" {REL}>https://a.test/?q=</a>&lt;b&gt;&quot;x&quot;' in html
    )


def test_only_http_and_https_become_links():
    for text in ("javascript:alert(1)", "data:text/html,hi", "ftp://a.test/f", "www.a.test"):
        assert "<a" not in linkify(text)


def test_a_bare_scheme_and_empty_text_are_left_alone():
    assert linkify("https:// is how it starts") == "https:// is how it starts"
    assert linkify("") == "" and linkify(None) == ""


def test_an_ampersand_in_an_address_is_escaped_once():
    assert f'<a href="https://a.test/?a=1&amp;b=2" {REL}>' in linkify("https://a.test/?a=1&b=2")


def test_the_filter_escapes_and_links_in_a_template():
    template = Template("{% load text %}{{ title|linkify }}")
    html = template.render(Context({"title": "<i>go</i> to https://a.test"}))
    assert html == f'&lt;i&gt;go&lt;/i&gt; to <a href="https://a.test" {REL}>https://a.test</a>'
