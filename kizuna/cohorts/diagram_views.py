"""The project map diagram of one phase: a page of its own (to print), or the fragment HTMX swaps
into the map page when an edit fires `cohort-map-changed`."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from kizuna.cohorts.access import access_map
from kizuna.cohorts.diagram import phase_diagram
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.numbers import parse_positive_integer


@require_GET
def phase_diagram_view(request: HtmxHttpRequest, map_pk: int, number: int) -> HttpResponse:
    access = access_map(request.user, map_pk)
    diagram = phase_diagram(
        access.project_map,
        number,
        since_number=parse_positive_integer(request.GET.get("since")),
    )
    if diagram is None:
        raise Http404
    url = reverse("cohorts:phase-diagram", args=[map_pk, number])
    context = {
        "access": access,
        "project_map": access.project_map,
        "number": number,
        "diagram": diagram,
        "diagram_url": url,
        # A refresh after an edit keeps the comparison the reader chose.
        "refresh_url": f"{url}?since={diagram.since_number}" if diagram.since_number else url,
    }
    template = "cohorts/includes/diagram.html" if request.htmx else "cohorts/diagram/index.html"
    response = render(request, template, context)
    # The same address answers a whole page or a fragment; a cache must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
