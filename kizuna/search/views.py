"""Search pages. Views parse input, call one selector and render; HTMX gets the fragment."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from kizuna.identity.models import Member
from kizuna.search.forms import SearchForm
from kizuna.search.selectors import search_posts, similar_questions


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


class SearchView(View):
    """/search/: the query, its filters and one page of results; the results alone for HTMX."""

    def get(self, request: HttpRequest) -> HttpResponse:
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
                results = search_posts(request.user, query, page=_page_number(request), **filters)
        context = {"form": form, "query": query, "results": results, "author": author}
        template = "search/search/partial.html" if _is_htmx(request) else "search/search/index.html"
        return render(request, template, context)


class SimilarQuestionsView(View):
    """Questions like the title being written in the composer (empty below 2 characters)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        title = request.GET.get("title", "")[:200]
        raw_space = request.GET.get("space", "")
        space = int(raw_space) if raw_space.isdigit() else None
        hits = similar_questions(request.user, title, space=space)
        if _is_htmx(request):
            if not hits:
                return HttpResponse("")
            template = "search/similar_questions/partial.html"
        else:
            template = "search/similar_questions/index.html"
        return render(request, template, {"hits": hits, "title": title})
