"""The member directory and a member's full list of contributions."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from kizuna.core.pagination import paginate
from kizuna.directory.forms import DirectorySearchForm
from kizuna.directory.selectors import (
    contributions_visible_to,
    directory_interests,
    directory_members,
)
from kizuna.gamification.selectors import level_for_points, list_levels
from kizuna.identity.selectors import get_visible_member

DIRECTORY_PAGE_SIZE = 24
CONTRIBUTIONS_PAGE_SIZE = 25


class DirectoryView(LoginRequiredMixin, View):
    """Members who list themselves, searchable by name, company, challenge and level."""

    def get(self, request: HttpRequest) -> HttpResponse:
        levels = list_levels()
        form = DirectorySearchForm(
            request.GET, interests=directory_interests(request.user), levels=levels
        )
        # Invalid filters are left out (the form says why); the valid ones still apply.
        form.is_valid()
        filters: dict[str, Any] = form.cleaned_data
        members = directory_members(
            request.user,
            name=filters.get("q", ""),
            company=filters.get("company", ""),
            interest=filters.get("challenge"),
            level=filters.get("level"),
            levels=levels,
        )
        page = paginate(request, members, per_page=DIRECTORY_PAGE_SIZE)
        cards = [
            {"member": member, "level": level_for_points(member.lifetime_points, levels)}
            for member in page.object_list
        ]
        context = {
            "form": form,
            "page": page,
            "cards": cards,
            "is_filtered": any(filters.get(name) for name in form.fields),
        }
        return render(request, "directory/directory/index.html", context)


class MemberContributionsView(LoginRequiredMixin, View):
    """Everything a member has posted or answered that the viewer may read, newest first.

    Part of the profile, so it opens for whoever may open the profile.
    """

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_visible_member(request.user, pk=pk)
        if member is None:
            raise Http404
        contributions = contributions_visible_to(request.user, member)
        context = {
            "member": member,
            "page": paginate(request, contributions, per_page=CONTRIBUTIONS_PAGE_SIZE),
        }
        return render(request, "directory/contributions/index.html", context)
