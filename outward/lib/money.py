"""Amounts of money as people read them: "£10", "£7.50", in the deployment's currency
(settings.CURRENCY, an ISO 4217 code, from OUTWARD_CURRENCY). Outward only shows costs and
budgets; it never takes payments, so one currency per deployment is enough."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format

# The symbol written before the amount; any other currency is written as its code after it.
SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "$", "AUD": "$", "NZD": "$"}


def currency_sign() -> str:
    return SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)


def money(amount: Decimal | int | None) -> str:
    if amount is None:
        return ""
    amount = Decimal(amount)
    shown = number_format(amount, 0 if amount == amount.to_integral_value() else 2)
    symbol = SYMBOLS.get(settings.CURRENCY)
    return f"{symbol}{shown}" if symbol else f"{shown} {settings.CURRENCY}"
