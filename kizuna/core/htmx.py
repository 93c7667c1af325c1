"""The request type of views that answer HTMX: django-htmx's middleware sets `request.htmx`."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """What a view that reads `request.htmx` declares it takes (django-htmx's typing advice)."""

    htmx: HtmxDetails
