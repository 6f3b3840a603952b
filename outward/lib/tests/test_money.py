from decimal import Decimal

from django.template import Context, Template

from outward.lib.money import currency_sign, money


def test_amounts_show_the_currency(settings):
    settings.CURRENCY = "GBP"
    assert money(Decimal("10.00")) == "£10"
    assert money(Decimal("7.5")) == "£7.50"
    assert money(None) == "" and currency_sign() == "£"


def test_a_currency_without_a_symbol_is_written_as_its_code(settings):
    settings.CURRENCY = "CHF"
    assert money(12) == "12 CHF" and currency_sign() == "CHF"


def test_the_filter(settings):
    settings.CURRENCY = "EUR"
    assert Template("{% load money %}{{ x|money }}").render(Context({"x": Decimal(3)})) == "€3"
