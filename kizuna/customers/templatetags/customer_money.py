"""Amounts in templates: ``{{ account.arr_minor|amount:account.currency }}`` → ¥12,000,000."""

from django import template

from kizuna.customers.money import format_amount

register = template.Library()


@register.filter
def amount(minor: int | None, currency: str = "JPY") -> str:
    return format_amount(minor, currency or "JPY")
