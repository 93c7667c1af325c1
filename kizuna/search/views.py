"""Search pages. Views parse input, call one selector and render; HTMX gets the fragment."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.numbers import parse_positive_integer
from kizuna.identity.models import Member
from kizuna.search.forms import SearchForm
from kizuna.search.selectors import search_posts, similar_questions


class SearchView(View):
    """/search/: the query, its filters and one page of results; the results alone for HTMX."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        form = SearchForm(request.GET, viewer=request.user)
        results = None
        author = None
        query = ""
        if form.is_valid():
            query = form.cleaned_data["q"].strip()
            filters = form.filters()
            if filters["author"]:
                author = Member.objects.filter(pk=filters["author"]).first()
            if query:
                results = search_posts(
                    request.user,
                    query,
                    page=parse_positive_integer(request.GET.get("page")) or 1,
                    **filters,
                )
        context = {"form": form, "query": query, "results": results, "author": author}
        template = "search/search/partial.html" if request.htmx else "search/search/index.html"
        return render(request, template, context)


class SimilarQuestionsView(View):
    """Questions like the title being written in the composer (empty below 2 characters)."""

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        title = request.GET.get("title", "")[:200]
        space = parse_positive_integer(request.GET.get("space"))
        hits = similar_questions(request.user, title, space=space)
        if request.htmx:
            if not hits:
                return HttpResponse("")
            template = "search/similar_questions/partial.html"
        else:
            template = "search/similar_questions/index.html"
        return render(request, template, {"hits": hits, "title": title})
